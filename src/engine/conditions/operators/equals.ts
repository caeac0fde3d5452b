/**
 * @module `Equals` (legacy `Equal`), Kyverno `operator/equal.go`: the key's type decides.
 * bool = bool; number vs number or numeric string; string key: duration (either side), then
 * quantity (a quantity key against a non-quantity string is false, no wildcard fallback), then the
 * value as a wildcard pattern; map/list keys: deep equality. Unsupported keys (null) → false.
 */

import { parseGoFloat } from '../../primitives/go-float.js';
import { compareQuantity, parseQuantity } from '../../units/quantity.js';
import { wildcardMatch } from '../../units/wildcard.js';
import { deepEqualJson } from './_deep-equal.js';
import { parseDurationPair } from './_go-parse.js';

/** undefined = the key's type is unsupported (both Equals and NotEquals are then false). */
export function compareEquals(key: unknown, value: unknown): boolean | undefined {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string') {
      const n = parseGoFloat(value);
      return n !== undefined && n === key;
    }
    return false;
  }
  if (typeof key === 'string') return stringEquals(key, value);
  if (Array.isArray(key)) return Array.isArray(value) && deepEqualJson(key, value);
  if (typeof key === 'object' && key !== null) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && deepEqualJson(key, value);
  }
  return undefined;
}

function stringEquals(key: string, value: unknown): boolean {
  const durations = parseDurationPair(key, value);
  if (durations) return durations[0] === durations[1];
  const keyQuantity = parseQuantity(key);
  if (keyQuantity && typeof value === 'string') {
    const valueQuantity = parseQuantity(value);
    return valueQuantity !== undefined && compareQuantity(keyQuantity, valueQuantity) === 0;
  }
  return typeof value === 'string' && wildcardMatch(value, key);
}

export function equals(key: unknown, value: unknown): boolean {
  return compareEquals(key, value) ?? false;
}
