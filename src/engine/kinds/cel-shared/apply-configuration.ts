/**
 * @module ApplyConfiguration mutations: the structured merge (sigs.k8s.io/structured-merge-diff
 * `Merge`, as k8s.io/apiserver's mutating admission `ApplyStructuredMergeDiff` uses it) of a patch
 * object onto the live object. Maps and structs merge key by key; associative lists (a Kubernetes
 * list type `map`, e.g. containers by `name`) merge element by element keeping the relative order
 * of both sides; `set` lists merge by value; every other list is atomic and replaced. The list
 * types come from the built-in Kubernetes schema tables (mutate/merge-keys.ts); kinds it does not
 * know (CRDs) get the deduced schema, where every list is atomic.
 */

import type { KubeObject } from '../../model/kube-object.js';
import { type SchemaNode, schemaForType } from '../cluster-policy/mutate/merge-keys.js';

/** The patch cannot be merged (e.g. an associative list element without its key). */
export class ApplyConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyConfigurationError';
  }
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setOwn(target: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, clone(x));
    return out;
  }
  return v;
}

/** Key fields whose schema default applies when an element omits them (Kubernetes OpenAPI). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

function formatPath(path: readonly string[]): string {
  return path.length === 0 ? '.' : path.map((p) => (p.startsWith('[') ? p : `.${p}`)).join('');
}

/** The identity of a list element: its key fields (associative list) or its value (set). */
function elementKey(item: unknown, keys: readonly string[], path: readonly string[], index: number): string {
  if (keys.length === 0) return JSON.stringify(item);
  if (!isMap(item)) {
    throw new ApplyConfigurationError(
      `${formatPath(path)}: element ${index}: associative list with keys must contain objects`,
    );
  }
  const parts = keys.map((k) => {
    if (Object.hasOwn(item, k) && item[k] !== null && item[k] !== undefined) return item[k];
    if (Object.hasOwn(KEY_DEFAULTS, k)) return KEY_DEFAULTS[k];
    throw new ApplyConfigurationError(
      `${formatPath(path)}: element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
    );
  });
  return JSON.stringify(parts);
}

interface Indexed {
  readonly keys: string[];
  readonly byKey: Map<string, unknown>;
}

function index(list: readonly unknown[], keys: readonly string[], path: readonly string[]): Indexed {
  const out: Indexed = { keys: [], byKey: new Map() };
  list.forEach((item, i) => {
    const k = elementKey(item, keys, path, i);
    // A live object may hold duplicates; the first one stands for the key.
    if (out.byKey.has(k)) return;
    out.keys.push(k);
    out.byKey.set(k, item);
  });
  return out;
}

/**
 * Merges two associative lists the way structured-merge-diff does: live elements stay in their
 * order, elements only in the patch are inserted where the patch places them relative to the
 * shared ones, and shared elements are merged recursively.
 */
function mergeAssociative(
  lhs: readonly unknown[],
  rhs: readonly unknown[],
  keys: readonly string[],
  schema: SchemaNode | undefined,
  path: readonly string[],
): unknown[] {
  const l = index(lhs, keys, path);
  const r = index(rhs, keys, path);
  const shared = r.keys.filter((k) => l.byKey.has(k));
  let nextShared = 0;
  const merged = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (k: string): unknown => {
    const a = l.byKey.get(k);
    const b = r.byKey.get(k);
    if (!l.byKey.has(k)) return clone(b);
    if (!r.byKey.has(k)) return clone(a);
    return mergeValues(a, b, schema, [...path, `[${k}]`]);
  };
  let li = 0;
  let ri = 0;
  while (li < l.keys.length || ri < r.keys.length) {
    if (li < l.keys.length && ri < r.keys.length) {
      const lk = l.keys[li]!;
      if (lk === r.keys[ri]) {
        merged.add(lk);
        out.push(mergeItem(lk));
        li++;
        ri++;
        if (shared[nextShared] === lk) nextShared++;
        continue;
      }
      // A shared element that is not the next one the patch expects waits for its turn.
      if (r.byKey.has(lk) && nextShared < shared.length && shared[nextShared] !== lk) {
        li++;
        continue;
      }
    }
    if (li < l.keys.length) {
      const lk = l.keys[li]!;
      if (!r.byKey.has(lk)) {
        out.push(clone(l.byKey.get(lk)));
        li++;
        continue;
      }
      if (merged.has(lk)) {
        li++;
        continue;
      }
    }
    if (ri < r.keys.length) {
      const rk = r.keys[ri]!;
      merged.add(rk);
      out.push(mergeItem(rk));
      ri++;
      if (shared[nextShared] === rk) nextShared++;
    }
  }
  return out;
}

/** Merges `rhs` (the patch) onto `lhs` (the live value) at `path`. */
function mergeValues(
  lhs: unknown,
  rhs: unknown,
  schema: SchemaNode | undefined,
  path: readonly string[],
): unknown {
  if (rhs === undefined) return clone(lhs);
  if (rhs === null) {
    // A null patch leaves a populated granular map alone (structured-merge-diff derefs it to nothing).
    return isMap(lhs) && Object.keys(lhs).length > 0 ? clone(lhs) : null;
  }
  if (isMap(rhs)) {
    if (!isMap(lhs)) return clone(rhs);
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(lhs)) {
      setOwn(
        out,
        k,
        Object.hasOwn(rhs, k) ? mergeValues(v, rhs[k], schema?.field(k), [...path, k]) : clone(v),
      );
    }
    for (const [k, v] of Object.entries(rhs)) {
      if (!Object.hasOwn(lhs, k) && v !== undefined)
        setOwn(out, k, mergeValues(undefined, v, schema?.field(k), [...path, k]));
    }
    return out;
  }
  if (Array.isArray(rhs)) {
    const merge = schema?.listMerge;
    if (merge === undefined || !Array.isArray(lhs)) {
      // Validate keys even when nothing is live yet: the patch itself must be well-formed.
      if (merge !== undefined) index(rhs, merge.keys, path);
      return clone(rhs);
    }
    return mergeAssociative(lhs, rhs, merge.keys, schema?.elements(), path);
  }
  return rhs;
}

/**
 * Which schema the merge uses: `builtin` (the Kubernetes types of the original's apiVersion and
 * kind, deduced for others) or `deduced` (every list atomic, as Kubernetes' deduced type
 * converter — what Kyverno's CLI uses for MutatingAdmissionPolicies).
 */
export type MergeSchema = 'builtin' | 'deduced';

/**
 * Applies an ApplyConfiguration patch object to `original` and returns the merged copy.
 * Throws `ApplyConfigurationError`.
 */
export function applyConfiguration(
  original: KubeObject,
  patch: Readonly<Record<string, unknown>>,
  mergeSchema: MergeSchema = 'builtin',
): KubeObject {
  const schema =
    mergeSchema === 'deduced'
      ? undefined
      : schemaForType(String(original.apiVersion ?? ''), String(original.kind ?? ''));
  const merged = mergeValues(original, patch, schema, []) as KubeObject;
  // The patch is typed as the object's own kind: it cannot change apiVersion or kind.
  if (original.apiVersion !== undefined) setOwn(merged as JsonMap, 'apiVersion', original.apiVersion);
  if (original.kind !== undefined) setOwn(merged as JsonMap, 'kind', original.kind);
  return merged;
}
