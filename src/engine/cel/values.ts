/**
 * @module Conversion between plain JSON-like values and CEL runtime values (@marcbachmann/cel-js):
 * JSON integers become CEL `int` (bigint) as Kubernetes' unstructured decoding gives int64, other
 * numbers stay `double`; objects become null-prototype maps so keys such as `__proto__` stay data.
 */
import { Buffer } from 'node:buffer';
import { Duration, Optional, UnsignedInt } from './cel-js.js';
import { durationString } from './libs/go-format.js';
import { CEL_MAP_PROTOTYPE, celMap, isMapPrototype } from './map-prototype.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

// The CEL ints of small JSON integers (ports, counts, ids), made once: bigints are compared by
// value, so sharing them changes nothing, and a Pod's conversion allocates fewer.
const SMALL_INTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/**
 * A map whose entries are computed on first access (CEL `variables`, evaluated lazily in order).
 * A Proxy over a plain null-prototype object, not accessor properties: V8 allocates each getter pair
 * in the old space, and a getter closing over the request's activation then kept the whole request
 * alive through every scavenge until the next full GC (see docs/decisions/0007-performance.md).
 */
export class CelLazyMap {
  readonly #view: Record<string, unknown>;
  /** `entries` best as a Map: closures over a request kept as an object's properties were promoted too. */
  constructor(entries: ReadonlyMap<string, () => unknown> | Readonly<Record<string, () => unknown>>) {
    const computes = new Map<string, () => unknown>(
      entries instanceof Map ? entries : Object.entries(entries),
    );
    const names = [...computes.keys()];
    this.#view = lazyView({ names, known: new Set(names) }, (name) =>
      (computes.get(name) as () => unknown)(),
    );
  }
  /** The CEL view of this map (entries are computed on access). */
  get celValue(): Record<string, unknown> {
    return this.#view;
  }
}

/** The names of a lazy map, in declaration order: fixed per declaration, so shared by its views. */
export interface LazyNames {
  readonly names: readonly string[];
  readonly known: ReadonlySet<string>;
}

/** What a view's traps find on their target (a symbol key: CEL reads string keys only). */
const LAZY = Symbol('lazy map');

class LazyState {
  readonly shape: LazyNames;
  readonly compute: (name: string) => unknown;
  /** The view's target, whose state this is (see `lazyField`). */
  readonly target: LazyTarget;
  /** Whether one of the names is `constructor` (see `lazyTargetOf`), asked at every read. */
  readonly namesConstructor: boolean;
  constructor(shape: LazyNames, compute: (name: string) => unknown, target: LazyTarget) {
    this.shape = shape;
    this.compute = compute;
    this.target = target;
    this.namesConstructor = shape.known.has('constructor');
  }
}

type LazyTarget = Record<string | symbol, unknown> & { [LAZY]: LazyState };

/** Computes `name` into `target` once; afterwards it is a plain data property there. */
function materialize(target: LazyTarget, name: string): void {
  // Computed already is the common case: tested first.
  if (Object.hasOwn(target, name)) return;
  const state = target[LAZY];
  if (!state.shape.known.has(name)) return;
  for (let i = 0; i < computing.length; i += 2) {
    if (computing[i] === state && computing[i + 1] === name)
      throw new Error(`variable '${name}' refers to itself`);
  }
  computing.push(state, name);
  try {
    const value = state.compute(name);
    // A CEL evaluation's value (a list of converted maps, say) is kept as it is: `toCel` would only
    // copy it into an equal list, once per policy that reads it.
    target[name] = isCelFixedPoint(value) ? value : toCel(value);
  } finally {
    // Two pops, not `length -= 2`: setting an array's length is a runtime call.
    computing.pop();
    computing.pop();
  }
}

/**
 * Whether `toCel(value)` would give back `value` itself or, for a list, an equal copy (same
 * elements, none of them converted): then the value can be kept without the copy. Integral numbers
 * (turned into ints), `undefined`, holes, plain objects, `Map`s and lazy maps are converted.
 */
export function isCelFixedPoint(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return true;
    case 'number':
      return !Number.isInteger(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    // Lists of lists are copied (a bound on the walk); a list of maps is what variables hold.
    if (depth > 0) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !isCelFixedPoint(value[i], depth + 1)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === CEL_MAP_PROTOTYPE) return true;
  if (proto === Object.prototype || value instanceof Map || value instanceof CelLazyMap) return false;
  return true;
}

