/**
 * @module Kyverno's `resource` library: `resource.Get(apiVersion, resource, namespace, name)` and
 * `resource.List(apiVersion, resource, namespace)` through the ClusterReader port (plural resource
 * names are mapped to kinds), plus camel-case aliases. `resource.Post` needs a live cluster.
 */
import type { Ports } from '../../ports.js';
import { CelEvalError } from '../errors.js';
import { toCel } from '../values.js';
import { type CelFunctionEntry, type CelLibrary, type CelLibraryContext, contextVariable } from './types.js';

/** `resource`: bound per evaluation, with the evaluation's cluster port. */
export const resourceContext = contextVariable('ResourceNamespace', 'resource');

/** Resources whose kind is not a plain singular of the plural name. */
const IRREGULAR: Readonly<Record<string, string>> = {
  endpoints: 'Endpoints',
  ingresses: 'Ingress',
  ingressclasses: 'IngressClass',
  networkpolicies: 'NetworkPolicy',
  podsecuritypolicies: 'PodSecurityPolicy',
  priorityclasses: 'PriorityClass',
  storageclasses: 'StorageClass',
  runtimeclasses: 'RuntimeClass',
  resourcequotas: 'ResourceQuota',
  configmaps: 'ConfigMap',
  serviceaccounts: 'ServiceAccount',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  persistentvolumes: 'PersistentVolume',
  limitranges: 'LimitRange',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  cronjobs: 'CronJob',
  clusterroles: 'ClusterRole',
  clusterrolebindings: 'ClusterRoleBinding',
  rolebindings: 'RoleBinding',
  poddisruptionbudgets: 'PodDisruptionBudget',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  customresourcedefinitions: 'CustomResourceDefinition',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  subjectaccessreviews: 'SubjectAccessReview',
  replicationcontrollers: 'ReplicationController',
  policies: 'Policy',
  clusterpolicies: 'ClusterPolicy',
  policyexceptions: 'PolicyException',
};

/** `deployments` → `Deployment`; irregular plurals come from the table above. */
export function kindOfResource(resource: string): string {
  const lower = resource.toLowerCase();
  const known = IRREGULAR[lower];
  if (known !== undefined) return known;
  let singular = lower;
  if (lower.endsWith('ies')) singular = `${lower.slice(0, -3)}y`;
  else if (/(ses|xes|ches|shes)$/.test(lower)) singular = lower.slice(0, -2);
  else if (lower.endsWith('s')) singular = lower.slice(0, -1);
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

function cluster(ports: Ports) {
  const reader = ports.cluster;
  if (reader === undefined) throw new CelEvalError('resource library: no cluster access is available');
  return reader;
}

/** The kind of `resource`: as the cluster's own mapping (its CRDs) names it, else by the table. */
function kindIn(reader: NonNullable<Ports['cluster']>, apiVersion: string, resource: string): string {
  return reader.kindOf?.(apiVersion, resource) ?? kindOfResource(resource);
}

function get(ports: Ports, apiVersion: string, resource: string, namespace: string, name: string): unknown {
  const reader = cluster(ports);
  const obj = reader.get(
    apiVersion,
    kindIn(reader, apiVersion, resource),
    namespace === '' ? undefined : namespace,
    name,
  );
  if (obj === undefined) throw new CelEvalError(`${resource} "${name}" not found`);
  return toCel(obj);
}

function list(
  ports: Ports,
  apiVersion: string,
  resource: string,
  namespace: string,
  labels?: Record<string, unknown>,
): unknown {
  const reader = cluster(ports);
  const items = reader
    .list(apiVersion, kindIn(reader, apiVersion, resource), namespace === '' ? undefined : namespace)
    .filter((o) => Object.entries(labels ?? {}).every(([k, v]) => o.metadata?.labels?.[k] === v));
  return toCel({ apiVersion: 'v1', kind: 'List', items });
}

type Ctx = CelLibraryContext;

export function resourceLibrary(): CelLibrary {
  const functions: CelFunctionEntry[] = [];
  for (const [g, l, p] of [
    ['Get', 'List', 'Post'],
    ['get', 'list', 'post'],
  ] as const) {
    functions.push(
      {
        signature: `ResourceNamespace.${g}(string, string, string, string): map<string, dyn>`,
        impl: (c: Ctx, a: string, r: string, n: string, name: string) => get(c.runtime.ports, a, r, n, name),
      },
      {
        signature: `ResourceNamespace.${l}(string, string, string): map<string, dyn>`,
        impl: (c: Ctx, a: string, r: string, n: string) => list(c.runtime.ports, a, r, n),
      },
      {
        signature: `ResourceNamespace.${l}(string, string, string, map<string, string>): map<string, dyn>`,
        impl: (c: Ctx, a: string, r: string, n: string, sel: Record<string, unknown>) =>
          list(c.runtime.ports, a, r, n, sel),
      },
      {
        signature: `ResourceNamespace.${p}(string, string, map<string, dyn>): map<string, dyn>`,
        impl: () => {
          throw new CelEvalError('resource.Post is not available without a live cluster');
        },
      },
    );
  }
  return {
    name: 'resource',
    types: [{ name: resourceContext.type, ctor: resourceContext.ctor }],
    variables: [resourceContext],
    functions,
  };
}
