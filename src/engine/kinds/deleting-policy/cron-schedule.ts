/**
 * @module Validation of a DeletingPolicy `schedule`: the standard 5-field cron syntax Kyverno parses
 * with robfig/cron `ParseStandard` (minute hour day-of-month month day-of-week; `*`, `?`, lists,
 * ranges, `/step`, month and weekday names), the `@yearly`…`@hourly` descriptors, `@every <duration>`
 * and an optional `TZ=`/`CRON_TZ=` prefix. Returns the problem, or undefined when valid.
 */
import { parseDuration } from '../../primitives/go-duration.js';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

function parseValue(text: string, f: FieldSpec): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < f.min || n > f.max ? `${f.name} value ${n} out of range [${f.min}, ${f.max}]` : n;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return f.names === DAYS ? i : i + 1;
  return `failed to parse ${f.name} value ${JSON.stringify(text)}`;
}

function checkField(text: string, f: FieldSpec): string | undefined {
  for (const part of text.split(',')) {
    if (part === '') return `empty element in ${f.name} field`;
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) return `too many slashes: ${JSON.stringify(part)}`;
    if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse step ${JSON.stringify(step)}`;
    if (step !== undefined && Number(step) === 0) return `step of range should be a positive number: ${part}`;
    if (range === '*' || range === '?') continue;
    const bounds = (range ?? '').split('-');
    if (bounds.length > 2) return `too many hyphens: ${JSON.stringify(part)}`;
    const values = bounds.map((b) => parseValue(b, f));
    const bad = values.find((v) => typeof v === 'string');
    if (bad !== undefined) return bad as string;
    if (values.length === 2 && (values[0] as number) > (values[1] as number)) {
      return `beginning of range (${values[0]}) beyond end of range (${values[1]}): ${part}`;
    }
  }
  return undefined;
}

/** The problem with a cron `schedule`, or undefined when it parses. */
export function cronScheduleProblem(schedule: string): string | undefined {
  let spec = schedule.trim();
  const tz = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(spec);
  if (tz !== null) spec = tz[2]!.trim();
  if (spec === '') return 'empty spec string';
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const d = parseDuration(spec.slice('@every '.length).trim());
      return d !== undefined && d > 0 ? undefined : `failed to parse duration ${spec}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== FIELDS.length)
    return `expected exactly 5 fields, found ${fields.length}: ${JSON.stringify(spec)}`;
  for (const [i, f] of FIELDS.entries()) {
    const problem = checkField(fields[i]!, f);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
