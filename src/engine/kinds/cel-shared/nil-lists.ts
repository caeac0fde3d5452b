/**
 * @module Go nil slices in mutated objects. Kubernetes converts each field of a CEL `Object{}`
 * (apiserver cel/mutation/dynamic `convertField`) by appending the elements of a list CEL built (a
 * literal, a `map`/`filter` result) to a nil slice: an empty one stays nil. A list read from the
 * object or another input is kept as it is (empty, not nil). The merge carries the nil slice into
 * the patched object, where it still prints as `[]` and CEL still reads it as an empty list, but a
 * later JSONPatch mutation, which encodes the object to JSON and decodes it back, turns it into
 * `null` (`has()` is then true and `.map` fails on it).
 *
 * Palisade marks such an empty array (an identity set: it stays a plain `[]` for every other
 * reader) and turns the marked arrays into `null` where Kubernetes goes through JSON.
 */

const NIL_LISTS = new WeakSet<readonly unknown[]>();

/** A new empty array standing for a Go nil slice. */
export function nilList(): unknown[] {
  const out: unknown[] = [];
  NIL_LISTS.add(out);
  return out;
}

/** Whether `v` is an array made by `nilList` (or carried over from one by `keepNil`). */
export function isNilList(v: unknown): boolean {
  return Array.isArray(v) && NIL_LISTS.has(v);
}

/** `copy` of `source`, marked nil when `source` is. */
export function keepNil<T extends unknown[]>(source: readonly unknown[], copy: T): T {
  if (NIL_LISTS.has(source)) NIL_LISTS.add(copy);
  return copy;
}

/** Whether a nil list is anywhere in `v`. */
export function hasNilList(v: unknown): boolean {
  if (Array.isArray(v)) return NIL_LISTS.has(v) || v.some(hasNilList);
  if (typeof v !== 'object' || v === null) return false;
  for (const x of Object.values(v)) if (hasNilList(x)) return true;
  return false;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A deep copy of a JSON value as a JSON encoding and decoding would give it: nil lists become
 * `null` (Go's encoding/json writes a nil slice as `null`).
 */
export function jsonRoundTrip(v: unknown): unknown {
  if (Array.isArray(v)) return NIL_LISTS.has(v) ? null : v.map(jsonRoundTrip);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k, jsonRoundTrip(x));
  return out;
}
