/**
 * @module Go integers in JMESPath data.
 *
 * Kyverno's CLI decodes an object again from the patched JSON once a patch changed it
 * (unstructured.UnmarshalJSON), and that decoder gives integral numbers as Go `int64` (others stay
 * `float64`). go-jmespath knows `float64` only: an `int64` is not a number to its argument checks
 * (`abs`, `max`, `sum`...), `type()` fails with `unknown type`, ordering comparisons answer null and
 * `==` is false against the same value as a float. Such integers are held here as `bigint`, which no
 * `typeof value === 'number'` check accepts, so every place that tests for a number already treats
 * them as go-jmespath does; the few that differ (`type`, `to_number`, `to_string`) test for them.
 * They live only in the JMESPath view of a context; `fromGoInts` turns query results back into
 * numbers for everything else (patterns, conditions, messages), which Kyverno's Go code reads alike.
 */

import { setOwn } from './values.js';

const INT64_LIMIT = 2 ** 63;

/** Whether `n` is decoded as an int64 from Go's JSON of it: integral and in int64's range. */
function isGoInt(n: number): boolean {
  // 2^63 itself is printed as digits but overflows ParseInt: it stays a float.
  return Number.isInteger(n) && n >= -INT64_LIMIT && n < INT64_LIMIT;
}

/** A deep copy of JSON data with every integral number as a Go integer (a bigint). */
export function toGoInts(value: unknown): unknown {
  if (typeof value === 'number') return isGoInt(value) ? BigInt(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(toGoInts);
  const out: Record<string, unknown> = {};
  const map = value as Record<string, unknown>;
  for (const k in map) {
    if (!Object.hasOwn(map, k)) continue;
    const v = map[k];
    if (v === undefined) continue;
    // defineProperty (setOwn) is slow: only `__proto__` needs it to stay an own key.
    if (k === '__proto__') setOwn(out, k, toGoInts(v));
    else out[k] = toGoInts(v);
  }
  return out;
}

/** `value` with every Go integer as a number; the same object when it holds none. */
export function fromGoInts(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const plain = fromGoInts(item);
      if (plain !== item) {
        out ??= value.slice();
        out[i] = plain;
      }
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    const item = map[k];
    const plain = fromGoInts(item);
    if (plain !== item) {
      out ??= { ...map };
      if (k === '__proto__') setOwn(out, k, plain);
      else out[k] = plain;
    }
  }
  return out ?? value;
}
