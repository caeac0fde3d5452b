/**
 * @module `context[].configMap{name, namespace}` (Kyverno `loaders/configmap.go`): stores
 * `{data, metadata}` of the ConfigMap under the entry name. The namespace defaults to the policy's
 * own (namespaced Policy, which may not read other namespaces) or `default`.
 */
import type { ContextEntry } from '../../kinds/cluster-policy/types.js';
import type { ClusterReader } from '../../ports.js';
import type { JsonContext } from '../json-context.js';
import { errorText, substituteIn } from './_substitute.js';
import { ContextLoadError } from './errors.js';

type ConfigMapSpec = NonNullable<ContextEntry['configMap']>;

function fetch(
  name: string,
  spec: ConfigMapSpec,
  ctx: JsonContext,
  cluster: ClusterReader,
  policyNamespace: string,
): unknown {
  const cmName = substituteIn(
    name,
    spec.name,
    ctx,
    `failed to substitute variables in context ${name} configMap.name ${spec.name}`,
  );
  let namespace = substituteIn(
    name,
    spec.namespace ?? '',
    ctx,
    `failed to substitute variables in context ${name} configMap.namespace ${spec.namespace ?? ''}`,
  );
  if (namespace === '' || namespace === null)
    namespace = policyNamespace !== '' ? policyNamespace : 'default';
  const ns = String(namespace);
  if (policyNamespace !== '' && ns !== policyNamespace) {
    throw new Error(
      `context entry ${name}: configMap namespace ${JSON.stringify(ns)} is different from policy namespace ${JSON.stringify(policyNamespace)}`,
    );
  }
  const obj = cluster.get('v1', 'ConfigMap', ns, String(cmName));
  if (!obj)
    throw new Error(
      `failed to get configmap ${ns}/${String(cmName)} : configmaps "${String(cmName)}" not found`,
    );
  return { data: obj.data ?? null, metadata: obj.metadata ?? {} };
}

export function loadConfigMap(
  name: string,
  spec: ConfigMapSpec,
  ctx: JsonContext,
  cluster: ClusterReader,
  policyNamespace: string,
): void {
  let data: unknown;
  try {
    data = fetch(name, spec, ctx, cluster, policyNamespace);
  } catch (error) {
    const reason = error instanceof ContextLoadError ? error.message : errorText(error);
    throw new ContextLoadError(name, `failed to retrieve config map for context entry ${name}: ${reason}`, {
      cause: error,
    });
  }
  ctx.set(name, data);
}
