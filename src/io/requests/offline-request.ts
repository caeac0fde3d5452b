/**
 * @module The offline run's AdmissionRequests (`palisade apply`, `palisade test`, a playground): a
 * loaded resource, the values file and `--set` (operation, namespaces, subresources, per-policy
 * variables), the user info file and a test row's operation, as Kyverno's CLI builds its requests.
 */
import {
  type AdmissionRequest,
  type KubeObject,
  type OfflineRequestContext,
  type Operation,
  operationOf,
  type RequestInfo,
  resourceForKind,
  splitApiVersion,
  type VariableValues,
} from '../../engine/index.js';
import { computeVariableValues, namespaceLabels, type ValuesSpec } from '../files/values-spec.js';

export interface OfflineInputs {
  readonly values?: ValuesSpec;
  readonly setValues?: Readonly<Record<string, string>>;
  readonly requestInfo?: RequestInfo;
  /** Existing objects mutate-existing MutatingPolicies may patch (test `targetResources`). */
  readonly targets?: readonly KubeObject[];
  /**
   * The fake cluster's Namespaces, by name, when the test gives `clusterResources`: Kyverno's CLI
   * then reads a resource's namespace labels from the cluster unless the values file gives some.
   */
  readonly clusterNamespaces?: ReadonlyMap<string, KubeObject>;
}

/** Whether the namespace's labels come from the fake cluster (Kyverno's PolicyProcessor in cluster mode). */
function readsClusterNamespace(object: KubeObject, inputs: OfflineInputs): boolean {
  const namespace = object.metadata?.namespace ?? '';
  if (inputs.clusterNamespaces === undefined || object.kind === 'Namespace' || namespace === '') return false;
  const labels = namespaceLabels(inputs.values, namespace);
  return labels === undefined || Object.keys(labels).length === 0;
}

/**
 * Kyverno's CLI fails the run when, in cluster mode, a resource's namespace is not in the cluster:
 * the error it reports, or undefined when the resource can be evaluated.
 */
export function missingClusterNamespace(object: KubeObject, inputs: OfflineInputs): string | undefined {
  if (!readsClusterNamespace(object, inputs)) return undefined;
  const namespace = object.metadata?.namespace ?? '';
  if (inputs.clusterNamespaces?.has(namespace) === true) return undefined;
  return `failed to apply policies on resource ${object.metadata?.name ?? ''} (failed to get the resource's namespace (namespaces "${namespace}" not found))`;
}

/** Kyverno CLI `Variables.Namespace`: a full `namespaces` object first, else a `namespaceSelector` entry. */
export function namespaceObjectFor(values: ValuesSpec | undefined, namespace: string): KubeObject | null {
  if (values === undefined || namespace === '') return null;
  for (const ns of values.namespaces ?? []) {
    if (ns.metadata?.name === namespace) return ns as KubeObject;
  }
  for (const ns of values.namespaceSelector ?? []) {
    if (ns.name === namespace) {
      return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, ...(ns.labels !== undefined ? { labels: { ...ns.labels } } : {}) },
      };
    }
  }
  return null;
}

