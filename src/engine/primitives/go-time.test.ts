// Go's time package: Parse with layouts, Format(RFC3339 / RFC3339Nano), Truncate (pkg.go.dev/time).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatRFC3339,
  formatRFC3339Nano,
  fromEpochMillis,
  parseGoTime,
  RFC3339,
  toEpochMillis,
  truncateTime,
} from './go-time.js';

const parse = (s: string) => parseGoTime(RFC3339, s);

describe('format', () => {
  const cases: [string, string, string][] = [
    ['2024-01-04T12:00:00Z', '2024-01-04T12:00:00Z', '2024-01-04T12:00:00Z'],
    ['2024-01-04T12:00:00.120Z', '2024-01-04T12:00:00Z', '2024-01-04T12:00:00.12Z'],
    [
      '2024-01-04T12:00:00.000000001+02:00',
      '2024-01-04T12:00:00+02:00',
      '2024-01-04T12:00:00.000000001+02:00',
    ],
  ];
  for (const [input, rfc, nano] of cases)
    test(input, () => {
      assert.equal(formatRFC3339(parse(input)), rfc);
      assert.equal(formatRFC3339Nano(parse(input)), nano);
    });
  test('parse errors carry Go wording', () =>
    assert.throws(() => parse('2024-13-01T00:00:00Z'), /month out of range/));
});

describe('truncateTime', () => {
  // "Truncate returns the result of rounding t down to a multiple of d (since the zero time)."
  // The zero time (0001-01-01) was a Monday, so a week truncates to Monday; the CEL copy counted
  // from the Unix epoch and landed on Thursday.
  const HOUR = 3600e9;
  const cases: [string, number, string][] = [
    ['2024-01-04T12:34:56Z', HOUR, '2024-01-04T12:00:00Z'],
    ['2024-01-04T12:34:56Z', 24 * HOUR, '2024-01-04T00:00:00Z'],
    ['2024-01-04T12:34:56Z', 7 * 24 * HOUR, '2024-01-01T00:00:00Z'],
    ['2024-01-04T12:34:56Z', 7e9, '2024-01-04T12:34:53Z'], // from the Unix epoch: :50
    ['2024-01-04T12:34:56Z', 0, '2024-01-04T12:34:56Z'],
    ['2024-01-04T12:34:56Z', -HOUR, '2024-01-04T12:34:56Z'],
  ];
  for (const [input, ns, want] of cases)
    test(`${input} by ${ns}ns`, () => assert.equal(formatRFC3339(truncateTime(parse(input), ns)), want));
});

test('epoch milliseconds round-trip', () => {
  for (const ms of [0, 1, -1, 1704371696789, -62135596800000])
    assert.equal(toEpochMillis(fromEpochMillis(ms)), ms);
});
