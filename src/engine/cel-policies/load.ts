/**
 * @module Decoded YAML → typed policies.kyverno.io ValidatingPolicy / NamespacedValidatingPolicy
 * and CEL PolicyException, with structural checks as Diagnostics (paths into the document). CEL
 * expressions are compiled later (validating-policy.ts). Never throws.
 */
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { labelSelector, namedObjectMeta } from '../policy/common-schema.js';
import {
  any,
  array,
  bool,
  enumOf,
  isPlainObject,
  jsonTypeOf,
  number,
  object,
  req,
  type SchemaNode,
  string,
  validateSchema,
} from '../policy/schema-dsl.js';
import type { CelPolicyException, ValidatingPolicy } from './types.js';

/** API versions served for policies.kyverno.io kinds. */
export const CEL_POLICY_VERSIONS = [
  'policies.kyverno.io/v1alpha1',
  'policies.kyverno.io/v1beta1',
  'policies.kyverno.io/v1',
] as const;

const resourceRule = object({
  apiGroups: array(string()),
  apiVersions: array(string()),
  resources: array(string()),
  operations: array(enumOf(['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'])),
  scope: enumOf(['*', 'Cluster', 'Namespaced']),
  resourceNames: array(string()),
});

const matchConstraints = object({
  resourceRules: array(resourceRule),
  excludeResourceRules: array(resourceRule),
  namespaceSelector: labelSelector,
  objectSelector: labelSelector,
  matchPolicy: enumOf(['Exact', 'Equivalent']),
});

const namedExpression = object({ name: req(string({ nonEmpty: true })), expression: req(string()) });

const enabled = object({ enabled: bool() });

const validatingPolicySpec = object({
  matchConstraints,
  matchConditions: array(namedExpression),
  variables: array(namedExpression),
  validations: array(
    object({
      expression: req(string()),
      message: string(),
      messageExpression: string(),
      reason: string(),
    }),
  ),
  auditAnnotations: array(object({ key: req(string({ nonEmpty: true })), valueExpression: req(string()) })),
  validationActions: array(enumOf(['Deny', 'Audit', 'Warn'])),
  failurePolicy: enumOf(['Fail', 'Ignore']),
  evaluation: object({
    admission: enabled,
    background: enabled,
    mode: enumOf(['Kubernetes', 'JSON', 'HTTP', 'Envoy']),
  }),
  autogen: object({
    podControllers: object({ controllers: array(string()) }),
    validatingAdmissionPolicy: enabled,
  }),
  webhookConfiguration: object({ timeoutSeconds: number({ integer: true, min: 1, max: 30 }) }),
  paramKind: any(),
});

function document(kind: string, spec: SchemaNode): SchemaNode {
  return object({
    apiVersion: req(string()),
    kind: req(enumOf([kind])),
    metadata: req(namedObjectMeta),
    spec: req(spec),
    status: any(),
  });
}

const VPOL_SCHEMA = document('ValidatingPolicy', validatingPolicySpec);
const NVPOL_SCHEMA = document('NamespacedValidatingPolicy', validatingPolicySpec);

const EXCEPTION_SCHEMA = document(
  'PolicyException',
  object({
    policyRefs: req(array(object({ name: req(string({ nonEmpty: true })), kind: req(string()) }))),
    matchConditions: array(namedExpression),
    images: array(string()),
    allowedValues: array(string()),
    reportResult: enumOf(['skip', 'pass']),
    expiresAt: string(),
    properties: any(),
    evaluationMode: any(),
    background: bool(),
  }),
);

function checkHeader(doc: Record<string, unknown>, kinds: readonly string[]): Diagnostic[] {
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
  if (typeof apiVersion !== 'string' || !(CEL_POLICY_VERSIONS as readonly string[]).includes(apiVersion)) {
    return [
      diagnostic(
        'policy/unsupported-kind',
        `unsupported apiVersion ${JSON.stringify(apiVersion ?? null)} for ${kind}: expected ${CEL_POLICY_VERSIONS.join(', ')}`,
        ['apiVersion'],
      ),
    ];
  }
  return [];
}

function finish<T>(diags: readonly Diagnostic[], doc: Record<string, unknown>): Result<T> {
  if (diags.some((d) => d.severity === 'error')) return { ok: false, issues: diags };
  const value = structuredClone(doc);
  dropNullsDeep(value);
  return { ok: true, value: value as unknown as T, warnings: diags };
}

