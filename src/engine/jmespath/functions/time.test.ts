import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeFunctions } from './time.js';
import type { FunctionContext } from './types.js';

/** 2023-12-16T01:46:11.250Z, without reading the real clock. */
const FIXED_MS = 1702691171250;
const clock: FunctionContext = { now: () => ({ getTime: () => FIXED_MS }) as Date };

function call(name: string, args: readonly unknown[], ctx: FunctionContext = clock): unknown {
  const entry = timeFunctions.find((e) => e.name === name);
  assert.ok(entry, `no function ${name}`);
  return entry.impl(args, ctx);
}

const cases: ReadonlyArray<readonly [string, readonly unknown[], unknown]> = [
  // kyverno.io docs examples
  ['time_add', ['2023-01-12T12:37:56-05:00', '6h'], '2023-01-12T18:37:56-05:00'],
  ['time_after', ['2023-01-12T14:07:55-05:00', '2023-01-12T19:05:59Z'], true],
  ['time_after', ['2023-01-12T19:05:59Z', '2023-01-13T19:05:59Z'], false],
  ['time_before', ['2023-01-12T19:05:59Z', '2023-01-13T19:05:59Z'], true],
  ['time_before', ['2023-01-12T19:05:59Z', '2023-01-11T19:05:59Z'], false],
  ['time_between', ['2023-01-12T19:05:59Z', '2023-01-01T19:05:59Z', '2023-01-15T19:05:59Z'], true],
  ['time_between', ['2023-01-12T19:05:59Z', '2023-01-01T19:05:59Z', '2023-01-11T19:05:59Z'], false],
  ['time_diff', ['2023-01-10T00:00:00Z', '2023-01-11T00:00:00Z'], '24h0m0s'],
  ['time_diff', ['2023-01-12T00:00:00Z', '2023-01-11T00:00:00Z'], '-24h0m0s'],
  [
    'time_parse',
    ['Mon Jan 02 2006 15:04:05 -0700', 'Fri Jun 22 2022 17:45:00 +0100'],
    '2022-06-22T17:45:00+01:00',
  ],
  ['time_parse', ['2006-01-02T15:04:05Z07:00', '2021-01-02T15:04:05-07:00'], '2021-01-02T15:04:05-07:00'],
  ['time_parse', ['1702691171', '1702691171'], '2023-12-16T01:46:11Z'],
  ['time_since', ['', '2022-04-10T03:14:05-07:00', '2022-04-11T03:14:05-07:00'], '24h0m0s'],
  [
    'time_since',
    ['Mon Jan _2 15:04:05 MST 2006', 'Mon Jan 02 15:04:05 MST 2021', 'Mon Jan 10 03:14:16 MST 2021'],
    '180h10m11s',
  ],
  ['time_since', ['2006-Jan-02', '2020-Jan-14', '2020-Jan-17'], '72h0m0s'],
  ['time_to_cron', ['2022-04-11T03:14:05-07:00'], '14 3 11 4 1'],
  ['time_truncate', ['2023-01-12T17:37:00Z', '1h'], '2023-01-12T17:00:00Z'],
  ['time_truncate', ['2023-01-12T17:37:00Z', '2h'], '2023-01-12T16:00:00Z'],
  ['time_truncate', ['2021-01-02T23:04:05Z', '2h'], '2021-01-02T22:00:00Z'],
  ['time_utc', ['2021-01-02T18:04:05-05:00'], '2021-01-02T23:04:05Z'],
  ['time_utc', ['2021-01-02T02:04:05+08:30'], '2021-01-01T17:34:05Z'],
  // the clock comes from the context
  ['time_now', [], '2023-12-16T01:46:11Z'],
  ['time_now_utc', [], '2023-12-16T01:46:11Z'],
  ['time_since', ['', '2023-12-16T00:00:00Z', ''], '1h46m11.25s'],
  // Go layout details
  ['time_parse', ['Jan 2, 2006 at 3:04pm (MST)', 'Feb 3, 2013 at 7:54pm (PST)'], '2013-02-03T19:54:00Z'],
  ['time_parse', ['2006-01-02 15:04:05.000', '2021-05-06 07:08:09.123'], '2021-05-06T07:08:09Z'],
  ['time_parse', ['02/01/06', '31/12/99'], '1999-12-31T00:00:00Z'],
  ['time_parse', ['January 2 2006 3PM', 'february 28 2024 12AM'], '2024-02-28T00:00:00Z'],
  ['time_parse', ['2006-01-02T15:04:05Z0700', '2024-02-29T23:59:59+0530'], '2024-02-29T23:59:59+05:30'],
  [
    'time_parse',
    ['Monday, 02-Jan-06 15:04:05 MST', 'Tuesday, 05-Mar-24 01:02:03 UTC'],
    '2024-03-05T01:02:03Z',
  ],
  ['time_parse', ['-1', '-86400'], '1969-12-31T00:00:00Z'],
  ['time_diff', ['2023-01-10T00:00:00.5Z', '2023-01-10T00:00:01Z'], '500ms'],
  ['time_diff', ['2023-01-10T00:00:00Z', '2023-01-10T00:00:00Z'], '0s'],
  ['time_add', ['2023-12-31T23:30:00Z', '45m'], '2024-01-01T00:15:00Z'],
  ['time_add', ['2024-03-01T00:00:00Z', '-24h'], '2024-02-29T00:00:00Z'],
  ['time_between', ['2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z', '2023-01-02T00:00:00Z'], false],
  ['time_to_cron', ['2023-01-01T00:05:00Z'], '5 0 1 1 0'],
  // truncation is on absolute time: days in UTC, weeks from Monday 0001-01-01
  ['time_truncate', ['2023-01-12T17:37:00-05:00', '24h'], '2023-01-11T19:00:00-05:00'],
  ['time_truncate', ['2023-01-12T17:37:00Z', '168h'], '2023-01-09T00:00:00Z'],
  ['time_truncate', ['2023-01-12T17:37:00Z', '0s'], '2023-01-12T17:37:00Z'],
];

