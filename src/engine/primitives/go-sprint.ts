/**
 * @module Go's `fmt.Sprint(v)` (`%v`) and `%T` for decoded JSON values, as Kyverno's messages and
 * operators print them: strings raw, `<nil>`, `[a b]`, `map[k:v]` with sorted keys.
 */
import { formatFloat } from './go-float.js';

/**
 * How numbers were decoded on the Go side: `float64` always (encoding/json, and patterns after
 * their JSON round trip), or `int64` when integral (Kubernetes' decoding of resources).
 */
export type GoNumberKind = 'float64' | 'int64-if-integral';

function isInt64(n: number, numbers: GoNumberKind): boolean {
  return numbers === 'int64-if-integral' && Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}

/** `fmt.Sprint(value)`; numbers print as float64 (`1e+06`) unless `numbers` says int64. */
export function sprint(value: unknown, numbers: GoNumberKind = 'float64'): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return isInt64(value, numbers) ? String(value) : formatFloat(value, 'g', 64);
  if (Array.isArray(value)) return `[${value.map((v) => sprint(v, numbers)).join(' ')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const parts = Object.keys(obj)
      .sort()
      .map((k) => `${k}:${sprint(obj[k], numbers)}`);
    return `map[${parts.join(' ')}]`;
  }
  return String(value);
}

/** `fmt.Sprintf("%T", value)` for decoded JSON values. */
export function sprintType(value: unknown, numbers: GoNumberKind = 'float64'): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return isInt64(value, numbers) ? 'int64' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
