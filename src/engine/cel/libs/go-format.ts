/**
 * @module How cel-go spells values as text: type names, `string(x)` conversions (doubles as Go's
 * `%g`, durations as decimal seconds, timestamps as RFC 3339 with nanoseconds), used by
 * `string(...)`, `"…".format(...)` and error messages.
 */
import { Buffer } from 'node:buffer';
import { formatFloat } from '../../primitives/go-float.js';
import { formatRFC3339Nano, fromEpochMillis } from '../../primitives/go-time.js';
import { Duration, Optional, UnsignedInt } from '../cel-js.js';
import { CelEvalError } from '../errors.js';
import { isMapPrototype } from '../map-prototype.js';

/** True for cel-js `type` values (`type(1)`, `int`): frozen objects named `Type` with a `name`. */
export function isCelTypeValue(v: unknown): v is { readonly name: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { constructor?: { name?: unknown } }).constructor?.name === 'Type' &&
    typeof (v as { name?: unknown }).name === 'string'
  );
}

/** The CEL type name of a runtime value, as cel-go prints it in messages. */
export function celTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null_type';
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      break;
  }
  if (v instanceof UnsignedInt) return 'uint';
  if (Array.isArray(v) || v instanceof Set) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Date) return 'google.protobuf.Timestamp';
  if (v instanceof Duration) return 'google.protobuf.Duration';
  if (v instanceof Optional) return 'optional_type';
  if (isCelTypeValue(v)) return 'type';
  if (v instanceof Map) return 'map';
  if (isMapPrototype(Object.getPrototypeOf(v))) return 'map';
  return (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
}

/**
 * Decimal seconds with an `s` suffix (cel-go: "5400s", "1.5s", "-0.5s"). cel-js keeps seconds and
 * nanos with independent signs, so the value is rebuilt from the total number of nanoseconds.
 */
export function durationString(d: Duration): string {
  const total = d.seconds * 1_000_000_000n + BigInt(d.nanos);
  const abs = total < 0n ? -total : total;
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${total < 0n ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}s`;
}

/** cel-go prints a timestamp as Go's time.RFC3339Nano, always in UTC. */
export function timestampString(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new CelEvalError('invalid timestamp');
  return formatRFC3339Nano(fromEpochMillis(d.getTime()));
}

/** cel-go `string(x)` for the scalar types that convert to string. */
export function celToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v, 'g', 64);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof UnsignedInt) return String(v.valueOf());
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return timestampString(v);
  if (v instanceof Duration) return durationString(v);
  if (isCelTypeValue(v)) return v.name;
  throw new CelEvalError(`type conversion error from '${celTypeName(v)}' to 'string'`);
}
