/**
 * @module Set membership shared by `AnyIn`, `AllIn`, `AnyNotIn`, `AllNotIn` (Kyverno
 * `operator/anyin.go` & co). Keys are stringified Go-style (`fmt.Sprint`); elements match when
 * either side is a wildcard pattern of the other, or the value element is a range `a-b`
 * (`a!-b`: outside) containing the key as a number/quantity.
 */

import { sprint } from '../../primitives/go-sprint.js';
import { compareQuantity, parseQuantity } from '../../units/quantity.js';
import { wildcardMatch } from '../../units/wildcard.js';

export type MembershipMode = 'any-in' | 'all-in' | 'any-not-in' | 'all-not-in';

const RANGE = /^([-+]?\d+(?:\.\d+)?[A-Za-z]*)(!?)-([-+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

/** Whether `key` lies in the range `element`; undefined when `element` is not a usable range. */
function rangeMatch(element: string, key: string): boolean | undefined {
  const m = RANGE.exec(element);
  if (!m) return undefined;
  const lo = parseQuantity(m[1] ?? '');
  const hi = parseQuantity(m[3] ?? '');
  const k = parseQuantity(key);
  if (!lo || !hi || !k) return false;
  const inside = compareQuantity(k, lo) >= 0 && compareQuantity(k, hi) <= 0;
  return m[2] === '!' ? !inside : inside;
}

function elementMatches(key: string, element: string): boolean {
  return wildcardMatch(element, key) || wildcardMatch(key, element) || rangeMatch(element, key) === true;
}

/** A JSON text decoded as a string array; 'invalid' when valid JSON of another shape. */
function parseStringArray(text: string): string[] | 'invalid' | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (Array.isArray(parsed) && parsed.every((e) => typeof e === 'string')) return parsed;
  return 'invalid';
}

/** Scalar key: found / not found, or undefined when the value's type is unsupported. */
function scalarFound(key: string, value: unknown): boolean | undefined {
  if (Array.isArray(value)) return value.some((e) => elementMatches(key, sprint(e)));
  if (typeof value !== 'string') return undefined;
  if (wildcardMatch(value, key)) return true;
  const range = rangeMatch(value, key);
  if (range !== undefined) return range;
  const arr = parseStringArray(value);
  if (arr === 'invalid') return undefined;
  return (arr ?? [value]).includes(key);
}

/** List key: the value elements to compare against, or undefined when unsupported. */
function setValues(keys: readonly string[], value: unknown): string[] | 'all-found' | undefined {
  if (Array.isArray(value)) return value.map((v) => sprint(v));
  if (typeof value === 'number' || typeof value === 'boolean') return [sprint(value)];
  if (typeof value !== 'string') return undefined;
  if (keys.length === 1 && keys[0] === value) return 'all-found';
  if (RANGE.test(value)) return [value];
  const arr = parseStringArray(value);
  if (arr === 'invalid') return undefined;
  return arr ?? [value];
}

export function membership(key: unknown, value: unknown, mode: MembershipMode): boolean {
  const negated = mode === 'any-not-in' || mode === 'all-not-in';
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
    const found = scalarFound(sprint(key), value);
    if (found === undefined) return false;
    return negated ? !found : found;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map((v) => sprint(v));
  const values = setValues(keys, value);
  if (values === undefined) return false;
  const matched = keys.map((k) => values === 'all-found' || values.some((e) => elementMatches(k, e)));
  switch (mode) {
    case 'any-in':
      return matched.some(Boolean);
    case 'all-in':
      return matched.every(Boolean);
    case 'any-not-in':
      return matched.some((m) => !m);
    case 'all-not-in':
      return !matched.some(Boolean);
  }
}
