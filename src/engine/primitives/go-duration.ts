/**
 * @module Go `time.Duration` parsing and formatting (`1h30m`, `500ms`, `1.5s`), in nanoseconds.
 * Kyverno compares and adds durations with Go's rules, so strings must round-trip the same way.
 */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parses a Go duration; returns nanoseconds, or undefined when `s` is not a duration. */
export function parseDuration(s: string): number | undefined {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m) return undefined;
    const [all, intPart = '', fracPart, unit = ''] = m;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return undefined;
    const n = Number(`${intPart === '' ? '0' : intPart}.${fracPart ?? '0'}`);
    total += n * (UNIT_NS[unit] ?? 0);
    rest = rest.slice(all.length);
  }
  return sign * Math.round(total);
}

/** Formats nanoseconds like Go's `Duration.String()`: `1h30m0s`, `1.5s`, `250ms`, `0s`. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  let out: string;
  if (u < 1e9) {
    let unit: string;
    let scale: number;
    if (u < 1e3) {
      unit = 'ns';
      scale = 1;
    } else if (u < 1e6) {
      unit = 'µs';
      scale = 1e3;
    } else {
      unit = 'ms';
      scale = 1e6;
    }
    out = trimFraction(u, scale) + unit;
  } else {
    const hours = Math.floor(u / 3600e9);
    u -= hours * 3600e9;
    const minutes = Math.floor(u / 60e9);
    u -= minutes * 60e9;
    const seconds = trimFraction(u, 1e9);
    out = `${seconds}s`;
    if (hours > 0 || minutes > 0) out = `${minutes}m${out}`;
    if (hours > 0) out = `${hours}h${out}`;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(value: number, scale: number): string {
  const whole = Math.floor(value / scale);
  const frac = value - whole * scale;
  if (frac === 0) return String(whole);
  const digits = String(scale).length - 1;
  const fracStr = String(frac).padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${fracStr}`;
}
