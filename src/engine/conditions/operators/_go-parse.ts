/** @module Go conversions the operators rely on (`time.Duration` from seconds and from strings). */
import { parseDuration } from '../../primitives/go-duration.js';

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
