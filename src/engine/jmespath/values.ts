/** @module JSON value helpers with go-jmespath's notions of type, truth and equality. */
import type { Budget } from './budget.js';
import { JmespathExpref } from './expref.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JmespathExpref)
  );
}

/** Sets an own property even for keys such as `__proto__` (plain assignment would not). */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JMESPath type name of a value (`expref` for expression references). */
export function jpTypeOf(
  value: unknown,
): 'number' | 'string' | 'boolean' | 'array' | 'object' | 'null' | 'expref' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (value instanceof JmespathExpref) return 'expref';
  return 'object';
}

/** JMESPath falsiness: null, false, "", [], {} (0 is true). */
export function isFalse(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isJsonObject(value)) {
    for (const key in value) if (Object.hasOwn(value, key)) return false;
    return true;
  }
  return false;
}

/** Structural equality (Go's reflect.DeepEqual over decoded JSON). */
export function deepEqual(a: unknown, b: unknown, budget: Budget): boolean {
  budget.spend();
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], budget)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key], budget)) return false;
    }
    return true;
  }
  return false;
}

/** Go's `%v` for a float64 (`%g`, shortest digits): exponent form when exp < -4 or exp >= 6. */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}

/** Go's `%v` rendering of a decoded JSON value, used in go-jmespath's type errors. */
export function formatGoValue(value: unknown, depth = 0): string {
  if (depth > 20) return '...';
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatGoValue(v, depth + 1)).join(' ')}]`;
  if (value instanceof JmespathExpref) return '<expref>';
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${formatGoValue(value[k], depth + 1)}`).join(' ')}]`;
  }
  return String(value);
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goQuote(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

/**
 * Go's json.Marshal of a decoded JSON value: object keys sorted, `<>&` escaped.
 * Charges the budget per node, so shared sub-structures cannot explode unnoticed.
 */
export function goJsonMarshal(value: unknown, budget: Budget): string {
  budget.spend();
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string') {
    budget.spend(Math.ceil(value.length / 64));
    return goQuote(value);
  }
  if (typeof value === 'boolean') return String(value);
  // A Go integer (go-int.ts) marshals as its digits.
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => goJsonMarshal(v, budget)).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${goQuote(k)}:${goJsonMarshal(value[k], budget)}`).join(',')}}`;
  }
  return 'null';
}
