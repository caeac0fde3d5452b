/**
 * @module Go `time.Parse` with reference-time layouts (`2006-01-02T15:04:05Z07:00`, `Mon Jan _2 …`)
 * and RFC 3339 formatting, on a plain {unix seconds, nanoseconds, UTC offset} value — no Date, no clock.
 * The process-local zone is taken to be UTC (as in Kyverno's container), so zone abbreviations such
 * as `MST` parse with offset 0, like Go does for abbreviations unknown to the local zone.
 */

export interface GoTime {
  /** Seconds since the Unix epoch (UTC). */
  readonly sec: number;
  /** Nanoseconds within the second, 0..999_999_999. */
  readonly nsec: number;
  /** Zone offset in seconds east of UTC, used for display only. */
  readonly offset: number;
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Wall-clock fields of `t` in its own zone. */
export function wallClock(t: GoTime): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
} {
  const local = t.sec + t.offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
  };
}

const pad = (n: number, width: number): string => String(Math.abs(n)).padStart(width, '0');

function formatWithFraction(t: GoTime, fraction: string): string {
  const w = wallClock(t);
  const year = w.year < 0 ? `-${pad(w.year, 4)}` : pad(w.year, 4);
  let zone = 'Z';
  if (t.offset !== 0) {
    const minutes = Math.trunc(Math.abs(t.offset) / 60);
    zone = `${t.offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`;
  }
  return `${year}-${pad(w.month, 2)}-${pad(w.day, 2)}T${pad(w.hour, 2)}:${pad(w.minute, 2)}:${pad(w.second, 2)}${fraction}${zone}`;
}

/** `t.Format(time.RFC3339)`: seconds precision, `Z` for a zero offset. */
export function formatRFC3339(t: GoTime): string {
  return formatWithFraction(t, '');
}

/** `t.Format(time.RFC3339Nano)`: a fraction only when non-zero, without trailing zeros. */
export function formatRFC3339Nano(t: GoTime): string {
  const digits = String(t.nsec).padStart(9, '0').replace(/0+$/, '');
  return formatWithFraction(t, digits === '' ? '' : `.${digits}`);
}

/** Go `t2.Sub(t1)` in nanoseconds (as a float; exact up to ~104 days of odd nanoseconds). */
export function subTimes(t2: GoTime, t1: GoTime): number {
  return (t2.sec - t1.sec) * 1e9 + (t2.nsec - t1.nsec);
}

/** Go `t.Add(d)` for d in nanoseconds. */
export function addDuration(t: GoTime, ns: number): GoTime {
  const total = t.nsec + ns;
  const carry = Math.floor(total / 1e9);
  return { sec: t.sec + carry, nsec: total - carry * 1e9, offset: t.offset };
}

export function compareTimes(a: GoTime, b: GoTime): number {
  return a.sec !== b.sec ? Math.sign(a.sec - b.sec) : Math.sign(a.nsec - b.nsec);
}

/** Seconds from Go's zero time (0001-01-01 UTC) to the Unix epoch. */
const ZERO_TO_UNIX = 62135596800n;

/** Go `t.Truncate(d)`: rounds down to a multiple of d since the zero time; d <= 0 leaves t as is. */
export function truncateTime(t: GoTime, ns: number): GoTime {
  if (ns <= 0) return t;
  const d = BigInt(Math.round(ns));
  const abs = (BigInt(t.sec) + ZERO_TO_UNIX) * 1_000_000_000n + BigInt(t.nsec);
  let rem = abs % d;
  if (rem < 0n) rem += d;
  const out = abs - rem;
  const sec = out / 1_000_000_000n;
  return { sec: Number(sec - ZERO_TO_UNIX), nsec: Number(out - sec * 1_000_000_000n), offset: t.offset };
}

export function fromEpochMillis(ms: number, offset = 0): GoTime {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6), offset };
}

// ---- layout parsing ----

type Std =
  | 'Jan'
  | 'January'
  | 'Mon'
  | 'Monday'
  | 'MST'
  | '01'
  | '1'
  | '02'
  | '2'
  | '_2'
  | '002'
  | '__2'
  | '06'
  | '2006'
  | '15'
  | '03'
  | '3'
  | '04'
  | '4'
  | '05'
  | '5'
  | 'PM'
  | 'pm'
  | 'Z070000'
  | 'Z07:00:00'
  | 'Z0700'
  | 'Z07:00'
  | 'Z07'
  | '-070000'
  | '-07:00:00'
  | '-0700'
  | '-07:00'
  | '-07'
  | 'frac0'
  | 'frac9';

