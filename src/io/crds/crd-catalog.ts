/**
 * @module Which CustomResourceDefinitions Palisade serves: for every kind, its group, names, scope,
 * versions (served, storage, deprecated) and printer columns, following Kyverno's (reference §1:
 * kyverno.io v1 storage with v2beta1 served; policies.kyverno.io v1beta1 storage with v1 served and
 * v1alpha1 deprecated on the cluster-scoped kinds). The schemas come from the engine.
 */

export interface CrdVersion {
  readonly name: string;
  readonly storage: boolean;
  readonly deprecated?: boolean;
}

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'integer' | 'date';
  readonly jsonPath: string;
  /** 1: shown only with `-o wide`. */
  readonly priority?: number;
}

export interface CrdEntry {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly shortNames: readonly string[];
  readonly scope: 'Cluster' | 'Namespaced';
  readonly versions: readonly CrdVersion[];
  readonly columns: readonly PrinterColumn[];
  /** Policies have a status written by a controller; exceptions have none. */
  readonly statusSubresource: boolean;
}

const AGE: PrinterColumn = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const readyCondition = (field: 'status' | 'message'): string =>
  `.status.conditions[?(@.type == "Ready")].${field}`;

const KYVERNO_POLICY_COLUMNS: readonly PrinterColumn[] = [
  { name: 'ADMISSION', type: 'boolean', jsonPath: '.spec.admission' },
  { name: 'BACKGROUND', type: 'boolean', jsonPath: '.spec.background' },
  { name: 'READY', type: 'string', jsonPath: readyCondition('status') },
  AGE,
  { name: 'FAILURE POLICY', type: 'string', jsonPath: '.spec.failurePolicy', priority: 1 },
  { name: 'VALIDATE', type: 'integer', jsonPath: '.status.rulecount.validate', priority: 1 },
  { name: 'MUTATE', type: 'integer', jsonPath: '.status.rulecount.mutate', priority: 1 },
  { name: 'GENERATE', type: 'integer', jsonPath: '.status.rulecount.generate', priority: 1 },
  { name: 'VERIFY IMAGES', type: 'integer', jsonPath: '.status.rulecount.verifyimages', priority: 1 },
  { name: 'MESSAGE', type: 'string', jsonPath: readyCondition('message') },
];
const CEL_POLICY_COLUMNS: readonly PrinterColumn[] = [
  AGE,
  { name: 'READY', type: 'string', jsonPath: '.status.conditionStatus.ready' },
];
const CLEANUP_COLUMNS: readonly PrinterColumn[] = [
  { name: 'SCHEDULE', type: 'string', jsonPath: '.spec.schedule' },
  { name: 'READY', type: 'string', jsonPath: readyCondition('status') },
  AGE,
];

const KYVERNO_POLICY_VERSIONS: readonly CrdVersion[] = [
  { name: 'v1', storage: true },
  { name: 'v2beta1', storage: false },
];
const KYVERNO_V2_VERSIONS: readonly CrdVersion[] = [
  { name: 'v2', storage: true },
  { name: 'v2beta1', storage: false, deprecated: true },
];
const CEL_VERSIONS: readonly CrdVersion[] = [
  { name: 'v1', storage: false },
  { name: 'v1alpha1', storage: false, deprecated: true },
  { name: 'v1beta1', storage: true },
];
/** The Namespaced CEL kinds came with v1beta1: no v1alpha1. */
const NAMESPACED_CEL_VERSIONS: readonly CrdVersion[] = CEL_VERSIONS.filter((v) => v.name !== 'v1alpha1');

function kyverno(
  kind: string,
  plural: string,
  shortName: string,
  scope: CrdEntry['scope'],
  versions: readonly CrdVersion[],
  columns: readonly PrinterColumn[],
): CrdEntry {
  return {
    group: 'kyverno.io',
    kind,
    plural,
    shortNames: [shortName],
    scope,
    versions,
    columns,
    statusSubresource: kind !== 'PolicyException',
  };
}

/** A policies.kyverno.io kind and its Namespaced twin. */
function celPair(kind: string, plural: string, shortName: string): CrdEntry[] {
  const entry = (k: string, p: string, s: string, scope: CrdEntry['scope']): CrdEntry => ({
    group: 'policies.kyverno.io',
    kind: k,
    plural: p,
    shortNames: [s],
    scope,
    versions: scope === 'Cluster' ? CEL_VERSIONS : NAMESPACED_CEL_VERSIONS,
    columns: CEL_POLICY_COLUMNS,
    statusSubresource: true,
  });
  return [
    entry(kind, plural, shortName, 'Cluster'),
    entry(`Namespaced${kind}`, `namespaced${plural}`, `n${shortName}`, 'Namespaced'),
  ];
}

export const CRD_CATALOG: readonly CrdEntry[] = [
  kyverno(
    'ClusterPolicy',
    'clusterpolicies',
    'cpol',
    'Cluster',
    KYVERNO_POLICY_VERSIONS,
    KYVERNO_POLICY_COLUMNS,
  ),
  kyverno('Policy', 'policies', 'pol', 'Namespaced', KYVERNO_POLICY_VERSIONS, KYVERNO_POLICY_COLUMNS),
  kyverno('PolicyException', 'policyexceptions', 'polex', 'Namespaced', KYVERNO_V2_VERSIONS, [AGE]),
  kyverno(
    'ClusterCleanupPolicy',
    'clustercleanuppolicies',
    'ccleanpol',
    'Cluster',
    KYVERNO_V2_VERSIONS,
    CLEANUP_COLUMNS,
  ),
  kyverno('CleanupPolicy', 'cleanuppolicies', 'cleanpol', 'Namespaced', KYVERNO_V2_VERSIONS, CLEANUP_COLUMNS),
  {
    group: 'kyverno.io',
    kind: 'GlobalContextEntry',
    plural: 'globalcontextentries',
    shortNames: ['gctxentry'],
    scope: 'Cluster',
    versions: [
      { name: 'v2', storage: false },
      { name: 'v2alpha1', storage: false, deprecated: true },
      { name: 'v2beta1', storage: true },
    ],
    columns: [
      AGE,
      { name: 'REFRESH INTERVAL', type: 'string', jsonPath: '.spec.apiCall.refreshInterval' },
      { name: 'LAST REFRESH', type: 'date', jsonPath: '.status.lastRefreshTime' },
    ],
    statusSubresource: true,
  },
  ...celPair('ValidatingPolicy', 'validatingpolicies', 'vpol'),
  ...celPair('MutatingPolicy', 'mutatingpolicies', 'mpol'),
  ...celPair('GeneratingPolicy', 'generatingpolicies', 'gpol'),
  ...celPair('DeletingPolicy', 'deletingpolicies', 'dpol'),
  ...celPair('ImageValidatingPolicy', 'imagevalidatingpolicies', 'ivpol'),
  {
    group: 'policies.kyverno.io',
    kind: 'PolicyException',
    plural: 'policyexceptions',
    // Not `polex`: kyverno.io's PolicyException has that short name.
    shortNames: [],
    scope: 'Namespaced',
    versions: CEL_VERSIONS,
    columns: [AGE],
    statusSubresource: false,
  },
];
