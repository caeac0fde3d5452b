/**
 * @module Time functions (pkg/engine/jmespath/time.go): time_now, time_now_utc, time_since, time_add,
 * time_parse, time_to_cron, time_utc, time_diff, time_before, time_after, time_between, time_truncate.
 * The current time comes only from `ctx.now`; the local zone is UTC, so time_now equals time_now_utc.
 */
import { formatDuration, parseDuration } from '../../primitives/go-duration.js';
import {
  addDuration,
  compareTimes,
  formatRFC3339,
  fromEpochMillis,
  type GoTime,
  GoTimeParseError,
  parseGoTime,
  RFC3339,
  subTimes,
  truncateTime,
  wallClock,
} from '../../primitives/go-time.js';
import { fail } from './function-errors.js';
import type { FunctionContext, FunctionEntry, JpArgSpec } from './types.js';

const STR: JpArgSpec = { types: ['string'] };

function now(name: string, ctx: FunctionContext): GoTime {
  if (!ctx.now) return fail(name, 'no clock available to read the current time');
  return fromEpochMillis(ctx.now().getTime());
}

function parseWith(name: string, layout: string, value: string): GoTime {
  try {
    return parseGoTime(layout, value);
  } catch (e) {
    if (e instanceof GoTimeParseError) return fail(name, e.message);
    throw e;
  }
}

const rfc3339 = (name: string, value: unknown): GoTime => parseWith(name, RFC3339, value as string);

function duration(name: string, value: unknown): number {
  const ns = parseDuration(value as string);
  return ns === undefined ? fail(name, `time: invalid duration ${JSON.stringify(value)}`) : ns;
}

/** Go `strconv.ParseInt(s, 10, 64)` acceptance. */
const isInt64 = (s: string): boolean => /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= 2 ** 63;

function timeParse(layout: string, value: string): string {
  if (isInt64(layout)) {
    if (!isInt64(value))
      return fail('time_parse', `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    return formatRFC3339({ sec: Number(value), nsec: 0, offset: 0 });
  }
  return formatRFC3339(parseWith('time_parse', layout, value));
}

function entry(
  name: string,
  args: readonly JpArgSpec[],
  returns: 'string' | 'boolean',
  note: string,
  impl: FunctionEntry['impl'],
): FunctionEntry {
  return { name, args, returns: [returns], note, impl };
}

export const timeFunctions: readonly FunctionEntry[] = [
  entry('time_now', [], 'string', 'returns current time in RFC 3339 format', (_args, ctx) =>
    formatRFC3339(now('time_now', ctx)),
  ),
  entry('time_now_utc', [], 'string', 'returns current UTC time in RFC 3339 format', (_args, ctx) =>
    formatRFC3339(now('time_now_utc', ctx)),
  ),
  entry(
    'time_since',
    [STR, STR, STR],
    'string',
    'calculate the difference between a start and end period of time where the end may either be a static definition or the then-current time',
    ([layout, ts1, ts2], ctx) => {
      const l = (layout as string) === '' ? RFC3339 : (layout as string);
      const t1 = parseWith('time_since', l, ts1 as string);
      const t2 = (ts2 as string) === '' ? now('time_since', ctx) : parseWith('time_since', l, ts2 as string);
      return formatDuration(subTimes(t2, t1));
    },
  ),
  entry(
    'time_add',
    [STR, STR],
    'string',
    'adds duration (second string) to a time value (first string)',
    ([t, d]) => formatRFC3339(addDuration(rfc3339('time_add', t), duration('time_add', d))),
  ),
  entry(
    'time_parse',
    [STR, STR],
    'string',
    'changes a time value of a given layout to RFC 3339',
    ([layout, ts]) => timeParse(layout as string, ts as string),
  ),
  entry(
    'time_to_cron',
    [STR],
    'string',
    'converts a time (RFC 3339) to a cron expression (string).',
    ([t]) => {
      const w = wallClock(rfc3339('time_to_cron', t));
      return `${w.minute} ${w.hour} ${w.day} ${w.month} ${w.weekday}`;
    },
  ),
  entry('time_utc', [STR], 'string', 'calcutes time in UTC from a given time in RFC 3339 format', ([t]) =>
    formatRFC3339({ ...rfc3339('time_utc', t), offset: 0 }),
  ),
  entry(
    'time_diff',
    [STR, STR],
    'string',
    'calculate the difference between a start and end date in RFC3339 format',
    ([t1, t2]) => formatDuration(subTimes(rfc3339('time_diff', t2), rfc3339('time_diff', t1))),
  ),
  entry(
    'time_before',
    [STR, STR],
    'boolean',
    'checks if a time is before another time, both in RFC3339 format',
    ([t1, t2]) => compareTimes(rfc3339('time_before', t1), rfc3339('time_before', t2)) < 0,
  ),
  entry(
    'time_after',
    [STR, STR],
    'boolean',
    'checks if a time is after another time, both in RFC3339 format',
    ([t1, t2]) => compareTimes(rfc3339('time_after', t1), rfc3339('time_after', t2)) > 0,
  ),
  entry(
    'time_between',
    [STR, STR, STR],
    'boolean',
    'checks if a time is between a start and end time, all in RFC3339 format',
    ([t, start, end]) => {
      const x = rfc3339('time_between', t);
      return (
        compareTimes(x, rfc3339('time_between', start)) > 0 &&
        compareTimes(x, rfc3339('time_between', end)) < 0
      );
    },
  ),
  entry(
    'time_truncate',
    [STR, STR],
    'string',
    'returns the result of rounding time down to a multiple of duration',
    ([t, d]) => formatRFC3339(truncateTime(rfc3339('time_truncate', t), duration('time_truncate', d))),
  ),
];