interface Chunk {
  readonly prefix: string;
  readonly std?: Std;
  readonly stdText: string;
  readonly suffix: string;
}

const isDigit = (s: string, i: number): boolean =>
  i < s.length && s[i] !== undefined && s[i] >= '0' && s[i] <= '9';
const startsWithLower = (s: string): boolean =>
  s.length > 0 && s[0] !== undefined && s[0] >= 'a' && s[0] <= 'z';

/** Go's nextStdChunk: the literal prefix, the next layout element, and the rest. */
function nextChunk(layout: string): Chunk {
  for (let i = 0; i < layout.length; i++) {
    const rest = layout.slice(i);
    const hit = (std: Std, len: number): Chunk => ({
      prefix: layout.slice(0, i),
      std,
      stdText: layout.slice(i, i + len),
      suffix: layout.slice(i + len),
    });
    switch (layout[i]) {
      case 'J':
        if (rest.startsWith('Jan')) {
          if (rest.startsWith('January')) return hit('January', 7);
          if (!startsWithLower(rest.slice(3))) return hit('Jan', 3);
        }
        break;
      case 'M':
        if (rest.startsWith('Mon')) {
          if (rest.startsWith('Monday')) return hit('Monday', 6);
          if (!startsWithLower(rest.slice(3))) return hit('Mon', 3);
        }
        if (rest.startsWith('MST')) return hit('MST', 3);
        break;
      case '0':
        if (rest[1] !== undefined && rest[1] >= '1' && rest[1] <= '6') {
          const std = (['01', '02', '03', '04', '05', '06'] as const)[Number(rest[1]) - 1];
          if (std) return hit(std, 2);
        }
        if (rest.startsWith('002')) return hit('002', 3);
        break;
      case '1':
        if (rest.startsWith('15')) return hit('15', 2);
        return hit('1', 1);
      case '2':
        if (rest.startsWith('2006')) return hit('2006', 4);
        return hit('2', 1);
      case '_':
        if (rest.startsWith('_2')) {
          if (rest.startsWith('_2006'))
            return { prefix: layout.slice(0, i + 1), std: '2006', stdText: '2006', suffix: rest.slice(5) };
          return hit('_2', 2);
        }
        if (rest.startsWith('__2')) return hit('__2', 3);
        break;
      case '3':
        return hit('3', 1);
      case '4':
        return hit('4', 1);
      case '5':
        return hit('5', 1);
      case 'P':
        if (rest.startsWith('PM')) return hit('PM', 2);
        break;
      case 'p':
        if (rest.startsWith('pm')) return hit('pm', 2);
        break;
      case '-':
      case 'Z': {
        const z = layout[i] === 'Z';
        for (const form of ['070000', '07:00:00', '0700', '07:00', '07'] as const) {
          if (rest.slice(1).startsWith(form)) return hit(`${z ? 'Z' : '-'}${form}` as Std, form.length + 1);
        }
        break;
      }
      case '.':
      case ',': {
        const ch = rest[1];
        if (ch === '0' || ch === '9') {
          let j = 1;
          while (rest[j] === ch) j++;
          if (!isDigit(rest, j)) return hit(ch === '0' ? 'frac0' : 'frac9', j);
        }
        break;
      }
    }
  }
  return { prefix: layout, stdText: '', suffix: '' };
}

class LayoutError extends Error {}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new LayoutError();
  if (!isDigit(s, 1)) {
    if (fixed) throw new LayoutError();
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let i = 0;
  while (i < 3 && isDigit(s, i)) i++;
  if (i === 0 || (fixed && i !== 3)) throw new LayoutError();
  return [Number(s.slice(0, i)), s.slice(i)];
}

const cutspace = (s: string): string => s.replace(/^ +/, '');

/** Go's skip(): matches a literal prefix; spaces in the layout match any run of spaces. */
function skip(value: string, prefix: string): string {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === ' ') {
      if (v.length > 0 && v[0] !== ' ') throw new LayoutError();
      p = cutspace(p);
      v = cutspace(v);
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) throw new LayoutError();
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

function lookupName(names: readonly string[], value: string): [number, string] {
  for (let i = 0; i < names.length; i++) {
    const n = names[i] ?? '';
    if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) {
      return [i, value.slice(n.length)];
    }
  }
  throw new LayoutError();
}

