/**
 * @module Kubernetes list merge strategies for strategic merge patches, as kustomize kyaml reads them
 * from its built-in OpenAPI (Kubernetes v1.21): a schema is found by a resource's exact
 * apiVersion + kind; a list field merges element-wise when its `x-kubernetes-patch-strategy` contains
 * `merge`, keyed by `x-kubernetes-list-map-keys` (else `x-kubernetes-patch-merge-key`; no key = a
 * primitive set such as `finalizers`). Every other list, and every list of an unknown kind or CRD,
 * is replaced. Only the types that lead to a merge list are modelled.
 */

/** How one list field merges: `keys` empty means a list of scalars merged as a set. */
export interface ListMerge {
  readonly keys: readonly string[];
}

/** A position in the schema tree (kyaml `ResourceSchema`). */
export interface SchemaNode {
  /** The schema of a map field (or of any value of a string-keyed map). */
  field(name: string): SchemaNode | undefined;
  /** The schema of the elements of a list. */
  elements(): SchemaNode | undefined;
  /** Set when this node is a list with a merge patch strategy. */
  readonly listMerge: ListMerge | undefined;
}

type TypeName =
  | 'Object'
  | 'ObjectMeta'
  | 'Container'
  | 'PodSpec'
  | 'PodStatus'
  | 'PodTemplateSpec'
  | 'WorkloadSpec'
  | 'StatefulSetSpec'
  | 'ConditionsStatus'
  | 'JobTemplateSpec'
  | 'CronJobSpec'
  | 'ServiceSpec'
  | 'NodeSpec'
  | 'NodeStatus'
  | 'Resource'
  | 'Pod'
  | 'PodTemplate'
  | 'Workload'
  | 'StatefulSet'
  | 'CronJob'
  | 'Service'
  | 'ServiceAccount'
  | 'Node'
  | 'Namespace';

type FieldSpec =
  | { readonly type: TypeName }
  | { readonly list: TypeName | 'scalar'; readonly merge?: readonly string[] }
  | { readonly mapOf: TypeName };

const list = (of: TypeName | 'scalar', ...merge: string[]): FieldSpec => ({ list: of, merge });
const plainList = (of: TypeName): FieldSpec => ({ list: of });
const obj = (type: TypeName): FieldSpec => ({ type });

const CONTAINER: Readonly<Record<string, FieldSpec>> = {
  ports: list('Object', 'containerPort', 'protocol'),
  env: list('Object', 'name'),
  volumeMounts: list('Object', 'mountPath'),
  volumeDevices: list('Object', 'devicePath'),
};

const POD_SPEC: Readonly<Record<string, FieldSpec>> = {
  volumes: list('Object', 'name'),
  initContainers: list('Container', 'name'),
  containers: list('Container', 'name'),
  ephemeralContainers: list('Container', 'name'),
  imagePullSecrets: list('Object', 'name'),
  hostAliases: list('Object', 'ip'),
  topologySpreadConstraints: list('Object', 'topologyKey', 'whenUnsatisfiable'),
};

/** Field tables of the Kubernetes types that (transitively) hold merge lists. */
const TYPES: Readonly<Record<TypeName, Readonly<Record<string, FieldSpec>>>> = {
  Object: {},
  ObjectMeta: {
    finalizers: list('scalar'),
    ownerReferences: list('Object', 'uid'),
  },
  Container: CONTAINER,
  PodSpec: POD_SPEC,
  PodStatus: {
    conditions: list('Object', 'type'),
    podIPs: list('Object', 'ip'),
  },
  PodTemplateSpec: { metadata: obj('ObjectMeta'), spec: obj('PodSpec') },
  WorkloadSpec: { template: obj('PodTemplateSpec') },
  StatefulSetSpec: {
    template: obj('PodTemplateSpec'),
    volumeClaimTemplates: plainList('Resource'),
  },
  ConditionsStatus: { conditions: list('Object', 'type') },
  JobTemplateSpec: { metadata: obj('ObjectMeta'), spec: obj('WorkloadSpec') },
  CronJobSpec: { jobTemplate: obj('JobTemplateSpec') },
  ServiceSpec: { ports: list('Object', 'port', 'protocol') },
  NodeSpec: { podCIDRs: list('scalar') },
  NodeStatus: {
    addresses: list('Object', 'type'),
    conditions: list('Object', 'type'),
  },
  Resource: { metadata: obj('ObjectMeta') },
  Pod: { metadata: obj('ObjectMeta'), spec: obj('PodSpec'), status: obj('PodStatus') },
  PodTemplate: { metadata: obj('ObjectMeta'), template: obj('PodTemplateSpec') },
  Workload: {
    metadata: obj('ObjectMeta'),
    spec: obj('WorkloadSpec'),
    status: obj('ConditionsStatus'),
  },
  StatefulSet: {
    metadata: obj('ObjectMeta'),
    spec: obj('StatefulSetSpec'),
    status: obj('ConditionsStatus'),
  },
  CronJob: { metadata: obj('ObjectMeta'), spec: obj('CronJobSpec') },
  Service: { metadata: obj('ObjectMeta'), spec: obj('ServiceSpec') },
  ServiceAccount: { metadata: obj('ObjectMeta'), secrets: list('Object', 'name') },
  Node: { metadata: obj('ObjectMeta'), spec: obj('NodeSpec'), status: obj('NodeStatus') },
  Namespace: { metadata: obj('ObjectMeta'), status: obj('ConditionsStatus') },
};

