/**
 * @module How Go prints the values inside Kyverno's pattern messages (`%v`, `%T`).
 * Resource numbers are int64 when integral (Kubernetes decoding) and float64 otherwise; pattern
 * numbers are always float64 (patterns go through a JSON round trip during substitution).
 */
import { goFormatFloat } from '../variables/go-format.js';

function isInt64(n: number, asFloat: boolean): boolean {
  return !asFloat && Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}

/** `fmt.Sprintf("%v", v)`. `asFloat` formats every number as a float64 (pattern values). */
export function goValue(value: unknown, asFloat: boolean): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return isInt64(value, asFloat) ? String(value) : goFormatFloat(value);
  if (Array.isArray(value)) return `[${value.map((v) => goValue(v, asFloat)).join(' ')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const parts = Object.keys(obj)
      .sort()
      .map((k) => `${k}:${goValue(obj[k], asFloat)}`);
    return `map[${parts.join(' ')}]`;
  }
  return String(value);
}

/** `fmt.Sprintf("%T", v)` for decoded JSON values. */
export function goTypeName(value: unknown, asFloat: boolean): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return isInt64(value, asFloat) ? 'int64' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
