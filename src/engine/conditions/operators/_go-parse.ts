/** @module Go parsing rules the operators rely on (`strconv.ParseFloat`, `time.Duration` conversions). */
import { parseDuration } from '../../units/duration.js';

const GO_FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

/** `strconv.ParseFloat(s, 64)`; undefined when Go would return an error. */
export function parseGoFloat(s: string): number | undefined {
  if (!GO_FLOAT.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return Number(s);
}

/** `time.Duration(n) * time.Second`: the float is truncated to whole seconds first. */
export function secondsToNanos(n: number): number {
  return Math.trunc(n) * 1e9;
}

/**
 * Kyverno's `parseDuration(key, value)`: at least one side must be a duration string (`"0"` is not
 * one); the other side may be a duration string or a number of seconds. Returns nanoseconds.
 */
export function parseDurationPair(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (v: unknown): number | undefined =>
    typeof v === 'string' && v !== '0' ? parseDuration(v) : undefined;
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = secondsToNanos(key);
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = secondsToNanos(value);
  }
  return [k, v];
}
