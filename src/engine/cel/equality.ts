/** @module CEL value equality and ordering over cel-js runtime values (ints are bigint, doubles number). */
import { Duration, UnsignedInt } from './cel-js.js';
import { CelEvalError } from './errors.js';
import { isMapPrototype } from './map-prototype.js';

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

/** CEL `==` with heterogeneous numeric equality and deep list/map comparison. */
export function celEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    // biome-ignore lint/suspicious/noDoubleEquals: loose equality compares bigint with number exactly.
    return na == nb;
  }
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => celEquals(x, b[i]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Duration && b instanceof Duration) return a.seconds === b.seconds && a.nanos === b.nanos;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  const ea = entriesOf(a);
  const eb = entriesOf(b);
  if (ea === undefined || eb === undefined) return String(a) === String(b) && a.constructor === b.constructor;
  if (ea.size !== eb.size) return false;
  for (const [k, v] of ea) {
    if (!eb.has(k) || !celEquals(v, eb.get(k))) return false;
  }
  return true;
}

function entriesOf(v: object): Map<unknown, unknown> | undefined {
  if (v instanceof Map) return v;
  if (isMapPrototype(Object.getPrototypeOf(v))) return new Map(Object.entries(v));
  return undefined;
}

/** CEL ordering (`<`) for comparable values; throws for incomparable ones. */
export function celCompare(a: unknown, b: unknown): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Duration && b instanceof Duration) return Math.sign(a.valueOf() - b.valueOf());
  throw new CelEvalError('no such overload: values are not comparable');
}