for (const [name, args, expected] of cases) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)}) = ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(call(name, args), expected);
  });
}

const errors: ReadonlyArray<readonly [string, readonly unknown[], string]> = [
  [
    'time_parse',
    ['2006-01-02', 'abc'],
    'JMESPath function \'time_parse\': parsing time "abc" as "2006-01-02": cannot parse "abc" as "2006"',
  ],
  [
    'time_parse',
    ['2006-01-02', '2021-02-30'],
    'JMESPath function \'time_parse\': parsing time "2021-02-30": day out of range',
  ],
  [
    'time_parse',
    ['2006-01', '2021-01x'],
    'JMESPath function \'time_parse\': parsing time "2021-01x": extra text: "x"',
  ],
  // an all-digit layout means epoch seconds, even "2006"
  [
    'time_parse',
    ['2006', '2021x'],
    'JMESPath function \'time_parse\': strconv.ParseInt: parsing "2021x": invalid syntax',
  ],
  [
    'time_parse',
    ['0', 'x'],
    'JMESPath function \'time_parse\': strconv.ParseInt: parsing "x": invalid syntax',
  ],
  [
    'time_utc',
    ['2021-13-02T18:04:05Z'],
    'JMESPath function \'time_utc\': parsing time "2021-13-02T18:04:05Z": month out of range',
  ],
  [
    'time_before',
    ['2021-01-02', '2021-01-02T00:00:00Z'],
    'JMESPath function \'time_before\': parsing time "2021-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
  ],
  [
    'time_add',
    ['2021-01-02T00:00:00Z', 'abc'],
    'JMESPath function \'time_add\': time: invalid duration "abc"',
  ],
  [
    'time_truncate',
    ['2021-01-02T00:00:00Z', '1d'],
    'JMESPath function \'time_truncate\': time: invalid duration "1d"',
  ],
];
for (const [name, args, message] of errors) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)}) fails`, () => {
    assert.throws(() => call(name, args), { message });
  });
}

test('time_now, time_now_utc and time_since("") need a clock in the context', () => {
  assert.throws(() => call('time_now', [], {}), /JMESPath function 'time_now': no clock/);
  assert.throws(() => call('time_now_utc', [], {}), /JMESPath function 'time_now_utc': no clock/);
  assert.throws(() => call('time_since', ['', '2023-01-01T00:00:00Z', ''], {}), /no clock/);
  assert.equal(call('time_since', ['', '2023-01-01T00:00:00Z', '2023-01-01T00:00:01Z'], {}), '1s');
});

test('time family has the twelve Kyverno names', () => {
  assert.equal(timeFunctions.length, 12);
});
