/**
 * @module Decoded YAML → typed, validated kyverno.io policies. Every problem is a Diagnostic; these
 * functions never throw. Defaults (background: true, validationFailureAction: Audit) are applied to
 * the returned value only.
 */
import type { Diagnostic, FieldPath, Result } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { checkKindAndVersion, finishLoad, notAMapping } from '../../schema/document-load.js';
import type { SchemaNode } from '../../schema/schema-dsl.js';
import { isPlainObject, validateSchema } from '../../schema/schema-dsl.js';
import { checkPolicySpec } from './rule-checks.js';
import { kyvernoPolicySchema, policyExceptionSchema } from './schema.js';
import type { KyvernoPolicy, PolicyException } from './types.js';
import { checkTemplateSyntax } from './variable-check.js';

export type { DocumentClass } from '../classify.js';
export { classifyDocument } from '../classify.js';

const POLICY_VERSIONS = ['kyverno.io/v1', 'kyverno.io/v2beta1'];
const EXCEPTION_VERSIONS = ['kyverno.io/v2', 'kyverno.io/v2beta1'];

const SCHEMA_V1 = kyvernoPolicySchema({ strict: false });
const SCHEMA_V2BETA1 = kyvernoPolicySchema({ strict: true });

/** Validates a kyverno.io/v1 or v2beta1 ClusterPolicy/Policy. Never throws. */
export function loadKyvernoPolicy(doc: unknown): Result<KyvernoPolicy> {
  if (!isPlainObject(doc)) return { ok: false, issues: [notAMapping(doc)] };
  const kindIssues = checkKindAndVersion(doc, ['ClusterPolicy', 'Policy'], POLICY_VERSIONS, ' or ');
  if (kindIssues.length > 0) return { ok: false, issues: kindIssues };

  const schema: SchemaNode = doc.apiVersion === 'kyverno.io/v2beta1' ? SCHEMA_V2BETA1 : SCHEMA_V1;
  const diags: Diagnostic[] = validateSchema(schema, doc);
  const namespaced = doc.kind === 'Policy';
  const spec = doc.spec;
  const metadata = doc.metadata;
  if (
    !namespaced &&
    isPlainObject(metadata) &&
    typeof metadata.namespace === 'string' &&
    metadata.namespace !== ''
  ) {
    diags.push(
      diagnostic(
        'policy/invalid-value',
        'a ClusterPolicy is cluster-scoped and must not set metadata.namespace',
        ['metadata', 'namespace'],
      ),
    );
  }
  if (isPlainObject(spec)) {
    diags.push(...checkPolicySpec(spec, ['spec'], { namespaced, background: spec.background !== false }));
    diags.push(...legacyActionWarnings(spec));
  }
  return finishLoad(diags, () => normalizePolicy(doc));
}

/** Validates a kyverno.io/v2 (or v2beta1) PolicyException. Never throws. */
export function loadPolicyException(doc: unknown): Result<PolicyException> {
  if (!isPlainObject(doc)) return { ok: false, issues: [notAMapping(doc)] };
  const kindIssues = checkKindAndVersion(doc, ['PolicyException'], EXCEPTION_VERSIONS, ' or ');
  if (kindIssues.length > 0) return { ok: false, issues: kindIssues };

  const diags: Diagnostic[] = validateSchema(policyExceptionSchema, doc);
  const spec = doc.spec;
  if (isPlainObject(spec)) {
    if (Array.isArray(spec.exceptions) && spec.exceptions.length === 0) {
      diags.push(
        diagnostic('policy/missing-field', 'at least one entry is required in `exceptions`', [
          'spec',
          'exceptions',
        ]),
      );
    }
    if (spec.conditions !== undefined)
      diags.push(...checkTemplateSyntax(spec.conditions, ['spec', 'conditions']));
  }
  if (doc.apiVersion === 'kyverno.io/v2beta1') {
    diags.push(
      diagnostic(
        'policy/invalid-value',
        'kyverno.io/v2beta1 PolicyException is deprecated, use kyverno.io/v2',
        ['apiVersion'],
        {
          severity: 'warning',
        },
      ),
    );
  }
  return finishLoad(diags, () => {
    const value = structuredClone(doc) as unknown as PolicyException;
    dropNulls(value.spec as unknown as Record<string, unknown>);
    if (value.spec.background === undefined) value.spec.background = true;
    return value;
  });
}

const LEGACY_ACTIONS: Readonly<Record<string, string>> = { audit: 'Audit', enforce: 'Enforce' };

function legacyActionWarnings(spec: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (value: unknown, path: FieldPath) => {
    if (typeof value === 'string' && LEGACY_ACTIONS[value] !== undefined) {
      out.push(
        diagnostic(
          'policy/invalid-value',
          `validation failure action "${value}" is deprecated, use "${LEGACY_ACTIONS[value]}"`,
          path,
          { severity: 'warning' },
        ),
      );
    }
  };
  warn(spec.validationFailureAction, ['spec', 'validationFailureAction']);
  if (Array.isArray(spec.validationFailureActionOverrides)) {
    spec.validationFailureActionOverrides.forEach((o, i) => {
      if (isPlainObject(o)) warn(o.action, ['spec', 'validationFailureActionOverrides', i, 'action']);
    });
  }
  return out;
}

/** Canonical `Audit`/`Enforce` spelling; other values are left for the caller (already reported). */
function canonicalAction(value: unknown): unknown {
  return typeof value === 'string' ? (LEGACY_ACTIONS[value.toLowerCase()] ?? value) : value;
}

/** `key:` with no value decodes to null; drop such keys so consumers can test `=== undefined`. */
function dropNulls(obj: Record<string, unknown> | undefined): void {
  if (!isPlainObject(obj)) return;
  for (const [k, v] of Object.entries(obj)) if (v === null) delete obj[k];
}

function normalizePolicy(doc: Record<string, unknown>): KyvernoPolicy {
  const policy = structuredClone(doc) as unknown as KyvernoPolicy;
  const spec = policy.spec as Record<string, unknown>;
  dropNulls(spec);
  if (spec.background === undefined) spec.background = true;
  spec.validationFailureAction = canonicalAction(spec.validationFailureAction ?? 'Audit');
  if (Array.isArray(spec.validationFailureActionOverrides)) {
    for (const o of spec.validationFailureActionOverrides) {
      if (isPlainObject(o) && o.action !== undefined) o.action = canonicalAction(o.action);
    }
  }
  for (const rule of policy.spec.rules ?? []) {
    const r = rule as unknown as Record<string, unknown>;
    dropNulls(r);
    for (const block of ['match', 'exclude', 'validate', 'mutate', 'generate'] as const) {
      dropNulls(r[block] as Record<string, unknown> | undefined);
    }
    const v = r.validate;
    if (isPlainObject(v)) {
      if (v.failureAction !== undefined) v.failureAction = canonicalAction(v.failureAction);
      const list = v.failureActionOverrides;
      if (Array.isArray(list)) {
        for (const o of list)
          if (isPlainObject(o) && o.action !== undefined) o.action = canonicalAction(o.action);
      }
    }
  }
  return policy;
}
