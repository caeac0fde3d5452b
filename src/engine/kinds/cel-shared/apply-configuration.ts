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
import { keepNil } from './nil-lists.js';
import type { TypeNode, TypeSchemas } from './typed/schema.js';
import {
  deduceAtom,
  fieldType,
  formatTypedErrors,
  isMap,
  resolveAtom,
  elementKey as typedElementKey,
  validateTyped,
} from './typed/typed-value.js';

/** The patch cannot be merged (e.g. an associative list element without its key). */
export class ApplyConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyConfigurationError';
  }
}

type JsonMap = Record<string, unknown>;

function setOwn(target: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy; a nil list stays nil (SMD hands the patch's or live value on as it is). */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) return keepNil(v, v.map(clone));
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

type KeyOf = (item: unknown, index: number) => string;

function index(list: readonly unknown[], keyOf: KeyOf): Indexed {
  const out: Indexed = { keys: [], byKey: new Map() };
  list.forEach((item, i) => {
    const k = keyOf(item, i);
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
  keyOf: KeyOf,
  mergeShared: (a: unknown, b: unknown, key: string) => unknown,
): unknown[] {
  const l = index(lhs, keyOf);
  const r = index(rhs, keyOf);
  const shared = r.keys.filter((k) => l.byKey.has(k));
  let nextShared = 0;
  const merged = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (k: string): unknown => {
    const a = l.byKey.get(k);
    const b = r.byKey.get(k);
    if (!l.byKey.has(k)) return clone(b);
    if (!r.byKey.has(k)) return clone(a);
    return mergeShared(a, b, k);
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
      if (merge !== undefined) index(rhs, (item, i) => elementKey(item, merge.keys, path, i));
      return clone(rhs);
    }
    const keyOf: KeyOf = (item, i) => elementKey(item, merge.keys, path, i);
    return mergeAssociative(lhs, rhs, keyOf, (a, b, k) =>
      mergeValues(a, b, schema?.elements(), [...path, `[${k}]`]),
    );
  }
  return rhs;
}

/**
 * Merges `rhs` onto `lhs` with a typed schema, as SMD's mergingWalker: the branch of the type each
 * side takes decides; atomic maps and lists, scalars, and values whose branches differ are taken
 * from the patch; an empty or null patch over an empty live value is taken too (keeping the
 * empty/null distinction); granular maps merge key by key and associative lists element by element
 * (a null patch leaves their live items alone). Both sides were validated first.
 */
function mergeTyped(schemas: TypeSchemas, node: TypeNode, lhs: unknown, rhs: unknown): unknown {
  if (rhs === undefined) return clone(lhs);
  if (lhs === undefined) return clone(rhs);
  const atom = resolveAtom(schemas, node);
  const a = deduceAtom(atom, rhs === null ? lhs : rhs);
  const l = deduceAtom(atom, lhs);
  const r = rhs === null ? a : deduceAtom(atom, rhs);
  // Different branches (a scalar over a map, …): SMD ends up with the patch's value.
  if (rhs !== null && (l.m !== undefined) !== (r.m !== undefined)) return clone(rhs);
  if (a.m !== undefined) {
    const lm = isMap(lhs) ? lhs : undefined;
    const rm = isMap(rhs) ? rhs : undefined;
    const lEmpty = lm === undefined || Object.keys(lm).length === 0;
    const rEmpty = rm === undefined || Object.keys(rm).length === 0;
    if (a.m.a === 1 || (lEmpty && rEmpty)) return clone(rhs);
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(lm ?? {})) {
      const t = fieldType(a.m, k) ?? 'D';
      setOwn(out, k, rm !== undefined && Object.hasOwn(rm, k) ? mergeTyped(schemas, t, v, rm[k]) : clone(v));
    }
    for (const [k, v] of Object.entries(rm ?? {})) {
      if (lm !== undefined && Object.hasOwn(lm, k)) continue;
      if (v !== undefined) setOwn(out, k, clone(v));
    }
    return out;
  }
  if (a.s !== undefined || a.l === undefined) return clone(rhs);
  const list = a.l;
  const ll = Array.isArray(lhs) ? lhs : undefined;
  const rl = Array.isArray(rhs) ? rhs : undefined;
  if (list.t === undefined || ((ll?.length ?? 0) === 0 && (rl?.length ?? 0) === 0)) return clone(rhs);
  const keyOf: KeyOf = (item) => {
    const k = typedElementKey(list, item);
    // Validation rejected such elements already.
    if ('error' in k)
      throw new ApplyConfigurationError(`error applying patch: failed to merge patch: ${k.error}`);
    return k.key;
  };
  return mergeAssociative(ll ?? [], rl ?? [], keyOf, (x, y) => mergeTyped(schemas, list.e, x, y));
}

/** The type of `apiVersion`/`kind` in `schemas`, or the error the reference reports without one. */
function typeOf(schemas: TypeSchemas, apiVersion: string, kind: string): TypeNode {
  const gv = schemas.gvs[apiVersion];
  // Kyverno's type converter manager has no converter for a group-version without a schema.
  if (gv === undefined)
    throw new ApplyConfigurationError('error applying patch: type converter must not be nil');
  const t = gv[kind];
  if (t === undefined) {
    const slash = apiVersion.indexOf('/');
    const gvk = slash < 0 ? `/${apiVersion}, Kind=${kind}` : `${apiVersion}, Kind=${kind}`;
    throw new ApplyConfigurationError(
      `error applying patch: failed to convert patch object to typed object: no corresponding type for ${gvk}`,
    );
  }
  return t;
}

/**
 * Kyverno's applyStructuredMergeDiff with a typed converter: the patch (typed as the original's
 * kind) and then the original are converted to typed values — undeclared fields, wrong scalar
 * types, bad list keys and (in the patch) duplicate keys are errors and nothing is patched — and
 * the patch is merged with the schema's list and map types.
 */
/**
 * The paths of the atomic lists, maps and structs a patch sets (Kubernetes' mutating admission
 * `findAtomics`: declared struct fields and list elements are walked, a map's other keys are not).
 */
export function findAtomics(schemas: TypeSchemas, node: TypeNode, v: unknown, path = ''): string[] {
  const atom = resolveAtom(schemas, node);
  const out: string[] = [];
  if (isMap(v) && atom.m !== undefined) {
    if (atom.m.a === 1) out.push(path);
    for (const [k, x] of Object.entries(v)) {
      const t = atom.m.f !== undefined && Object.hasOwn(atom.m.f, k) ? atom.m.f[k] : undefined;
      if (t !== undefined) out.push(...findAtomics(schemas, t, x, `${path}.${k}`));
    }
  }
  if (Array.isArray(v) && atom.l !== undefined) {
    if (atom.l.t === undefined) out.push(path);
    const e = atom.l.e;
    for (const [i, x] of v.entries()) out.push(...findAtomics(schemas, e, x, `${path}[${i}]`));
  }
  return out;
}

function applyTyped(
  original: KubeObject,
  patch: JsonMap,
  schemas: TypeSchemas,
  serverSideApply: boolean,
): KubeObject {
  const apiVersion = String(original.apiVersion ?? '');
  const kind = String(original.kind ?? '');
  const node = typeOf(schemas, apiVersion, kind);
  const typedPatch: JsonMap = { ...patch };
  if (original.apiVersion !== undefined) setOwn(typedPatch, 'apiVersion', original.apiVersion);
  if (original.kind !== undefined) setOwn(typedPatch, 'kind', original.kind);
  const patchErrors = validateTyped(schemas, node, typedPatch, false);
  if (patchErrors.length > 0) {
    throw new ApplyConfigurationError(
      `error applying patch: failed to convert patch object to typed object: ${formatTypedErrors(patchErrors)}`,
    );
  }
  // Kyverno merges with the guarded upstream ApplyStructuredMergeDiff unless the policy asks for
  // server-side apply: setting an atomic value would drop the fields the patch leaves out.
  const atomics = serverSideApply ? [] : findAtomics(schemas, node, typedPatch);
  if (atomics.length > 0) {
    throw new ApplyConfigurationError(
      `error applying patch: invalid ApplyConfiguration: may not mutate atomic arrays, maps or structs: ${atomics.join(', ')}`,
    );
  }
  const liveErrors = validateTyped(schemas, node, original, true);
  if (liveErrors.length > 0) {
    throw new ApplyConfigurationError(
      `error applying patch: failed to convert original object to typed object: ${formatTypedErrors(liveErrors)}`,
    );
  }
  return mergeTyped(schemas, node, original, typedPatch) as KubeObject;
}

/**
 * Which schema the merge uses: `builtin` (the Kubernetes types of the original's apiVersion and
 * kind, deduced for others) or `deduced` (every list atomic, as Kubernetes' deduced type
 * converter — what Kyverno's CLI uses for MutatingAdmissionPolicies).
 */
export type MergeSchema = 'builtin' | 'deduced' | TypeSchemas;

/**
 * Applies an ApplyConfiguration patch object to `original` and returns the merged copy.
 * Throws `ApplyConfigurationError`.
 */
export function applyConfiguration(
  original: KubeObject,
  patch: Readonly<Record<string, unknown>>,
  mergeSchema: MergeSchema = 'builtin',
  serverSideApply = false,
): KubeObject {
  if (typeof mergeSchema === 'object') return applyTyped(original, patch, mergeSchema, serverSideApply);
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
