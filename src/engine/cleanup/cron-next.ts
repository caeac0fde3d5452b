/**
 * @module When a cron `schedule` fires next (the cleanup controller's clock): the standard 5 fields
 * (minute hour day-of-month month day-of-week), the `@hourly`…`@yearly` descriptors, `@every
 * <duration>`, and a `TZ=`/`CRON_TZ=` prefix (wall-clock fields in that zone; UTC otherwise).
 * Day-of-month and day-of-week are ORed when both are restricted, ANDed when either starts with `*`
 * or `?` (robfig/cron). Validation and its messages are cron-schedule.ts's.
 */
import { cronScheduleProblem } from '../kinds/deleting-policy/cron-schedule.js';
import { parseDuration } from '../primitives/go-duration.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
type Bound = readonly [min: number, max: number, names?: readonly string[]];
const BOUNDS: readonly Bound[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, MONTHS],
  [0, 6, DAYS],
];
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Fields {
  readonly sets: readonly (readonly boolean[])[];
  /** Day-of-month / day-of-week started with `*` or `?`. */
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

export type CronSchedule =
  | { readonly kind: 'fields'; readonly fields: Fields; readonly zone: string | undefined }
  | { readonly kind: 'every'; readonly ms: number };

function value(text: string, min: number, names?: readonly string[]): number {
  if (/^\d+$/.test(text)) return Number(text);
  const i = names?.indexOf(text.toUpperCase()) ?? -1;
  return names === DAYS ? i : i + min;
}

function fieldSet(text: string, [min, max, names]: Bound): boolean[] {
  const set: boolean[] = [];
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = min;
    let hi = max;
    if (range !== '*' && range !== '?') {
      const [a = '', b] = range.split('-');
      lo = value(a, min, names);
      // `5/15` means from 5 to the end, stepping.
      hi = b !== undefined ? value(b, min, names) : stepText !== undefined ? max : lo;
    }
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  // Sunday may be written 7 in some crons; robfig rejects it (validation does), so nothing to fold.
  return set;
}

/** Parses a schedule, or answers the problem (the messages of cron-schedule.ts). */
export function parseCronSchedule(schedule: string): CronSchedule | string {
  const problem = cronScheduleProblem(schedule);
  if (problem !== undefined) return problem;
  let spec = schedule.trim();
  let zone: string | undefined;
  const tz = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(spec);
  if (tz !== null) {
    zone = tz[1];
    spec = (tz[2] ?? '').trim();
    if (zone !== undefined && !validZone(zone)) return `provided bad location ${zone}: unknown time zone`;
  }
  if (spec.startsWith('@every ')) {
    const ns = parseDuration(spec.slice('@every '.length).trim()) ?? 0;
    // robfig rounds the delay down to whole seconds, and to at least one.
    return { kind: 'every', ms: Math.max(1000, Math.floor(ns / 1e9) * 1000) };
  }
  spec = DESCRIPTORS[spec] ?? spec;
  const texts = spec.split(/\s+/);
  const sets = texts.map((t, i) => fieldSet(t, BOUNDS[i] ?? [0, 0]));
  const star = (t: string | undefined): boolean =>
    t !== undefined && (t.startsWith('*') || t.startsWith('?'));
  return { kind: 'fields', fields: { sets, domStar: star(texts[2]), dowStar: star(texts[4]) }, zone };
}

function validZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetMs(zone: string | undefined, instant: number): number {
  if (zone === undefined || zone === 'UTC' || zone === 'Local') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

const MINUTE = 60_000;
/** Searching stops after this many years (a schedule like `0 0 30 2 *` never fires). */
const HORIZON_YEARS = 5;

/** The first time strictly after `after` at which the schedule fires; undefined if never (within 5 years). */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  if (schedule.kind === 'every') return new Date(after.getTime() + schedule.ms);
  const { sets, domStar, dowStar } = schedule.fields;
  const [minutes, hours, doms, months, dows] = sets as [
    boolean[],
    boolean[],
    boolean[],
    boolean[],
    boolean[],
  ];
  const zone = schedule.zone;
  // Work on the wall clock of the zone, held as a UTC Date.
  let t = new Date(
    Math.floor((after.getTime() + offsetMs(zone, after.getTime())) / MINUTE) * MINUTE + MINUTE,
  );
  const limit = t.getUTCFullYear() + HORIZON_YEARS;
  const dayMatches = (d: Date): boolean => {
    const dom = doms[d.getUTCDate()] === true;
    const dow = dows[d.getUTCDay()] === true;
    return domStar || dowStar ? dom && dow : dom || dow;
  };
  while (t.getUTCFullYear() <= limit) {
    if (months[t.getUTCMonth() + 1] !== true) {
      t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
      continue;
    }
    if (!dayMatches(t)) {
      t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1));
      continue;
    }
    if (hours[t.getUTCHours()] !== true) {
      t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours() + 1));
      continue;
    }
    if (minutes[t.getUTCMinutes()] !== true) {
      t = new Date(t.getTime() + MINUTE);
      continue;
    }
    // Back from the wall clock to an instant (twice: the offset at the result may differ).
    const guess = t.getTime() - offsetMs(zone, t.getTime());
    const instant = t.getTime() - offsetMs(zone, guess);
    if (instant > after.getTime()) return new Date(instant);
    t = new Date(t.getTime() + MINUTE);
  }
  return undefined;
}
