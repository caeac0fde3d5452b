/**
 * @module Kyverno's `time` library: `time.now()` from the Clock port, `time.truncate(t, d)` and
 * `time.toCron(t)` ("m h dom mon dow").
 */
import { fromEpochMillis, toEpochMillis, truncateTime } from '../../primitives/go-time.js';
import type { CelDuration } from '../cel-js.js';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, type CelLibraryContext, contextVariable } from './types.js';

/** `time`: bound per evaluation, with the evaluation's Clock port. */
export const timeContext = contextVariable('TimeNamespace', 'time');

const TS = 'google.protobuf.Timestamp';
const DUR = 'google.protobuf.Duration';

function now(c: CelLibraryContext): Date {
  const clock = c.runtime.ports.clock;
  if (clock === undefined) throw new CelEvalError('time.now: no clock is available');
  return clock.now();
}

// Go's Truncate counts multiples of d from the zero time (year 1), not from the Unix epoch.
function truncate(t: Date, d: CelDuration): Date {
  const ns = Number(d.seconds) * 1e9 + d.nanos;
  if (ns <= 0) return t;
  return new Date(toEpochMillis(truncateTime(fromEpochMillis(t.getTime()), ns)));
}

const toCron = (t: Date) =>
  `${t.getUTCMinutes()} ${t.getUTCHours()} ${t.getUTCDate()} ${t.getUTCMonth() + 1} ${t.getUTCDay()}`;

export function timeLibrary(): CelLibrary {
  return {
    name: 'time',
    types: [{ name: timeContext.type, ctor: timeContext.ctor }],
    variables: [timeContext],
    functions: [
      { signature: `TimeNamespace.now(): ${TS}`, impl: (c: CelLibraryContext) => now(c) },
      {
        signature: `TimeNamespace.truncate(${TS}, ${DUR}): ${TS}`,
        impl: (_: unknown, t: Date, d: CelDuration) => truncate(t, d),
      },
      { signature: `TimeNamespace.toCron(${TS}): string`, impl: (_: unknown, t: Date) => toCron(t) },
    ],
  };
}
