import { type Diagnostic, diagnostic, type Result, schemaDsl } from '../../engine/index.js';

const { canonicalizeKeys, isPlainObject, jsonTypeOf, validateSchema } = schemaDsl;
type SchemaNode = schemaDsl.SchemaNode;
/**
 * @module Shared pieces for the Kyverno CLI's own file kinds (`cli.kyverno.io/v1alpha1` Test, Values,
 * UserInfo): header checks and the strict-decoding result. Kyverno decodes these with Go's
 * encoding/json in strict mode: unknown fields are errors, field names match case-insensitively.
 */

export const CLI_API_VERSION = 'cli.kyverno.io/v1alpha1';

/** Validates a CLI file document of kind `kind` against `schema`. Never throws. */
export function validateCliFile<T>(doc: unknown, kind: string, schema: SchemaNode): Result<T> {
  if (!isPlainObject(doc)) {
    return {
      ok: false,
      issues: [
        diagnostic('policy/wrong-type', `expected a YAML mapping (object), got ${jsonTypeOf(doc)}`, []),
      ],
    };
  }
  const diags: Diagnostic[] = [];
  for (const key of ['apiVersion', 'kind'] as const) {
    if (typeof doc[key] !== 'string' || doc[key] === '') {
      diags.push(
        diagnostic('test/deprecated-schema', `missing \`${key}\`: the file uses a deprecated schema`, [key], {
          hint: `add \`apiVersion: ${CLI_API_VERSION}\` and \`kind: ${kind}\``,
        }),
      );
    }
  }
  if (typeof doc.apiVersion === 'string' && doc.apiVersion !== '' && doc.apiVersion !== CLI_API_VERSION) {
    // Kyverno decodes these files into a struct without checking the version, so only warn.
    diags.push(
      diagnostic(
        'policy/invalid-value',
        `unexpected apiVersion "${doc.apiVersion}": expected "${CLI_API_VERSION}"`,
        ['apiVersion'],
        { severity: 'warning', hint: `use \`apiVersion: ${CLI_API_VERSION}\`` },
      ),
    );
  }
  // Kyverno does not check the kind of these files, so a different one is only worth a warning.
  if (typeof doc.kind === 'string' && doc.kind !== '' && doc.kind !== kind) {
    diags.push(
      diagnostic('policy/invalid-value', `expected kind "${kind}", got "${doc.kind}"`, ['kind'], {
        severity: 'warning',
        hint: `use \`kind: ${kind}\``,
      }),
    );
  }
  diags.push(...validateSchema(schema, doc));
  if (diags.some((d) => d.severity === 'error')) return { ok: false, issues: diags };
  return { ok: true, value: canonicalizeKeys(schema, doc) as T, warnings: diags };
}
