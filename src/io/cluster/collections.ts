/**
 * @module The collections the cluster source follows: every policy kind Palisade evaluates (the
 * kyverno.io and policies.kyverno.io kinds of the CRD catalog, their PolicyExceptions, and the
 * Kubernetes admission policies with their bindings), and what admission needs besides the policies
 * (Namespaces for namespaceSelector, RoleBindings and ClusterRoleBindings for roles/clusterRoles).
 * Versions are listed in order of preference; the first one the API server serves is used.
 */
import { CRD_CATALOG, type CrdEntry } from '../crds/crd-catalog.js';
import type { CollectionVersion } from './reflector.js';

export interface Collection {
  /** `plural.group`, for messages. */
  readonly resource: string;
  readonly kind: string;
  readonly versions: readonly CollectionVersion[];
}

function collection(group: string, plural: string, kind: string, versions: readonly string[]): Collection {
  return {
    resource: group === '' ? plural : `${plural}.${group}`,
    kind,
    versions: versions.map((v) => ({
      apiVersion: group === '' ? v : `${group}/${v}`,
      path: group === '' ? `/api/${v}/${plural}` : `/apis/${group}/${v}/${plural}`,
    })),
  };
}

/** v1 first (the stable API), then the storage version, then the others, deprecated ones last. */
function preferredVersions(entry: CrdEntry): string[] {
  const rank = (v: CrdEntry['versions'][number]): number =>
    v.name === 'v1' ? 0 : v.storage ? 1 : v.deprecated === true ? 3 : 2;
  return [...entry.versions].sort((a, b) => rank(a) - rank(b)).map((v) => v.name);
}

/** Cleanup policies are not evaluated at admission (and not by Palisade yet). */
const NOT_FOLLOWED = new Set(['ClusterCleanupPolicy', 'CleanupPolicy']);

const ADMISSION_GROUP = 'admissionregistration.k8s.io';

export const POLICY_COLLECTIONS: readonly Collection[] = [
  ...CRD_CATALOG.filter((e) => !NOT_FOLLOWED.has(e.kind)).map((e) =>
    collection(e.group, e.plural, e.kind, preferredVersions(e)),
  ),
  collection(ADMISSION_GROUP, 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy', ['v1', 'v1beta1']),
  collection(ADMISSION_GROUP, 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', [
    'v1',
    'v1beta1',
  ]),
  collection(ADMISSION_GROUP, 'mutatingadmissionpolicies', 'MutatingAdmissionPolicy', [
    'v1',
    'v1beta1',
    'v1alpha1',
  ]),
  collection(ADMISSION_GROUP, 'mutatingadmissionpolicybindings', 'MutatingAdmissionPolicyBinding', [
    'v1',
    'v1beta1',
    'v1alpha1',
  ]),
];

export const NAMESPACES = collection('', 'namespaces', 'Namespace', ['v1']);
export const ROLE_BINDINGS = collection('rbac.authorization.k8s.io', 'rolebindings', 'RoleBinding', ['v1']);
export const CLUSTER_ROLE_BINDINGS = collection(
  'rbac.authorization.k8s.io',
  'clusterrolebindings',
  'ClusterRoleBinding',
  ['v1'],
);
