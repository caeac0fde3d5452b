/** @module The prototype of the maps converted from JSON for CEL (see `toCel` in values.ts). */

/**
 * The prototype of the maps `toCel` builds: an empty, frozen object with no prototype, so that a
 * map inherits nothing (no key, no `constructor`, no `__proto__` accessor: a `__proto__` key is
 * data) exactly as an object with no prototype, and reads the same everywhere (CEL, `Object.keys`,
 * `for…in`, `in`, JSON) but where the prototype itself is asked for: see `isMapPrototype`.
 * `Object.create` of it makes a fast-mode object ~5× quicker than removing the prototype of `{}`
 * (`Object.setPrototypeOf` was ~35 ns per object, half of converting a Pod).
 */
export const CEL_MAP_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/** An empty CEL map (see `CEL_MAP_PROTOTYPE`). */
export function celMap(): Record<string, unknown> {
  return Object.create(CEL_MAP_PROTOTYPE) as Record<string, unknown>;
}

/**
 * Whether an object with this prototype is a map to CEL's libraries: a plain object, one with no
 * prototype, or one `toCel` built.
 */
export function isMapPrototype(proto: unknown): boolean {
  return proto === Object.prototype || proto === null || proto === CEL_MAP_PROTOTYPE;
}
