/**
 * @module The set's index: policies by the kinds (legacy) and resources (CEL kinds) they can match,
 * per namespace ('' holds the cluster-wide ones), plus the ones whose match cannot be indexed.
 */
import { BoundedMemo } from '../units/bounded-memo.js';
import type { CompiledSetPolicy, IndexTargets } from './types.js';

interface Bucket {
  readonly byKind: Map<string, CompiledSetPolicy[]>;
  readonly byResource: Map<string, CompiledSetPolicy[]>;
  readonly any: CompiledSetPolicy[];
}

// Distinct (kind, resource, namespace) queries are few; bounded for long-running processes.
const MAX_CACHED_QUERIES = 4096;

function add(map: Map<string, CompiledSetPolicy[]>, key: string, p: CompiledSetPolicy): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [p]);
  else list.push(p);
}

export type PoliciesFor = (
  target: { readonly kind?: string; readonly resource?: string },
  namespace: string,
) => readonly CompiledSetPolicy[];

/** Builds the index once; queries are memoised. */
export function indexPolicies(
  policies: readonly CompiledSetPolicy[],
  targetsOf: (p: CompiledSetPolicy) => IndexTargets,
): PoliciesFor {
  const buckets = new Map<string, Bucket>();
  for (const p of policies) {
    const ns = p.ref.namespace ?? '';
    let bucket = buckets.get(ns);
    if (bucket === undefined) {
      bucket = { byKind: new Map(), byResource: new Map(), any: [] };
      buckets.set(ns, bucket);
    }
    const t = targetsOf(p);
    if (t.any === true) bucket.any.push(p);
    else {
      for (const k of t.kinds) add(bucket.byKind, k, p);
      for (const r of t.resources) add(bucket.byResource, r, p);
    }
  }
  const cache = new BoundedMemo<string, readonly CompiledSetPolicy[]>(MAX_CACHED_QUERIES);
  return (target, namespace) => {
    const key = `${target.kind ?? ''}\u0000${target.resource ?? ''}\u0000${namespace}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const found = new Set<CompiledSetPolicy>();
    for (const ns of namespace === '' ? [''] : ['', namespace]) {
      const b = buckets.get(ns);
      if (b === undefined) continue;
      for (const p of b.any) found.add(p);
      if (target.kind !== undefined) for (const p of b.byKind.get(target.kind) ?? []) found.add(p);
      if (target.resource !== undefined)
        for (const p of b.byResource.get(target.resource) ?? []) found.add(p);
    }
    const out = [...found].sort((a, b) => a.seq - b.seq);
    cache.set(key, out);
    return out;
  };
}
