// The Lease timing flags of serve and the controllers: Kyverno's defaults when absent, durations
// parsed, and a timing that cannot keep one leader refused with the flag or the rule it breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseElectionTiming } from './election-flags.js';

test('the timing flags, parsed and checked together', () => {
  const cases: [Record<string, unknown>, unknown][] = [
    [{}, { ok: true, timing: { leaseDurationMs: 12_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } }],
    [
      { 'lease-duration': '30s', 'renew-deadline': '20s', 'retry-period': '500ms' },
      { ok: true, timing: { leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 500 } },
    ],
    [
      { 'lease-duration': 'soon' },
      { ok: false, error: '--lease-duration expects a duration such as 2s, got "soon"' },
    ],
    [{ 'retry-period': '' }, { ok: false, error: '--retry-period expects a duration such as 2s, got ""' }],
    [
      { 'renew-deadline': '20s' },
      { ok: false, error: 'leader election: the lease duration must be longer than the renew deadline' },
    ],
    [
      { 'retry-period': '10s' },
      { ok: false, error: 'leader election: the renew deadline must be longer than the retry period' },
    ],
  ];
  for (const [values, expected] of cases)
    assert.deepEqual(parseElectionTiming(values), expected, JSON.stringify(values));
});