/**
 * The entries being computed now, as pairs of state and name (a variable that reads itself fails).
 * One stack for every view rather than a Set per view: evaluation is synchronous, so the entries
 * computed inside an entry's computation are pushed and popped within it.
 */
const computing: unknown[] = [];

function pending(target: LazyTarget, key: string | symbol): boolean {
  return typeof key === 'string' && target[LAZY].shape.known.has(key) && !Object.hasOwn(target, key);
}

// One handler for every view: a view costs its target, its state and the Proxy, nothing more.
const LAZY_HANDLER: ProxyHandler<LazyTarget> = {
  get(t, key) {
    if (typeof key === 'string') materialize(t, key);
    return Reflect.get(t, key);
  },
  // Present without being computed (as an accessor was): listing or testing keys computes nothing.
  getOwnPropertyDescriptor(t, key) {
    if (pending(t, key)) return { value: undefined, writable: true, enumerable: true, configurable: true };
    return Reflect.getOwnPropertyDescriptor(t, key);
  },
  has(t, key) {
    return pending(t, key) || Reflect.has(t, key);
  },
  // In declaration order, computed or not (the target holds a subset of them).
  ownKeys: (t) => t[LAZY].shape.names as string[],
  getPrototypeOf: () => null,
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/**
 * A lazy map's CEL view: reading `name` (one of `shape.names`) computes `compute(name)` once and
 * keeps its CEL value; listing or testing keys computes nothing; an entry that reads itself fails.
 */
export function lazyView(shape: LazyNames, compute: (name: string) => unknown): Record<string, unknown> {
  // The CEL map prototype (nothing inherited, as no prototype: see map-prototype.ts) is quicker to
  // start from than removing `{}`'s; the view still says it has none (`getPrototypeOf` trap).
  const target = celMap() as LazyTarget;
  target[LAZY] = new LazyState(shape, compute, target);
  return new Proxy(target, LAZY_HANDLER);
}

/**
 * What reading the field `name` of `view` gives when `view` is a lazy view and `name` one of its
 * names (`LAZY_MISS` otherwise), with one of the Proxy's traps (the one that finds the view's
 * state) instead of three (its `constructor`, `Object.hasOwn`, the value), for the same outcome.
 * (A WeakMap from views to their targets was slower: a Proxy's identity hash and the map's
 * entries cost more than the traps.)
 */
export function lazyField(view: unknown, name: string): unknown {
  const target = lazyTargetOf(view);
  return target === undefined ? LAZY_MISS : lazyRead(target, name);
}

/** An opaque handle on a lazy view's entries (see `lazyTargetOf`). */
export type LazyEntries = { readonly [LAZY]: unknown };

/**
 * The entries of `view` when it is a lazy view whose `constructor` reads as undefined through the
 * Proxy (no entry so named: a read through the Proxy would compute it first), else undefined.
 */
export function lazyTargetOf(view: unknown): LazyEntries | undefined {
  if (typeof view !== 'object' || view === null) return undefined;
  const state = (view as { [LAZY]?: unknown })[LAZY];
  if (!(state instanceof LazyState) || state.namesConstructor) return undefined;
  return state.target;
}

/** The entry `name` of `entries`, computed on first read as the view's `get` trap does; `LAZY_MISS` when it has none. */
export function lazyRead(entries: LazyEntries, name: string): unknown {
  const target = entries as LazyTarget;
  // Computed already (the commonest read): only names of the view are ever written to its target.
  if (Object.hasOwn(target, name)) return target[name];
  if (!target[LAZY].shape.known.has(name)) return LAZY_MISS;
  materialize(target, name);
  return target[name];
}

/** `lazyField`'s answer when the value is not a lazy view or the name not one of its names. */
export const LAZY_MISS: unique symbol = Symbol('not a lazy field');

/** Marks an activation whose values are already CEL values (see `toCelActivation`). */
export interface CelActivation {
  readonly celActivation: true;
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Results of the expressions that read nothing but the request's data (`object`, `oldObject`,
   * `request`, `namespaceObject`), shared by every activation over that same data: a variable such
   * as `allContainers`, declared alike by many policies, is computed once per request (see
   * `CelProgram.sharedKey`). Set only where those four values are the request's, unchanged.
   */
  readonly shared?: SharedResults | undefined;
}

