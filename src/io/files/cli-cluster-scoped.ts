/**
 * @module The kinds Kyverno's CLI knows as cluster-scoped, by API group: its built-in discovery
 * data (cmd/cli/kubectl-kyverno/data/api-group-resources.json). The CLI puts a resource without a
 * namespace into `default` unless its group and kind are one of these, so a kind of another group
 * (`authorization.openshift.io/v1` ClusterRole) or one the data lacks (PodSecurityPolicy,
 * GatewayClass, MutatingAdmissionPolicy) is taken as namespaced.
 */

const BY_GROUP: Readonly<Record<string, readonly string[]>> = {
  '': ['ComponentStatus', 'Namespace', 'Node', 'PersistentVolume'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'ValidatingWebhookConfiguration',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'authentication.k8s.io': ['SelfSubjectReview', 'TokenReview'],
  'authorization.k8s.io': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'certificates.k8s.io': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io': ['IPAddress', 'IngressClass', 'ServiceCIDR'],
  'node.k8s.io': ['RuntimeClass'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
};

const CLUSTER_SCOPED: ReadonlySet<string> = new Set(
  Object.entries(BY_GROUP).flatMap(([group, kinds]) => kinds.map((kind) => `${group}/${kind}`)),
);

/** Whether the CLI takes `kind` of `apiVersion` (`group/version`, or `version` for the core group) as cluster-scoped. */
export function isCliClusterScoped(apiVersion: unknown, kind: string): boolean {
  const text = typeof apiVersion === 'string' ? apiVersion : '';
  const parts = text.split('/');
  const group = parts.length === 2 ? (parts[0] ?? '') : '';
  return CLUSTER_SCOPED.has(`${group}/${kind}`);
}
