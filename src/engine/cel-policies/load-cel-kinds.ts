/**
 * @module Decoded YAML → typed GeneratingPolicy, DeletingPolicy, ImageValidatingPolicy (and their
 * Namespaced variants) and Kubernetes ValidatingAdmissionPolicy / ValidatingAdmissionPolicyBinding,
 * with structural checks as Diagnostics. Only the fields the engine reads are typed; the rest of a
 * spec is accepted as is. CEL is compiled later. Never throws.
 */
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { labelSelector, namedObjectMeta } from '../policy/common-schema.js';
import {
  any,
  array,
  enumOf,
  isPlainObject,
  jsonTypeOf,
  object,
  req,
  type SchemaNode,
  string,
  validateSchema,
} from '../policy/schema-dsl.js';
import { cronScheduleProblem } from './cron-schedule.js';
import type { DeletingPolicy } from './deleting-policy.js';
import type { GeneratingPolicy } from './generating-policy.js';
import type { ImageValidatingPolicy } from './image-validating-policy.js';
import { CEL_POLICY_VERSIONS } from './load.js';
import type {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from './validating-admission-policy.js';

/** API versions served for the Kubernetes admission policy kinds. */
export const ADMISSION_POLICY_VERSIONS = [
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1alpha1',
] as const;

const resourceRule = object({
  apiGroups: array(string()),
  apiVersions: array(string()),
  resources: array(string()),
  operations: array(enumOf(['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'])),
  scope: enumOf(['*', 'Cluster', 'Namespaced']),
  resourceNames: array(string()),
});

const matchResources = object({
  resourceRules: array(resourceRule),
  excludeResourceRules: array(resourceRule),
  namespaceSelector: labelSelector,
  objectSelector: labelSelector,
  matchPolicy: enumOf(['Exact', 'Equivalent']),
});

const namedExpression = object({ name: req(string({ nonEmpty: true })), expression: req(string()) });

const validation = object({
  expression: req(string()),
  message: string(),
  messageExpression: string(),
  reason: string(),
});

const generatingSpec = object(
  {
    matchConstraints: matchResources,
    matchConditions: array(namedExpression),
    variables: array(namedExpression),
    generate: req(
      array(
        object({
          expression: string(),
          template: object({ value: req(string()), interpolate: enumOf(['none', 'cel']) }),
        }),
      ),
    ),
  },
  { unknown: 'allow' },
);

const deletingSpec = object(
  {
    schedule: req(string({ nonEmpty: true })),
    matchConstraints: matchResources,
    conditions: array(namedExpression),
    variables: array(namedExpression),
    deletionPropagationPolicy: enumOf(['Foreground', 'Background', 'Orphan']),
  },
  { unknown: 'allow' },
);

const imageValidatingSpec = object(
  {
    matchConstraints: matchResources,
    matchConditions: array(namedExpression),
    variables: array(namedExpression),
    matchImageReferences: array(object({ glob: string(), expression: string() })),
    images: array(object({ name: req(string({ nonEmpty: true })), expression: req(string()) })),
    validations: array(validation),
    validationActions: array(enumOf(['Deny', 'Audit', 'Warn'])),
    failurePolicy: enumOf(['Fail', 'Ignore']),
  },
  { unknown: 'allow' },
);

const vapSpec = object(
  {
    paramKind: object({ apiVersion: string(), kind: string() }),
    matchConstraints: matchResources,
    validations: array(validation),
    failurePolicy: enumOf(['Fail', 'Ignore']),
    auditAnnotations: array(object({ key: req(string({ nonEmpty: true })), valueExpression: req(string()) })),
    matchConditions: array(namedExpression),
    variables: array(namedExpression),
  },
  { unknown: 'allow' },
);

const vapBindingSpec = object({
  policyName: req(string({ nonEmpty: true })),
  paramRef: object({
    name: string(),
    namespace: string(),
    selector: labelSelector,
    parameterNotFoundAction: enumOf(['Allow', 'Deny']),
  }),
  matchResources,
  validationActions: array(enumOf(['Deny', 'Audit', 'Warn'])),
});

function document(kind: string, spec: SchemaNode, specRequired = true): SchemaNode {
  return object({
    apiVersion: req(string()),
    kind: req(enumOf([kind])),
    metadata: req(namedObjectMeta),
    spec: specRequired ? req(spec) : spec,
    status: any(),
  });
}

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

function finish<T>(diags: readonly Diagnostic[], doc: unknown): Result<T> {
  if (diags.some((d) => d.severity === 'error')) return { ok: false, issues: diags };
  const value = structuredClone(doc);
  dropNullsDeep(value);
  return { ok: true, value: value as T, warnings: diags };
}

function clusterScopedCheck(doc: Record<string, unknown>, kind: string): Diagnostic[] {
  const meta = doc.metadata;
  if (isPlainObject(meta) && typeof meta.namespace === 'string' && meta.namespace !== '') {
    return [
      diagnostic('policy/invalid-value', `a ${kind} is cluster-scoped and must not set metadata.namespace`, [
        'metadata',
        'namespace',
      ]),
    ];
  }
  return [];
}

function loadCelKind<T>(
  doc: unknown,
  kinds: readonly [string, string],
  spec: SchemaNode,
  extra: (doc: Record<string, unknown>) => Diagnostic[] = () => [],
): Result<T> {
  const h = header(doc, kinds, CEL_POLICY_VERSIONS);
  if (h.length > 0) return { ok: false, issues: h };
  const d = doc as Record<string, unknown>;
  const diags = validateSchema(document(d.kind as string, spec), d);
  if (d.kind === kinds[0]) diags.push(...clusterScopedCheck(d, kinds[0]));
  if (isPlainObject(d.spec)) diags.push(...extra(d));
  return finish<T>(diags, d);
}

/** Validates a GeneratingPolicy or NamespacedGeneratingPolicy. Never throws. */
export function loadGeneratingPolicy(doc: unknown): Result<GeneratingPolicy> {
  return loadCelKind<GeneratingPolicy>(
    doc,
    ['GeneratingPolicy', 'NamespacedGeneratingPolicy'],
    generatingSpec,
  );
}

/** Validates a DeletingPolicy or NamespacedDeletingPolicy; a bad cron `schedule` is an error. */
export function loadDeletingPolicy(doc: unknown): Result<DeletingPolicy> {
  return loadCelKind<DeletingPolicy>(
    doc,
    ['DeletingPolicy', 'NamespacedDeletingPolicy'],
    deletingSpec,
    (d) => {
      const schedule = (d.spec as Record<string, unknown>).schedule;
      if (typeof schedule !== 'string' || schedule === '') return [];
      const problem = cronScheduleProblem(schedule);
      return problem === undefined
        ? []
        : [
            diagnostic('policy/invalid-value', `invalid schedule ${JSON.stringify(schedule)}: ${problem}`, [
              'spec',
              'schedule',
            ]),
          ];
    },
  );
}

/** Validates an ImageValidatingPolicy or NamespacedImageValidatingPolicy. Never throws. */
export function loadImageValidatingPolicy(doc: unknown): Result<ImageValidatingPolicy> {
  return loadCelKind<ImageValidatingPolicy>(
    doc,
    ['ImageValidatingPolicy', 'NamespacedImageValidatingPolicy'],
    imageValidatingSpec,
  );
}

/** Validates a Kubernetes ValidatingAdmissionPolicy. Never throws. */
export function loadValidatingAdmissionPolicy(doc: unknown): Result<ValidatingAdmissionPolicy> {
  const h = header(doc, ['ValidatingAdmissionPolicy'], ADMISSION_POLICY_VERSIONS);
  if (h.length > 0) return { ok: false, issues: h };
  return finish(validateSchema(document('ValidatingAdmissionPolicy', vapSpec), doc), doc);
}

/** Validates a Kubernetes ValidatingAdmissionPolicyBinding. Never throws. */
export function loadValidatingAdmissionPolicyBinding(doc: unknown): Result<ValidatingAdmissionPolicyBinding> {
  const h = header(doc, ['ValidatingAdmissionPolicyBinding'], ADMISSION_POLICY_VERSIONS);
  if (h.length > 0) return { ok: false, issues: h };
  return finish(validateSchema(document('ValidatingAdmissionPolicyBinding', vapBindingSpec), doc), doc);
}
