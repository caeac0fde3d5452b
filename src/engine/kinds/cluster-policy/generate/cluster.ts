/**
 * @module What the generator can see of the cluster: the ClusterReader port, the trigger itself and
 * the objects this rule already generated. Kyverno's CLI runs generation against a fake cluster
 * holding the trigger and the test's clone sources; objects it creates become visible to later
 * elements, so a second element aiming at the same target finds it existing.
 */
import type { KubeObject } from '../../../model/kube-object.js';
import type { ClusterReader } from '../../../ports.js';
import { type ResourceSpec, text } from './types.js';

export interface GenerateCluster {
  get(spec: ResourceSpec): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace: string): KubeObject[];
  /** Records an object this rule generated. */
  add(obj: KubeObject): void;
}

function sameObject(obj: KubeObject, spec: ResourceSpec): boolean {
  return (
    (spec.apiVersion === '' || text(obj.apiVersion) === spec.apiVersion) &&
    text(obj.kind) === spec.kind &&
    text(obj.metadata?.name) === spec.name &&
    text(obj.metadata?.namespace) === spec.namespace
  );
}

function inList(obj: KubeObject, apiVersion: string, kind: string, namespace: string): boolean {
  return (
    (apiVersion === '' || text(obj.apiVersion) === apiVersion) &&
    text(obj.kind) === kind &&
    (namespace === '' || text(obj.metadata?.namespace) === namespace)
  );
}

function key(obj: KubeObject): string {
  return [obj.apiVersion, obj.kind, obj.metadata?.namespace, obj.metadata?.name].map(text).join('/');
}

export function createGenerateCluster(port: ClusterReader | undefined, trigger: KubeObject): GenerateCluster {
  const local: KubeObject[] = Object.keys(trigger).length > 0 ? [trigger] : [];
  return {
    get(spec) {
      const hit = local.find((o) => sameObject(o, spec));
      if (hit !== undefined) return hit;
      const ns = spec.namespace === '' ? undefined : spec.namespace;
      return port?.get(spec.apiVersion, spec.kind, ns, spec.name);
    },
    list(apiVersion, kind, namespace) {
      const seen = new Map<string, KubeObject>();
      const fromPort = port?.list(apiVersion, kind, namespace === '' ? undefined : namespace) ?? [];
      for (const o of [...fromPort, ...local]) {
        if (inList(o, apiVersion, kind, namespace) && !seen.has(key(o))) seen.set(key(o), o);
      }
      // The fake cluster lists in namespace/name order; keep output deterministic the same way.
      return [...seen.values()].sort((a, b) => {
        const na = `${text(a.metadata?.namespace)}/${text(a.metadata?.name)}`;
        const nb = `${text(b.metadata?.namespace)}/${text(b.metadata?.name)}`;
        return na < nb ? -1 : na > nb ? 1 : 0;
      });
    },
    add(obj) {
      local.push(obj);
    },
  };
}
