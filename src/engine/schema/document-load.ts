/**
 * @module Steps every policy-document loader shares (kyverno.io and policies.kyverno.io kinds, the
 * Kubernetes admission policies): the mapping check, the kind/apiVersion header check and the
 * errors-fail / warnings-pass result.
 */
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { jsonTypeOf } from './schema-dsl.js';

/** The document is not a YAML mapping. */
export function notAMapping(doc: unknown): Diagnostic {
  return diagnostic('policy/wrong-type', `expected a YAML mapping (object), got ${jsonTypeOf(doc)}`, []);
}

/**
 * `kind` must be one of `kinds`, then `apiVersion` one of `versions` (listed in the message,
 * joined by `versionSeparator`). The first problem only.
 */
export function checkKindAndVersion(
  doc: Record<string, unknown>,
  kinds: readonly string[],
  versions: readonly string[],
  versionSeparator = ', ',
): Diagnostic[] {
  const { apiVersion, kind } = doc;
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    return [
      diagnostic(
        'policy/unsupported-kind',
        `expected kind ${kinds.join(' or ')}, got ${JSON.stringify(kind ?? null)}`,
        ['kind'],
      ),
    ];
  }
  if (typeof apiVersion !== 'string' || !versions.includes(apiVersion)) {
    return [
      diagnostic(
        'policy/unsupported-kind',
        `unsupported apiVersion ${JSON.stringify(apiVersion ?? null)} for ${kind}: expected ${versions.join(versionSeparator)}`,
        ['apiVersion'],
      ),
    ];
  }
  return [];
}

/** Any error-severity diagnostic fails the load; otherwise `build()` is the value and the rest warn. */
export function finishLoad<T>(diags: readonly Diagnostic[], build: () => T): Result<T> {
  if (diags.some((d) => d.severity === 'error')) return { ok: false, issues: diags };
  return { ok: true, value: build(), warnings: diags };
}
