/**
 * @module Kind → resource (plural) and scope for Kubernetes built-ins, the offline stand-in for
 * API discovery that admission matching needs. Unknown kinds (CRDs) fall back to the lowercase
 * plural, as Kyverno's CLI does when its REST mapper has no entry.
 */

import type { AdmissionAttributes } from '../kinds/cel-shared/match-constraints.js';
import type { KubeObject } from './kube-object.js';

interface KindInfo {
  readonly resource: string;
  readonly namespaced: boolean;
}

const k = (resource: string, namespaced = true): KindInfo => ({ resource, namespaced });

const BUILT_INS: Readonly<Record<string, KindInfo>> = {
  Binding: k('bindings'),
  ComponentStatus: k('componentstatuses', false),
  ConfigMap: k('configmaps'),
  Endpoints: k('endpoints'),
  Event: k('events'),
  LimitRange: k('limitranges'),
  Namespace: k('namespaces', false),
  Node: k('nodes', false),
  PersistentVolume: k('persistentvolumes', false),
  PersistentVolumeClaim: k('persistentvolumeclaims'),
  Pod: k('pods'),
  PodTemplate: k('podtemplates'),
  ReplicationController: k('replicationcontrollers'),
  ResourceQuota: k('resourcequotas'),
  Secret: k('secrets'),
  Service: k('services'),
  ServiceAccount: k('serviceaccounts'),
  MutatingWebhookConfiguration: k('mutatingwebhookconfigurations', false),
  ValidatingWebhookConfiguration: k('validatingwebhookconfigurations', false),
  ValidatingAdmissionPolicy: k('validatingadmissionpolicies', false),
  ValidatingAdmissionPolicyBinding: k('validatingadmissionpolicybindings', false),
  MutatingAdmissionPolicy: k('mutatingadmissionpolicies', false),
  MutatingAdmissionPolicyBinding: k('mutatingadmissionpolicybindings', false),
  CustomResourceDefinition: k('customresourcedefinitions', false),
  APIService: k('apiservices', false),
  ControllerRevision: k('controllerrevisions'),
  DaemonSet: k('daemonsets'),
  Deployment: k('deployments'),
  ReplicaSet: k('replicasets'),
  StatefulSet: k('statefulsets'),
  TokenReview: k('tokenreviews', false),
  LocalSubjectAccessReview: k('localsubjectaccessreviews'),
  SelfSubjectAccessReview: k('selfsubjectaccessreviews', false),
  SelfSubjectRulesReview: k('selfsubjectrulesreviews', false),
  SubjectAccessReview: k('subjectaccessreviews', false),
  HorizontalPodAutoscaler: k('horizontalpodautoscalers'),
  CronJob: k('cronjobs'),
  Job: k('jobs'),
  CertificateSigningRequest: k('certificatesigningrequests', false),
  Lease: k('leases'),
  EndpointSlice: k('endpointslices'),
  FlowSchema: k('flowschemas', false),
  PriorityLevelConfiguration: k('prioritylevelconfigurations', false),
  Ingress: k('ingresses'),
  IngressClass: k('ingressclasses', false),
  NetworkPolicy: k('networkpolicies'),
  RuntimeClass: k('runtimeclasses', false),
  PodDisruptionBudget: k('poddisruptionbudgets'),
  PodSecurityPolicy: k('podsecuritypolicies', false),
  ClusterRole: k('clusterroles', false),
  ClusterRoleBinding: k('clusterrolebindings', false),
  Role: k('roles'),
  RoleBinding: k('rolebindings'),
  PriorityClass: k('priorityclasses', false),
  CSIDriver: k('csidrivers', false),
  CSINode: k('csinodes', false),
  CSIStorageCapacity: k('csistoragecapacities'),
  StorageClass: k('storageclasses', false),
  VolumeAttachment: k('volumeattachments', false),
  VolumeAttributesClass: k('volumeattributesclasses', false),
  ResourceClaim: k('resourceclaims'),
  ResourceClaimTemplate: k('resourceclaimtemplates'),
  DeviceClass: k('deviceclasses', false),
  ResourceSlice: k('resourceslices', false),
  Gateway: k('gateways'),
  GatewayClass: k('gatewayclasses', false),
  HTTPRoute: k('httproutes'),
  GRPCRoute: k('grpcroutes'),
  ReferenceGrant: k('referencegrants'),
};

/** Lowercase English plural, as kubectl/Kyverno guess it for unknown kinds. */
function pluralize(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The resource (plural) a kind is served as, e.g. `Pod` → `pods`, `Ingress` → `ingresses`. */
export function resourceForKind(kind: string): string {
  return BUILT_INS[kind]?.resource ?? pluralize(kind);
}

/** True for cluster-scoped built-ins; unknown kinds are taken as namespaced. */
export function isClusterScopedKind(kind: string): boolean {
  const info = BUILT_INS[kind];
  return info !== undefined && !info.namespaced;
}

/** The kind served as `resource` (the reverse lookup CEL `resource.*` calls need), if known. */
export function kindForResource(resource: string): string | undefined {
  for (const [kind, info] of Object.entries(BUILT_INS)) if (info.resource === resource) return kind;
  return undefined;
}

/** Splits `apps/v1` into group and version (`v1` → core group ''). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The fields an admission request uses to name `object` (no subresource). */
export type ObjectIdentity = Pick<
  AdmissionAttributes,
  'group' | 'version' | 'kind' | 'resource' | 'subresource' | 'namespace' | 'name'
>;

/** How an admission request for `object` names it: its group, version, kind, plural resource, namespace and name. */
export function objectIdentity(object: KubeObject): ObjectIdentity {
  const { group, version } = splitApiVersion(object.apiVersion ?? '');
  const kind = object.kind ?? '';
  return {
    group,
    version,
    kind,
    resource: resourceForKind(kind),
    subresource: '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}