/** `key:` with no value decodes to null; drop such keys so consumers can test `=== undefined`. */
function dropNullsDeep(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) dropNullsDeep(x);
    return;
  }
  if (!isPlainObject(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (x === null) delete v[k];
    else dropNullsDeep(x);
  }
}

function validationActionChecks(spec: Record<string, unknown>): Diagnostic[] {
  const actions = spec.validationActions;
  if (!Array.isArray(actions)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<unknown>();
  actions.forEach((a, i) => {
    if (seen.has(a)) {
      out.push(
        diagnostic('policy/invalid-value', `duplicate validation action ${JSON.stringify(a)}`, [
          'spec',
          'validationActions',
          i,
        ]),
      );
    }
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        'validationActions must not contain both Deny and Warn (a denied request cannot also warn)',
        ['spec', 'validationActions'],
      ),
    );
  }
  return out;
}

function uniqueNames(spec: Record<string, unknown>, field: 'variables' | 'matchConditions'): Diagnostic[] {
  const list = spec[field];
  if (!Array.isArray(list)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (!isPlainObject(v) || typeof v.name !== 'string') return;
    if (seen.has(v.name)) {
      out.push(
        diagnostic('policy/invalid-value', `duplicate name ${JSON.stringify(v.name)} in ${field}`, [
          'spec',
          field,
          i,
          'name',
        ]),
      );
    }
    seen.add(v.name);
  });
  return out;
}

/** Validates a ValidatingPolicy or NamespacedValidatingPolicy. Never throws. */
export function loadValidatingPolicy(doc: unknown): Result<ValidatingPolicy> {
  if (!isPlainObject(doc)) {
    return {
      ok: false,
      issues: [
        diagnostic('policy/wrong-type', `expected a YAML mapping (object), got ${jsonTypeOf(doc)}`, []),
      ],
    };
  }
  const header = checkHeader(doc, ['ValidatingPolicy', 'NamespacedValidatingPolicy']);
  if (header.length > 0) return { ok: false, issues: header };
  const namespaced = doc.kind === 'NamespacedValidatingPolicy';
  const diags = validateSchema(namespaced ? NVPOL_SCHEMA : VPOL_SCHEMA, doc);
  const meta = doc.metadata;
  if (!namespaced && isPlainObject(meta) && typeof meta.namespace === 'string' && meta.namespace !== '') {
    diags.push(
      diagnostic(
        'policy/invalid-value',
        'a ValidatingPolicy is cluster-scoped and must not set metadata.namespace',
        ['metadata', 'namespace'],
      ),
    );
  }
  const spec = doc.spec;
  if (isPlainObject(spec)) {
    diags.push(...validationActionChecks(spec));
    diags.push(...uniqueNames(spec, 'variables'), ...uniqueNames(spec, 'matchConditions'));
    const mode = isPlainObject(spec.evaluation) ? spec.evaluation.mode : undefined;
    if ((mode === undefined || mode === 'Kubernetes') && spec.matchConstraints === undefined) {
      diags.push(
        diagnostic(
          'policy/missing-field',
          'without matchConstraints a Kubernetes-mode policy matches no resource',
          ['spec', 'matchConstraints'],
          { severity: 'warning' },
        ),
      );
    }
  }
  return finish<ValidatingPolicy>(diags, doc);
}

/** Validates a policies.kyverno.io PolicyException. Never throws. */
export function loadCelPolicyException(doc: unknown): Result<CelPolicyException> {
  if (!isPlainObject(doc)) {
    return {
      ok: false,
      issues: [
        diagnostic('policy/wrong-type', `expected a YAML mapping (object), got ${jsonTypeOf(doc)}`, []),
      ],
    };
  }
  const header = checkHeader(doc, ['PolicyException']);
  if (header.length > 0) return { ok: false, issues: header };
  const diags = validateSchema(EXCEPTION_SCHEMA, doc);
  const spec = doc.spec;
  if (isPlainObject(spec) && Array.isArray(spec.policyRefs) && spec.policyRefs.length === 0) {
    diags.push(
      diagnostic('policy/missing-field', 'at least one entry is required in `policyRefs`', [
        'spec',
        'policyRefs',
      ]),
    );
  }
  return finish<CelPolicyException>(diags, doc);
}