function field(o: unknown, key: string): string {
  const v = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * The request's kind, resource and subresource. A kind the values file declares as a subresource
 * (`subresources[]`, e.g. Binding as `pods/binding`) is requested as its parent's subresource, as
 * Kyverno's CLI does for resources given offline.
 */
function requestTarget(object: KubeObject, values: ValuesSpec | undefined) {
  const { group, version } = splitApiVersion(object.apiVersion ?? '');
  const kind = object.kind ?? '';
  for (const entry of values?.subresources ?? []) {
    const sub = (entry as Record<string, unknown> | null)?.subresource;
    const parent = (entry as Record<string, unknown> | null)?.parentResource;
    if (field(sub, 'kind') !== kind || field(sub, 'group') !== group || field(sub, 'version') !== version)
      continue;
    const [parentName, subName] = field(sub, 'name').split('/', 2);
    if (subName === undefined) continue;
    const pg = field(parent, 'group');
    const pv = field(parent, 'version');
    return {
      kind: { group: pg, version: pv, kind: field(parent, 'kind') },
      resource: { group: pg, version: pv, resource: field(parent, 'name') || (parentName ?? '') },
      subResource: subName,
    };
  }
  return {
    kind: { group, version, kind },
    resource: { group, version, resource: resourceForKind(kind) },
  };
}

/** Per-policy variable values; a forced operation (a test row) overrides `request.operation`. */
function variablesFor(
  inputs: OfflineInputs,
  resourceName: string,
  forced: Operation | undefined,
): (policyName: string) => VariableValues {
  // The values of every policy the values file does not name are the same (its globals and --set):
  // made once per resource and shared (they are read, never changed), not once per policy.
  let unnamed: VariableValues | undefined;
  return (policyName) => {
    if (namesPolicy(inputs, policyName)) return valuesOf(inputs, policyName, resourceName, forced);
    unnamed ??= valuesOf(inputs, policyName, resourceName, forced);
    return unnamed;
  };
}

function valuesOf(
  inputs: OfflineInputs,
  policyName: string,
  resourceName: string,
  forced: Operation | undefined,
): VariableValues {
  const values = computeVariableValues(inputs.values, inputs.setValues ?? {}, policyName, resourceName);
  if (forced === undefined) return values;
  return { ...values, global: { ...values.global, 'request.operation': forced } };
}

/** Whether the values file has an entry for the policy (only such entries make values per policy). */
function namesPolicy(inputs: OfflineInputs, policyName: string): boolean {
  for (const p of inputs.values?.policies ?? []) if (p.name === policyName) return true;
  return false;
}

/**
 * The request Kyverno's CLI makes for `object`: the operation is `operation` (a test row's) else
 * `request.operation` from `--set` or the values file's globalValues, CREATE by default. Never throws.
 */
export function offlineRequest(
  object: KubeObject,
  inputs: OfflineInputs,
  operation?: Operation,
): AdmissionRequest {
  const fromValues =
    inputs.setValues?.['request.operation'] ?? inputs.values?.globalValues?.['request.operation'];
  const op = operation ?? operationOf(fromValues);
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace ?? '';
  const info = inputs.requestInfo;
  const fromCluster = readsClusterNamespace(object, inputs)
    ? inputs.clusterNamespaces?.get(namespace)
    : undefined;
  const labels =
    fromCluster !== undefined
      ? { ...(fromCluster.metadata?.labels ?? {}) }
      : namespaceLabels(inputs.values, object.metadata?.namespace);
  const context: OfflineRequestContext = {
    namespaceObject: fromCluster ?? namespaceObjectFor(inputs.values, namespace),
    ...(labels !== undefined ? { namespaceLabels: labels } : {}),
    ...(info !== undefined ? { roles: info.roles, clusterRoles: info.clusterRoles } : {}),
    variables: variablesFor(inputs, name, operation),
    operationFromValues: operation === undefined,
    ...(inputs.targets !== undefined ? { mutateExistingTargets: inputs.targets } : {}),
  };
  return {
    uid: '',
    ...requestTarget(object, inputs.values),
    name,
    namespace,
    operation: op,
    object: op === 'DELETE' ? null : object,
    oldObject: op === 'UPDATE' || op === 'DELETE' ? object : null,
    ...(info !== undefined ? { userInfo: info.userInfo } : {}),
    ...(info?.dryRun !== undefined ? { dryRun: info.dryRun } : {}),
    context,
  };
}

/** A test row's `operation`, when it names one Kyverno knows (else the values decide). */
export function rowOperation(operation: string | undefined): Operation | undefined {
  const op = operation?.toUpperCase();
  return op === 'UPDATE' || op === 'DELETE' || op === 'CONNECT' ? op : undefined;
}
