/**
 * @module The deprecated `In` / `NotIn` (Kyverno `operator/in.go`, `notin.go`). Scalar key:
 * wildcard match against list elements or a string value, else the string is decoded as a JSON
 * string array compared exactly. List key: exact subset test; its elements must be strings.
 */

import { sprint } from '../../primitives/go-sprint.js';
import { wildcardMatch } from '../../units/wildcard.js';
import { ConditionError } from '../errors.js';

function decodeStringArray(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((e) => typeof e === 'string')) return parsed;
  } catch {
    // not JSON: unsupported value
  }
  return undefined;
}

function keyExists(key: string, value: unknown): boolean | undefined {
  if (Array.isArray(value)) {
    return value.some((e) => wildcardMatch(key, sprint(e)) || wildcardMatch(sprint(e), key));
  }
  if (typeof value !== 'string') return undefined;
  if (wildcardMatch(value, key)) return true;
  const arr = decodeStringArray(value);
  return arr === undefined ? undefined : arr.includes(key);
}

function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Returns [subset, notSubset] for a list key, or undefined when the value is unsupported. */
function setCheck(
  keys: readonly string[],
  value: unknown,
): { readonly in: boolean; readonly notIn: boolean } | undefined {
  let set: string[] | undefined;
  if (Array.isArray(value)) {
    if (!value.every((e) => typeof e === 'string')) return undefined;
    set = value;
  } else if (typeof value === 'string') {
    // Kyverno answers "true" for both In and NotIn here.
    if (keys.length === 1 && keys[0] === value) return { in: true, notIn: true };
    set = decodeStringArray(value);
  }
  if (set === undefined) return undefined;
  const members = new Set(set);
  const missing = keys.some((k) => !members.has(k));
  return { in: !missing, notIn: missing };
}

export function legacyIn(key: unknown, value: unknown, negated: boolean): boolean {
  if (typeof key === 'string' || typeof key === 'number') {
    const found = keyExists(sprint(key), value);
    if (found === undefined) return false;
    return negated ? !found : found;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map((k) => {
    // Kyverno type-asserts without checking: a non-string element panics.
    if (typeof k !== 'string') {
      throw new ConditionError(
        `runtime error: interface conversion: interface {} is ${goTypeName(k)}, not string`,
      );
    }
    return k;
  });
  const result = setCheck(keys, value);
  if (result === undefined) return false;
  return negated ? result.notIn : result.in;
}