function parseNanos(value: string, nbytes: number): number | undefined {
  const digits = value.slice(1, Math.min(nbytes, 10));
  if (!/^\d+$/.test(digits)) return undefined;
  return Number(digits.padEnd(9, '0'));
}

/** Length of a zone abbreviation at the start of `value` (Go's parseTimeZone), 0 if none. */
function zoneAbbrevLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) {
    const m = /^GMT([+-]\d{1,2})?/.exec(value);
    return m ? m[0].length : 3;
  }
  if (value[0] === '+' || value[0] === '-') {
    const m = /^[+-]\d\d(\d\d)?/.exec(value);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < value.length && /[A-Z]/.test(value[n] ?? '')) n++;
  if (n === 3) return 3;
  if (n === 4 && (value[3] === 'T' || value.startsWith('WITA'))) return 4;
  if (n === 5 && value[4] === 'T') return 5;
  return 0;
}

const quote = (s: string): string => JSON.stringify(s);

export class GoTimeParseError extends Error {}

function parseError(
  layout: string,
  value: string,
  layoutElem: string,
  valueElem: string,
  message = '',
): GoTimeParseError {
  if (message !== '') return new GoTimeParseError(`parsing time ${quote(value)}${message}`);
  return new GoTimeParseError(
    `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`,
  );
}

