/**
 * @module Shared comparison of `GreaterThan`/`LessThan`(`OrEquals`), Kyverno `operator/numeric.go`.
 * Numbers compare numerically; string keys try, in order: duration (either side), quantity (both
 * sides), float, then semver. Any other combination is false.
 */

import { parseGoFloat } from '../../primitives/go-float.js';
import { compareQuantity, parseQuantity } from '../../units/quantity.js';
import { compareSemver, parseSemver } from '../../units/semver.js';
import { parseDurationPair } from './_go-parse.js';

/** Sign of key − value, or undefined when the two cannot be compared. */
export type Comparison = -1 | 0 | 1;

function sign(a: number, b: number): Comparison | undefined {
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumberKey(key: number, value: unknown): Comparison | undefined {
  if (typeof value === 'number') return sign(key, value);
  if (typeof value !== 'string') return undefined;
  const durations = parseDurationPair(key, value);
  if (durations) return sign(durations[0], durations[1]);
  const n = parseGoFloat(value);
  return n === undefined ? undefined : sign(key, n);
}

export function compareNumeric(key: unknown, value: unknown): Comparison | undefined {
  if (typeof key === 'number') return compareNumberKey(key, value);
  if (typeof key !== 'string') return undefined;
  const durations = parseDurationPair(key, value);
  if (durations) return sign(durations[0], durations[1]);
  const keyQuantity = parseQuantity(key);
  if (keyQuantity && typeof value === 'string') {
    const valueQuantity = parseQuantity(value);
    if (valueQuantity) return compareQuantity(keyQuantity, valueQuantity);
  }
  const n = parseGoFloat(key);
  if (n !== undefined) return compareNumberKey(n, value);
  const keyVersion = parseSemver(key);
  const valueVersion = typeof value === 'string' ? parseSemver(value) : undefined;
  if (keyVersion && valueVersion) return compareSemver(keyVersion, valueVersion);
  return undefined;
}