/** A value an expression computed, with the cost units it took (charged again on every reuse). */
export interface SharedResult {
  readonly value: unknown;
  readonly steps: number;
}

/** Shared results by `CelProgram.sharedKey`. */
export type SharedResults = Map<string, SharedResult>;

/**
 * Converts every value of `activation`. With `memo` (one per admission request: its objects are never
 * changed in place), an object already converted for an earlier policy is reused, also inside another
 * value (`request.object` is `object`); each value converted here is remembered.
 */
export function toCelActivation(
  activation: Readonly<Record<string, unknown>>,
  memo?: WeakMap<object, unknown>,
): CelActivation {
  const values = nullPrototypeObject();
  for (const [k, v] of Object.entries(activation)) {
    if (memo === undefined || v === null || typeof v !== 'object') values[k] = toCel(v);
    else {
      let converted = memo.get(v);
      if (converted === undefined) {
        converted = toCel(v, memo);
        memo.set(v, converted);
      }
      values[k] = converted;
    }
  }
  return { celActivation: true, values };
}

export function isCelActivation(v: unknown): v is CelActivation {
  return typeof v === 'object' && v !== null && (v as { celActivation?: unknown }).celActivation === true;
}

/**
 * JSON-like JS value → CEL value. Values that already are CEL values pass through. Objects found in
 * `memo` (converted earlier for the same request) are taken from it.
 */
export function toCel(value: unknown, memo?: WeakMap<object, unknown>): unknown {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'number':
      if (Number.isSafeInteger(value))
        return value >= 0 && value < SMALL_INTS.length ? (SMALL_INTS[value] as bigint) : BigInt(value);
      if (Number.isInteger(value)) {
        const big = BigInt(value);
        if (big <= INT64_MAX && big >= INT64_MIN) return big;
      }
      return value;
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'object':
      break;
    default:
      return null;
  }
  if (value === null) return null;
  if (memo !== undefined) {
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
  }
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const item = value[i];
      // A hole stays a hole, as `map` left it.
      if (item !== undefined || i in value) out[i] = toCel(item, memo);
    }
    return out;
  }
  if (value instanceof CelLazyMap) return value.celValue;
  const proto = Object.getPrototypeOf(value);
  // Maps this conversion and the CEL libraries build (no prototype, or the empty CEL map one) are
  // CEL values already (a variable's value, a field of the object), so they are not copied again.
  if (proto === null || proto === CEL_MAP_PROTOTYPE) return value;
  if (proto !== Object.prototype) {
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value) out.set(k, toCel(v, memo));
      return out;
    }
    // Dates, bytes, Optionals and library types are CEL values already.
    return value;
  }
  const out = celMap();
  if (objectPrototypeClean()) {
    // `for…in` lists the own enumerable string keys, in Object.keys' order, then those of
    // Object.prototype, which has none here: the same keys without Object.keys' array (~10% of
    // a Pod's conversion). Checked per object, so a polluted Object.prototype is never copied.
    for (const k in value) out[k] = toCel((value as Record<string, unknown>)[k], memo);
    return out;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out[k] = toCel((value as Record<string, unknown>)[k], memo);
  }
  return out;
}

/** Whether Object.prototype has no enumerable key (none that `for…in` would add to an object's own). */
function objectPrototypeClean(): boolean {
  for (const _ in Object.prototype) return false;
  return true;
}

/**
 * An empty object with no prototype whose properties V8 keeps in fast mode: `Object.create(null)`
 * starts in dictionary mode, which made converting an object three times slower and every field
 * read by CEL a hash lookup. The prototype is removed before any key is added, so a `__proto__`
 * key is data, as on `Object.create(null)`.
 */
export function nullPrototypeObject(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.setPrototypeOf(out, null);
  return out;
}

/** CEL value → plain JSON-like JS value (ints become numbers when they fit exactly). */
export function fromCel(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Set) return [...value].map(fromCel);
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : null;
  if (value instanceof UnsignedInt) return fromCel(value.valueOf());
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (value instanceof Duration) return durationString(value);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) setOwn(out, String(fromCel(k)), fromCel(v));
    return out;
  }
  if (isMapPrototype(Object.getPrototypeOf(value))) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, fromCel(v));
    return out;
  }
  return String(value);
}

/** Plain assignment would let a `__proto__` key replace the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true });
  else target[key] = value;
}
