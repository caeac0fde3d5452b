/**
 * @module The Lease timing flags `palisade serve` and `palisade controller` share (Kyverno's
 * --leaseDuration, --renewDeadline, --retryPeriod), parsed and checked together: a leader must renew
 * before its Lease lapses and retry within the deadline.
 */
import { DEFAULT_ELECTION_TIMING, type ElectionTiming, timingProblem } from '../../engine/index.js';
import { parseLimitValue } from './limits-flags.js';

export const ELECTION_TIMING_OPTIONS = {
  'lease-duration': { type: 'string' },
  'renew-deadline': { type: 'string' },
  'retry-period': { type: 'string' },
} as const;

export type ElectionTimingFlags = { ok: true; timing: ElectionTiming } | { ok: false; error: string };

const FLAGS = [
  ['lease-duration', 'leaseDurationMs'],
  ['renew-deadline', 'renewDeadlineMs'],
  ['retry-period', 'retryPeriodMs'],
] as const;

/** The timing of `values` (a parseArgs result; Kyverno's defaults for absent flags), or the usage error. */
export function parseElectionTiming(values: Readonly<Record<string, unknown>>): ElectionTimingFlags {
  const timing: { -readonly [F in keyof ElectionTiming]: number } = { ...DEFAULT_ELECTION_TIMING };
  for (const [flag, field] of FLAGS) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const ms = parseLimitValue('duration', text);
    if (ms === undefined)
      return { ok: false, error: `--${flag} expects a duration such as 2s, got "${text}"` };
    timing[field] = ms;
  }
  const problem = timingProblem(timing);
  return problem === undefined ? { ok: true, timing } : { ok: false, error: `leader election: ${problem}` };
}