/** The resource types of kyaml's built-in schema that have more than `metadata` modelled. */
const SPECIAL_KINDS: Readonly<Record<string, TypeName>> = {
  'v1/Pod': 'Pod',
  'v1/PodTemplate': 'PodTemplate',
  'v1/ReplicationController': 'Workload',
  'v1/Service': 'Service',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Node': 'Node',
  'v1/Namespace': 'Namespace',
  'apps/v1/Deployment': 'Workload',
  'apps/v1/ReplicaSet': 'Workload',
  'apps/v1/DaemonSet': 'Workload',
  'apps/v1/StatefulSet': 'StatefulSet',
  'batch/v1/Job': 'Workload',
  'batch/v1/CronJob': 'CronJob',
  'batch/v1beta1/CronJob': 'CronJob',
};

/** Other resource types known to the v1.21 schema: only their `metadata` merges lists. */
const OTHER_KINDS: readonly string[] = [
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1/CustomResourceDefinition',
  'apiregistration.k8s.io/v1/APIService',
  'apiregistration.k8s.io/v1beta1/APIService',
  'apps/v1/ControllerRevision',
  'autoscaling/v1/HorizontalPodAutoscaler',
  'autoscaling/v2beta1/HorizontalPodAutoscaler',
  'autoscaling/v2beta2/HorizontalPodAutoscaler',
  'certificates.k8s.io/v1/CertificateSigningRequest',
  'certificates.k8s.io/v1beta1/CertificateSigningRequest',
  'coordination.k8s.io/v1/Lease',
  'coordination.k8s.io/v1beta1/Lease',
  'discovery.k8s.io/v1/EndpointSlice',
  'discovery.k8s.io/v1beta1/EndpointSlice',
  'events.k8s.io/v1/Event',
  'events.k8s.io/v1beta1/Event',
  'extensions/v1beta1/Ingress',
  'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration',
  'networking.k8s.io/v1/Ingress',
  'networking.k8s.io/v1/IngressClass',
  'networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1beta1/Ingress',
  'networking.k8s.io/v1beta1/IngressClass',
  'node.k8s.io/v1/RuntimeClass',
  'node.k8s.io/v1beta1/RuntimeClass',
  'policy/v1/PodDisruptionBudget',
  'policy/v1beta1/PodDisruptionBudget',
  'policy/v1beta1/PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1beta1/ClusterRole',
  'rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1/Role',
  'rbac.authorization.k8s.io/v1beta1/RoleBinding',
  'scheduling.k8s.io/v1/PriorityClass',
  'scheduling.k8s.io/v1beta1/PriorityClass',
  'storage.k8s.io/v1/CSIDriver',
  'storage.k8s.io/v1/CSINode',
  'storage.k8s.io/v1/StorageClass',
  'storage.k8s.io/v1/VolumeAttachment',
  'storage.k8s.io/v1beta1/CSIDriver',
  'storage.k8s.io/v1beta1/CSINode',
  'storage.k8s.io/v1beta1/CSIStorageCapacity',
  'storage.k8s.io/v1beta1/StorageClass',
  'storage.k8s.io/v1beta1/VolumeAttachment',
  'v1/ComponentStatus',
  'v1/ConfigMap',
  'v1/Endpoints',
  'v1/Event',
  'v1/LimitRange',
  'v1/PersistentVolume',
  'v1/PersistentVolumeClaim',
  'v1/ResourceQuota',
  'v1/Secret',
];

const OTHER_KIND_SET: ReadonlySet<string> = new Set(OTHER_KINDS);

class TypeSchema implements SchemaNode {
  readonly listMerge = undefined;
  private readonly fields: Readonly<Record<string, FieldSpec>>;
  constructor(fields: Readonly<Record<string, FieldSpec>>) {
    this.fields = fields;
  }

  field(name: string): SchemaNode | undefined {
    if (!Object.hasOwn(this.fields, name)) return undefined;
    const spec = this.fields[name];
    return spec === undefined ? undefined : fromSpec(spec);
  }

  elements(): SchemaNode | undefined {
    return undefined;
  }
}

class ListSchema implements SchemaNode {
  readonly listMerge: ListMerge | undefined;
  private readonly items: TypeName | 'scalar';
  constructor(items: TypeName | 'scalar', merge: readonly string[] | undefined) {
    this.items = items;
    this.listMerge = merge === undefined ? undefined : { keys: merge };
  }

  field(): SchemaNode | undefined {
    return undefined;
  }

  elements(): SchemaNode | undefined {
    return this.items === 'scalar' ? undefined : typeSchema(this.items);
  }
}

function fromSpec(spec: FieldSpec): SchemaNode | undefined {
  if ('type' in spec) return typeSchema(spec.type);
  if ('list' in spec) return new ListSchema(spec.list, spec.merge);
  return undefined;
}

// Static schema data, not policy data: at most one node per built-in type name, built on first use.
const typeCache = new Map<TypeName, SchemaNode>();

function typeSchema(name: TypeName): SchemaNode {
  let s = typeCache.get(name);
  if (s === undefined) {
    s = new TypeSchema(TYPES[name]);
    typeCache.set(name, s);
  }
  return s;
}

/**
 * The schema kyaml would use for an object with this exact apiVersion and kind; undefined for
 * CRDs and kinds missing from the built-in v1.21 schema (all their lists are then replaced).
 */
export function schemaForType(apiVersion: string, kind: string): SchemaNode | undefined {
  const gvk = `${apiVersion}/${kind}`;
  const special = SPECIAL_KINDS[gvk];
  if (special !== undefined) return typeSchema(special);
  return OTHER_KIND_SET.has(gvk) ? typeSchema('Resource') : undefined;
}
