import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CronSchedule, nextCronTime, parseCronSchedule } from './cron-next.js';

const schedule = (s: string): CronSchedule => {
  const p = parseCronSchedule(s);
  assert.ok(typeof p !== 'string', p as string);
  return p;
};
const next = (s: string, after: string): string | undefined =>
  nextCronTime(schedule(s), new Date(after))?.toISOString();

describe('next cron time', () => {
  const table: [schedule: string, after: string, expected: string | undefined][] = [
    ['* * * * *', '2024-01-01T10:00:00Z', '2024-01-01T10:01:00.000Z'],
    ['* * * * *', '2024-01-01T10:00:30Z', '2024-01-01T10:01:00.000Z'],
    ['*/5 * * * *', '2024-01-01T10:03:00Z', '2024-01-01T10:05:00.000Z'],
    ['*/5 * * * *', '2024-01-01T10:55:00Z', '2024-01-01T11:00:00.000Z'],
    ['0 0 * * *', '2024-01-01T10:00:00Z', '2024-01-02T00:00:00.000Z'],
    ['30 2 1 * *', '2024-01-31T00:00:00Z', '2024-02-01T02:30:00.000Z'],
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 12 * * MON', '2024-01-01T12:00:00Z', '2024-01-08T12:00:00.000Z'],
    ['0 12 * JAN-MAR MON,FRI', '2024-03-29T12:00:00Z', '2025-01-03T12:00:00.000Z'],
    // Both day fields restricted: either one (the 13th, or a Friday).
    ['0 0 13 * 5', '2024-01-01T00:00:00Z', '2024-01-05T00:00:00.000Z'],
    ['0 0 ? * *', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00.000Z'],
    ['5/20 * * * *', '2024-01-01T10:30:00Z', '2024-01-01T10:45:00.000Z'],
    ['@hourly', '2024-01-01T10:30:00Z', '2024-01-01T11:00:00.000Z'],
    ['@weekly', '2024-01-01T10:30:00Z', '2024-01-07T00:00:00.000Z'],
    ['@every 1h30m', '2024-01-01T10:30:00Z', '2024-01-01T12:00:00.000Z'],
    ['CRON_TZ=UTC 0 1 * * *', '2024-01-01T10:30:00Z', '2024-01-02T01:00:00.000Z'],
    // 09:00 in Paris is 08:00 UTC in winter.
    ['TZ=Europe/Paris 0 9 * * *', '2024-01-01T10:30:00Z', '2024-01-02T08:00:00.000Z'],
    ['0 0 30 2 *', '2024-01-01T00:00:00Z', undefined],
  ];
  for (const [s, after, expected] of table)
    test(`${s} after ${after}`, () => assert.equal(next(s, after), expected));

  test('an invalid schedule is the problem, not a schedule', () => {
    assert.match(String(parseCronSchedule('61 * * * *')), /out of range/);
    assert.match(String(parseCronSchedule('TZ=Nowhere/City * * * * *')), /unknown time zone/);
  });
});
