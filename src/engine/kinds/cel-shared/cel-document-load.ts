/**
 * @module The loader skeleton and schema pieces shared by every CEL policy kind (policies.kyverno.io
 * and the Kubernetes admission policies): mapping, kind and apiVersion checks, the kind's schema,
 * its own checks, then a null-free copy of the document. Never throws.
 */
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { labelSelector, namedObjectMeta } from '../../schema/common-schema.js';
import { checkKindAndVersion, finishLoad, notAMapping } from '../../schema/document-load.js';
import {
  any,
  array,
  bool,
  enumOf,
  isPlainObject,
  number,
  object,
  req,
  type SchemaNode,
  string,
  validateSchema,
} from '../../schema/schema-dsl.js';

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

/** Fields of `matchConstraints` / `matchResources` (admissionregistration MatchResources). */
export const matchResourcesFields = {
  resourceRules: array(resourceRule),
  excludeResourceRules: array(resourceRule),
  namespaceSelector: labelSelector,
  objectSelector: labelSelector,
  matchPolicy: enumOf(['Exact', 'Equivalent']),
};
export const matchResources = object(matchResourcesFields);

export const namedExpression = object({ name: req(string({ nonEmpty: true })), expression: req(string()) });
export const enabled = object({ enabled: bool() });
export const celValidation = object({
  expression: req(string()),
  message: string(),
  messageExpression: string(),
  reason: string(),
});
export const auditAnnotation = object({
  key: req(string({ nonEmpty: true })),
  valueExpression: req(string()),
});
export const paramRef = object({
  name: string(),
  namespace: string(),
  selector: labelSelector,
  parameterNotFoundAction: enumOf(['Allow', 'Deny']),
});
export const webhookConfiguration = object({
  timeoutSeconds: number({ integer: true, min: 1, max: 30 }),
});

/** A whole document of `kind` whose `spec` has the given shape. */
export function celDocument(kind: string, spec: SchemaNode): SchemaNode {
  return object({
    apiVersion: req(string()),
    kind: req(enumOf([kind])),
    metadata: req(namedObjectMeta),
    spec: req(spec),
    status: any(),
  });
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

export interface CelDocumentLoader {
  readonly kinds: readonly string[];
  readonly versions: readonly string[];
  /** The schema of a document whose kind is one of `kinds`. */
  readonly schema: (kind: string) => SchemaNode;
  /** The kind's own checks, run after the schema on a document with a valid header. */
  readonly checks?: (doc: Record<string, unknown>) => Diagnostic[];
}

/** Header, schema and the kind's checks; errors fail, the rest come back as warnings. */
export function loadCelDocument<T>(doc: unknown, loader: CelDocumentLoader): Result<T> {
  if (!isPlainObject(doc)) return { ok: false, issues: [notAMapping(doc)] };
  const header = checkKindAndVersion(doc, loader.kinds, loader.versions);
  if (header.length > 0) return { ok: false, issues: header };
  const diags = validateSchema(loader.schema(doc.kind as string), doc);
  if (loader.checks !== undefined) diags.push(...loader.checks(doc));
  return finishLoad(diags, () => {
    const value = structuredClone(doc);
    dropNullsDeep(value);
    return value as unknown as T;
  });
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

/**
 * A policies.kyverno.io kind with a cluster-scoped and a Namespaced variant (`kinds`, in that order)
 * sharing one spec shape; `extra` checks a spec that is a mapping.
 */
export function loadCelPolicyKind<T>(
  doc: unknown,
  kinds: readonly [string, string],
  spec: SchemaNode,
  extra: (doc: Record<string, unknown>) => Diagnostic[] = () => [],
): Result<T> {
  return loadCelDocument<T>(doc, {
    kinds,
    versions: CEL_POLICY_VERSIONS,
    schema: (kind) => celDocument(kind, spec),
    checks: (d) => [
      ...(d.kind === kinds[0] ? clusterScopedCheck(d, kinds[0]) : []),
      ...(isPlainObject(d.spec) ? extra(d) : []),
    ],
  });
}
