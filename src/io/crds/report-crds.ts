/**
 * @module The policy report CRDs the reports controller writes (reference §9.3): wgpolicyk8s.io
 * v1alpha2 PolicyReport/ClusterPolicyReport (Kyverno's default) and openreports.io v1alpha1
 * Report/ClusterReport (`--openreports-enabled`). Report objects have no spec: `scope`, `summary` and
 * `results` sit at the top level. The schema types the fields Palisade and Policy Reporter read and
 * keeps the rest open (`x-kubernetes-preserve-unknown-fields`), so reports written by other tools
 * under the same CRDs stay valid.
 */
import type { JsonSchemaProps } from './openapi-schema.js';

interface ReportCrd {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly shortNames: readonly string[];
  readonly scope: 'Namespaced' | 'Cluster';
}

export const REPORT_CRDS: readonly ReportCrd[] = [
  {
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    kind: 'PolicyReport',
    plural: 'policyreports',
    shortNames: ['polr'],
    scope: 'Namespaced',
  },
  {
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    kind: 'ClusterPolicyReport',
    plural: 'clusterpolicyreports',
    shortNames: ['cpolr'],
    scope: 'Cluster',
  },
  {
    group: 'openreports.io',
    version: 'v1alpha1',
    kind: 'Report',
    plural: 'reports',
    shortNames: ['rep'],
    scope: 'Namespaced',
  },
  {
    group: 'openreports.io',
    version: 'v1alpha1',
    kind: 'ClusterReport',
    plural: 'clusterreports',
    shortNames: ['crep'],
    scope: 'Cluster',
  },
];

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const objectReference: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    name: str,
    namespace: str,
    uid: str,
    resourceVersion: str,
    fieldPath: str,
  },
};
const open: JsonSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

const RESULT: JsonSchemaProps = {
  type: 'object',
  properties: {
    source: str,
    policy: str,
    rule: str,
    category: str,
    severity: { type: 'string', enum: ['critical', 'high', 'low', 'medium', 'info'] },
    timestamp: { type: 'object', properties: { seconds: int, nanos: int } },
    result: { type: 'string', enum: ['pass', 'fail', 'warn', 'error', 'skip'] },
    scored: { type: 'boolean' },
    message: str,
    properties: { type: 'object', additionalProperties: str },
    resources: { type: 'array', items: objectReference },
    resourceSelector: open,
  },
  required: ['policy'],
};

const SCHEMA: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object' },
    scope: objectReference,
    scopeSelector: open,
    configuration: open,
    source: str,
    summary: {
      type: 'object',
      properties: { pass: int, fail: int, warn: int, error: int, skip: int },
    },
    results: { type: 'array', items: RESULT },
  },
};

const COLUMNS = [
  { name: 'Kind', type: 'string', jsonPath: '.scope.kind', priority: 1 },
  { name: 'Name', type: 'string', jsonPath: '.scope.name', priority: 1 },
  { name: 'Pass', type: 'integer', jsonPath: '.summary.pass' },
  { name: 'Fail', type: 'integer', jsonPath: '.summary.fail' },
  { name: 'Warn', type: 'integer', jsonPath: '.summary.warn' },
  { name: 'Error', type: 'integer', jsonPath: '.summary.error' },
  { name: 'Skip', type: 'integer', jsonPath: '.summary.skip' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export function buildReportCrd(crd: ReportCrd): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${crd.plural}.${crd.group}`,
      labels: { 'app.kubernetes.io/part-of': 'palisade' },
    },
    spec: {
      group: crd.group,
      names: {
        kind: crd.kind,
        listKind: `${crd.kind}List`,
        plural: crd.plural,
        singular: crd.kind.toLowerCase(),
        shortNames: [...crd.shortNames],
      },
      scope: crd.scope,
      versions: [
        {
          name: crd.version,
          served: true,
          storage: true,
          additionalPrinterColumns: COLUMNS,
          schema: { openAPIV3Schema: SCHEMA },
        },
      ],
    },
  };
}
