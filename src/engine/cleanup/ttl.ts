/**
 * @module The `cleanup.kyverno.io/ttl` label (Kyverno pkg/controllers/ttl/utils.go,
 * pkg/validation/resource/validate.go): when a labelled object is due for deletion. The value is a
 * duration after the object's creation — Go's `time.ParseDuration` first, then the OpenAPI
 * `strfmt` form with days and weeks (`1d`, `2w`, `3days`) — or an absolute UTC time
 * `2006-01-02T150405Z` or date `2006-01-02`. The propagation policy of the deletion comes from the
 * `cleanup.kyverno.io/propagation-policy` annotation.
 */
import { parseDuration } from '../primitives/go-duration.js';

export const TTL_LABEL = 'cleanup.kyverno.io/ttl';
export const PROPAGATION_POLICY_ANNOTATION = 'cleanup.kyverno.io/propagation-policy';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export type TtlValue =
  | { readonly ok: true; readonly kind: 'duration'; readonly ms: number }
  | { readonly ok: true; readonly kind: 'time'; readonly at: Date }
  | { readonly ok: false; readonly error: string };

const MS_PER: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86_400e3,
  w: 604_800e3,
};

// The strfmt unit families, shortest first; the last spelling of a family also matches as a prefix
// (`hours`, `days`, `weeks`, `mins`), the others only exactly, ignoring case.
const UNIT_FAMILIES: readonly (readonly string[])[] = [
  ['ns', 'nano'],
  ['us', 'µs', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
];

/** strfmt's duration form: one or more `<integer><unit>`, blanks allowed between and around. */
function parseScalaDuration(text: string): number | undefined {
  if (!/^\s*(?:\d+\s*[A-Za-zµ]+\s*)+$/.test(text)) return undefined;
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)) {
    const factor = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    for (const family of UNIT_FAMILIES) {
      const last = family.length - 1;
      family.forEach((variant, i) => {
        if ((i === last && unit.startsWith(variant)) || unit === variant) {
          matched = true;
          total += factor * (MS_PER[family[0] ?? ''] ?? 0);
        }
      });
    }
  }
  return matched ? total : undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `2006-01-02T150405Z` or `2006-01-02`, as Go's time.Parse reads those layouts (UTC). */
function parseAbsolute(text: string): Date | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{1,2})(\d{2})(\d{2})Z)?$/.exec(text);
  if (m === null) return `parsing time "${text}" as "2006-01-02T150405Z" or "2006-01-02": cannot parse`;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const y = year ?? 0;
  const mo = month ?? 0;
  const d = day ?? 0;
  if (mo < 1 || mo > 12) return `parsing time "${text}": month out of range`;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const maxDay = mo === 2 && !leap ? 28 : (DAYS_IN_MONTH[mo - 1] ?? 31);
  if (d < 1 || d > maxDay) return `parsing time "${text}": day out of range`;
  if ((hour ?? 0) > 23) return `parsing time "${text}": hour out of range`;
  if ((minute ?? 0) > 59) return `parsing time "${text}": minute out of range`;
  if ((second ?? 0) > 59) return `parsing time "${text}": second out of range`;
  return new Date(Date.UTC(y, mo - 1, d, hour ?? 0, minute ?? 0, second ?? 0));
}

/** Reads a TTL label value: a duration after creation, or an absolute time. */
export function parseTtl(value: string): TtlValue {
  const goNs = parseDuration(value);
  if (goNs !== undefined) return { ok: true, kind: 'duration', ms: goNs / 1e6 };
  const scala = parseScalaDuration(value);
  if (scala !== undefined) return { ok: true, kind: 'duration', ms: scala };
  const at = parseAbsolute(value);
  return typeof at === 'string' ? { ok: false, error: at } : { ok: true, kind: 'time', at };
}

/** The admission warning for an unreadable label value (Kyverno's `/verifyttl` text), or undefined. */
export function ttlLabelWarning(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  const value = labels?.[TTL_LABEL];
  if (value === undefined) return undefined;
  const parsed = parseTtl(value);
  return parsed.ok
    ? undefined
    : `${TTL_LABEL} label value cannot be parsed as any recognizable format (${parsed.error})`;
}

/**
 * When an object with this label value is to be deleted: creation + duration, or the absolute time.
 * Undefined when the value is unreadable (the object is left alone, as Kyverno does).
 */
export function ttlDeletionTime(value: string, creationTimestamp: string | undefined): Date | undefined {
  const parsed = parseTtl(value);
  if (!parsed.ok) return undefined;
  if (parsed.kind === 'time') return parsed.at;
  const created = Date.parse(creationTimestamp ?? '');
  return Number.isNaN(created) ? undefined : new Date(created + parsed.ms);
}

/** The propagation policy the annotation asks for; anything else is the API server's default. */
export function ttlPropagationPolicy(
  annotations: Readonly<Record<string, string>> | undefined,
): PropagationPolicy | undefined {
  const v = annotations?.[PROPAGATION_POLICY_ANNOTATION];
  return v === 'Foreground' || v === 'Background' || v === 'Orphan' ? v : undefined;
}
