/**
 * @module Deprecated `DurationGreaterThan(OrEquals)` / `DurationLessThan(OrEquals)`
 * (Kyverno `operator/duration.go`): both sides forced to durations; numbers are seconds.
 */
import { parseDuration } from '../../primitives/go-duration.js';
import { secondsToNanos } from './_go-parse.js';

function toNanos(v: unknown): number | undefined {
  if (typeof v === 'number') return secondsToNanos(v);
  if (typeof v === 'string') return parseDuration(v);
  return undefined;
}

function compareDurations(key: unknown, value: unknown): number | undefined {
  const k = toNanos(key);
  if (k === undefined) return undefined;
  const v = toNanos(value);
  return v === undefined ? undefined : k - v;
}

export function durationGreaterThan(key: unknown, value: unknown): boolean {
  const d = compareDurations(key, value);
  return d !== undefined && d > 0;
}

export function durationGreaterThanOrEquals(key: unknown, value: unknown): boolean {
  const d = compareDurations(key, value);
  return d !== undefined && d >= 0;
}

export function durationLessThan(key: unknown, value: unknown): boolean {
  const d = compareDurations(key, value);
  return d !== undefined && d < 0;
}

export function durationLessThanOrEquals(key: unknown, value: unknown): boolean {
  const d = compareDurations(key, value);
  return d !== undefined && d <= 0;
}
