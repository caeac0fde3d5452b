/**
 * @module Decoded YAML → typed MutatingPolicy / NamespacedMutatingPolicy and Kubernetes
 * MutatingAdmissionPolicy / MutatingAdmissionPolicyBinding, with structural checks as Diagnostics.
 * CEL expressions are compiled later (mutating-policy.ts, mutating-admission-policy.ts). Never throws.
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
import { CEL_POLICY_VERSIONS } from './load.js';
import type {
  MutatingAdmissionPolicy,
  MutatingAdmissionPolicyBinding,
  MutatingPolicy,
} from './mutating-types.js';

/** API versions served for MutatingAdmissionPolicy (+Binding). */
export const ADMISSION_POLICY_VERSIONS = [
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1',
] as const;

const resourceRule = object({
  apiGroups: array(string()),
  apiVersions: array(string()),
  resources: array(string()),
  operations: array(enumOf(['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'])),
  scope: enumOf(['*', 'Cluster', 'Namespaced']),
  resourceNames: array(string()),
});

const matchFields = {
  resourceRules: array(resourceRule),
  excludeResourceRules: array(resourceRule),
  namespaceSelector: labelSelector,
  objectSelector: labelSelector,
  matchPolicy: enumOf(['Exact', 'Equivalent']),
};
const matchConstraints = object(matchFields);

const namedExpression = object({ name: req(string({ nonEmpty: true })), expression: req(string()) });
const enabled = object({ enabled: bool() });

const mutation = object({
  patchType: req(enumOf(['ApplyConfiguration', 'JSONPatch'])),
  applyConfiguration: object({ expression: req(string()) }),
  jsonPatch: object({ expression: req(string()) }),
});

const mutatingPolicySpec = object({
  matchConstraints,
  matchConditions: array(namedExpression),
  variables: array(namedExpression),
  mutations: array(mutation),
  failurePolicy: enumOf(['Fail', 'Ignore']),
  reinvocationPolicy: enumOf(['Never', 'IfNeeded']),
  evaluation: object({
    admission: enabled,
    background: enabled,
    mode: enumOf(['Kubernetes', 'JSON']),
    mutateExisting: enabled,
    useServerSideApply: bool(),
    skipBackgroundRequests: bool(),
  }),
  autogen: object({
    podControllers: object({ controllers: array(string()) }),
    mutatingAdmissionPolicy: enabled,
  }),
  targetMatchConstraints: object({ ...matchFields, expression: string() }),
  targetMatchConditions: array(namedExpression),
  webhookConfiguration: object({ timeoutSeconds: number({ integer: true, min: 1, max: 30 }) }),
});

const mapSpec = object({
  paramKind: object({ apiVersion: string(), kind: string() }),
  matchConstraints,
  matchConditions: array(namedExpression),
  variables: array(namedExpression),
  mutations: array(mutation),
  failurePolicy: enumOf(['Fail', 'Ignore']),
  reinvocationPolicy: enumOf(['Never', 'IfNeeded']),
});

const bindingSpec = object({
  policyName: string(),
  paramRef: object({
    name: string(),
    namespace: string(),
    selector: labelSelector,
    parameterNotFoundAction: enumOf(['Allow', 'Deny']),
  }),
  matchResources: matchConstraints,
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

const SCHEMAS: Readonly<Record<string, SchemaNode>> = {
  MutatingPolicy: document('MutatingPolicy', mutatingPolicySpec),
  NamespacedMutatingPolicy: document('NamespacedMutatingPolicy', mutatingPolicySpec),
  MutatingAdmissionPolicy: document('MutatingAdmissionPolicy', mapSpec),
  MutatingAdmissionPolicyBinding: document('MutatingAdmissionPolicyBinding', bindingSpec),
};

function header(doc: unknown, kinds: readonly string[], versions: readonly string[]): Diagnostic[] {
  if (!isPlainObject(doc)) {
    return [diagnostic('policy/wrong-type', `expected a YAML mapping (object), got ${jsonTypeOf(doc)}`, [])];
  }
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
        `unsupported apiVersion ${JSON.stringify(apiVersion ?? null)} for ${kind}: expected ${versions.join(', ')}`,
        ['apiVersion'],
      ),
    ];
  }
  return [];
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

function mutationChecks(spec: unknown): Diagnostic[] {
  if (!isPlainObject(spec) || !Array.isArray(spec.mutations)) return [];
  const out: Diagnostic[] = [];
  spec.mutations.forEach((m, i) => {
    if (!isPlainObject(m)) return;
    const field = m.patchType === 'JSONPatch' ? 'jsonPatch' : 'applyConfiguration';
    if (m.patchType !== undefined && !isPlainObject(m[field])) {
      out.push(
        diagnostic(
          'policy/missing-field',
          `patchType ${String(m.patchType)} requires \`${field}.expression\``,
          ['spec', 'mutations', i, field],
        ),
      );
    }
  });
  return out;
}

function load<T>(doc: unknown, kinds: readonly string[], versions: readonly string[]): Result<T> {
  const head = header(doc, kinds, versions);
  if (head.length > 0) return { ok: false, issues: head };
  const d = doc as Record<string, unknown>;
  const diags = validateSchema(SCHEMAS[String(d.kind)]!, d);
  diags.push(...mutationChecks(d.spec));
  if (diags.some((x) => x.severity === 'error')) return { ok: false, issues: diags };
  const value = structuredClone(d);
  dropNullsDeep(value);
  return { ok: true, value: value as unknown as T, warnings: diags };
}

/** Validates a MutatingPolicy or NamespacedMutatingPolicy. Never throws. */
export function loadMutatingPolicy(doc: unknown): Result<MutatingPolicy> {
  return load(doc, ['MutatingPolicy', 'NamespacedMutatingPolicy'], CEL_POLICY_VERSIONS);
}

/** Validates a Kubernetes MutatingAdmissionPolicy. Never throws. */
export function loadMutatingAdmissionPolicy(doc: unknown): Result<MutatingAdmissionPolicy> {
  return load(doc, ['MutatingAdmissionPolicy'], ADMISSION_POLICY_VERSIONS);
}

/** Validates a Kubernetes MutatingAdmissionPolicyBinding. Never throws. */
export function loadMutatingAdmissionPolicyBinding(doc: unknown): Result<MutatingAdmissionPolicyBinding> {
  return load(doc, ['MutatingAdmissionPolicyBinding'], ADMISSION_POLICY_VERSIONS);
}