/** Go `time.Parse(layout, value)` with Local = UTC. Throws GoTimeParseError with Go's wording. */
export function parseGoTime(layout: string, value: string): GoTime {
  let rest = layout;
  let v = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let zoneName = '';
  for (;;) {
    const { prefix, std, stdText, suffix } = nextChunk(rest);
    try {
      v = skip(v, prefix);
    } catch {
      throw parseError(layout, value, prefix, v);
    }
    if (std === undefined) {
      if (v.length !== 0) throw parseError(layout, value, '', v, `: extra text: ${quote(v)}`);
      break;
    }
    rest = suffix;
    const hold = v;
    let range = '';
    try {
      switch (std) {
        case '2006':
          if (v.length < 4 || !/^\d{4}/.test(v)) throw new LayoutError();
          year = Number(v.slice(0, 4));
          v = v.slice(4);
          break;
        case '06': {
          if (!/^\d{2}/.test(v)) throw new LayoutError();
          const y = Number(v.slice(0, 2));
          year = y >= 69 ? y + 1900 : y + 2000;
          v = v.slice(2);
          break;
        }
        case 'Jan':
          [month, v] = lookupName(SHORT_MONTHS, v);
          month++;
          break;
        case 'January':
          [month, v] = lookupName(LONG_MONTHS, v);
          month++;
          break;
        case '1':
        case '01':
          [month, v] = getnum(v, std === '01');
          if (month <= 0 || month > 12) range = 'month';
          break;
        case 'Mon':
          [, v] = lookupName(SHORT_DAYS, v);
          break;
        case 'Monday':
          [, v] = lookupName(LONG_DAYS, v);
          break;
        case '2':
        case '_2':
        case '02':
          if (std === '_2' && v[0] === ' ') v = v.slice(1);
          [day, v] = getnum(v, std === '02');
          break;
        case '002':
        case '__2':
          if (std === '__2' && v[0] === ' ') v = v.slice(v[1] === ' ' ? 2 : 1);
          [yday, v] = getnum3(v, std === '002');
          if (yday < 1 || yday > 366) range = 'day-of-year';
          break;
        case '15':
          [hour, v] = getnum(v, false);
          if (hour < 0 || hour > 23) range = 'hour';
          break;
        case '3':
        case '03':
          [hour, v] = getnum(v, std === '03');
          if (hour < 0 || hour > 12) range = 'hour';
          break;
        case '4':
        case '04':
          [min, v] = getnum(v, std === '04');
          if (min < 0 || min >= 60) range = 'minute';
          break;
        case '5':
        case '05': {
          [sec, v] = getnum(v, std === '05');
          if (sec < 0 || sec >= 60) {
            range = 'second';
            break;
          }
          // A fractional second in the value but not in the layout is still accepted.
          if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
            const next = nextChunk(rest).std;
            if (next === 'frac0' || next === 'frac9') break;
            let n = 2;
            while (isDigit(v, n)) n++;
            const ns = parseNanos(v, n);
            if (ns === undefined) range = 'fractional second';
            else nsec = ns;
            v = v.slice(n);
          }
          break;
        }
        case 'PM':
        case 'pm': {
          const p = v.slice(0, 2);
          const up = std === 'PM' ? p : p.toUpperCase();
          if (v.length < 2 || (std === 'pm' && p !== p.toLowerCase())) throw new LayoutError();
          if (up === 'PM') pmSet = true;
          else if (up === 'AM') amSet = true;
          else throw new LayoutError();
          v = v.slice(2);
          break;
        }
        case 'MST': {
          if (v.startsWith('UTC')) {
            offset = 0;
            v = v.slice(3);
            break;
          }
          const n = zoneAbbrevLength(v);
          if (n === 0) throw new LayoutError();
          zoneName = v.slice(0, n);
          v = v.slice(n);
          break;
        }
        case 'frac0': {
          const ndigit = stdText.length;
          if (v.length < ndigit) throw new LayoutError();
          const ns = parseNanos(v, ndigit);
          if (ns === undefined || (v[0] !== '.' && v[0] !== ',')) throw new LayoutError();
          nsec = ns;
          v = v.slice(ndigit);
          break;
        }
        case 'frac9': {
          if (v.length < 2 || (v[0] !== '.' && v[0] !== ',') || !isDigit(v, 1)) break;
          let i = 0;
          while (isDigit(v, i + 1)) i++;
          const ns = parseNanos(v, 1 + i);
          if (ns === undefined) range = 'fractional second';
          else nsec = ns;
          v = v.slice(1 + i);
          break;
        }
        default: {
          // Numeric zone offsets; the Z forms also accept a literal `Z` for UTC.
          if (std.startsWith('Z') && v[0] === 'Z') {
            v = v.slice(1);
            offset = 0;
            break;
          }
          const form = std.slice(1);
          let sign: string;
          let hh: string;
          let mm = '00';
          let ss = '00';
          if (form === '07:00') {
            if (v.length < 6 || v[3] !== ':') throw new LayoutError();
            [sign, hh, mm, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(4, 6), v.slice(6)];
          } else if (form === '07') {
            if (v.length < 3) throw new LayoutError();
            [sign, hh, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(3)];
          } else if (form === '07:00:00') {
            if (v.length < 9 || v[3] !== ':' || v[6] !== ':') throw new LayoutError();
            [sign, hh, mm, ss, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(4, 6), v.slice(7, 9), v.slice(9)];
          } else if (form === '070000') {
            if (v.length < 7) throw new LayoutError();
            [sign, hh, mm, ss, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(3, 5), v.slice(5, 7), v.slice(7)];
          } else {
            if (v.length < 5) throw new LayoutError();
            [sign, hh, mm, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(3, 5), v.slice(5)];
          }
          const [h] = getnum(hh, true);
          const [m] = getnum(mm, true);
          const [s] = getnum(ss, true);
          if (h > 24) range = 'time zone offset hour';
          if (m > 60) range = 'time zone offset minute';
          if (s > 60) range = 'time zone offset second';
          const total = (h * 60 + m) * 60 + s;
          if (sign === '+') offset = total;
          else if (sign === '-') offset = -total;
          else throw new LayoutError();
        }
      }
    } catch (e) {
      if (e instanceof LayoutError) throw parseError(layout, value, stdText, hold);
      throw e;
    }
    if (range !== '') throw parseError(layout, value, stdText, v, `: ${range} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    let m = 0;
    let d = yday;
    if (month < 0 && yday > (isLeap(year) ? 366 : 365))
      throw parseError(layout, value, '', value, ': day-of-year out of range');
    if (month < 0 || day < 0) {
      m = 1;
      while (m <= 12 && d > daysIn(m, year)) {
        d -= daysIn(m, year);
        m++;
      }
      if (month >= 0 && month !== m)
        throw parseError(layout, value, '', value, ': day-of-year does not match month');
      if (day >= 0 && day !== d)
        throw parseError(layout, value, '', value, ': day-of-year does not match day');
      month = m;
      day = d;
    }
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(layout, value, '', value, ': day out of range');
  if (offset === undefined && zoneName.startsWith('GMT') && zoneName.length > 3) {
    offset = Number(zoneName.slice(3)) * 3600;
  }
  const off = offset ?? 0;
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  return { sec: local - off, nsec, offset: off };
}

/** Milliseconds since the Unix epoch, rounded down to what a JS Date holds. */
export function toEpochMillis(t: GoTime): number {
  return t.sec * 1000 + Math.floor(t.nsec / 1e6);
}
