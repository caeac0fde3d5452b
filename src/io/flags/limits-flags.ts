/**
 * @module The `apply`/`test`/`serve` flags for evaluation limits a user may need to raise (docs/limits.md), and
 * `--allow-empty`. Parsed here so the commands only declare the flags and pass the limits on.
 */
import { DEFAULT_EVALUATION_LIMITS, type Limits } from '../../engine/index.js';
import type { IoDiagnostic } from '../codes.js';
import type { OptionSpec } from './args.js';

type SizeFlag = {
  readonly flag: string;
  readonly limit: keyof Limits;
  readonly kind: 'size' | 'count' | 'duration';
  readonly help: string;
};

const FLAGS: readonly SizeFlag[] = [
  {
    flag: 'max-context-size',
    limit: 'maxContextSize',
    kind: 'size',
    help: 'JSON size of what rules add to the context',
  },
  { flag: 'max-value-size', limit: 'maxValueSize', kind: 'size', help: 'size of one substituted value' },
  { flag: 'max-message-size', limit: 'maxMessageSize', kind: 'size', help: 'length of a rule message' },
  {
    flag: 'max-substitution-passes',
    limit: 'maxSubstitutionPasses',
    kind: 'count',
    help: 're-scans of a string whose substituted values hold variables',
  },
  {
    flag: 'max-substitution-output',
    limit: 'maxSubstitutionOutput',
    kind: 'size',
    help: 'text substitution may build per rule',
  },
  { flag: 'max-regex-input', limit: 'maxRegexInput', kind: 'size', help: 'string a regex runs on' },
  { flag: 'max-jmespath-cost', limit: 'maxJmespathCost', kind: 'count', help: 'JMESPath work per rule' },
  {
    flag: 'max-foreach-elements',
    limit: 'maxForeachElements',
    kind: 'count',
    help: 'elements of a foreach list',
  },
  { flag: 'max-cel-cost', limit: 'maxCelCost', kind: 'count', help: 'CEL work per expression' },
  {
    flag: 'timeout',
    limit: 'requestTimeoutMs',
    kind: 'duration',
    help: 'time for one resource (one admission request), all policies together',
  },
  { flag: 'rule-timeout', limit: 'ruleTimeoutMs', kind: 'duration', help: 'time for one rule' },
  {
    flag: 'max-request-jmespath-cost',
    limit: 'maxRequestJmespathCost',
    kind: 'count',
    help: 'JMESPath work per resource, all policies together',
  },
  {
    flag: 'max-request-substitution-output',
    limit: 'maxRequestSubstitutionOutput',
    kind: 'size',
    help: 'text substitution may build per resource, all policies together',
  },
  {
    flag: 'max-request-cel-cost',
    limit: 'maxRequestCelCost',
    kind: 'count',
    help: 'CEL work per resource, all expressions together',
  },
];

/** The option declarations to spread into a command's parseArgs options. */
export const LIMIT_OPTIONS = {
  ...Object.fromEntries(FLAGS.map((f) => [f.flag, { type: 'string' }])),
  'allow-empty': { type: 'boolean' },
} as const satisfies OptionSpec;

function shown(f: SizeFlag): string {
  const v = DEFAULT_EVALUATION_LIMITS[f.limit];
  if (f.kind === 'duration') return v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`;
  if (f.kind === 'size' && v % (1024 * 1024) === 0) return `${v / 1024 / 1024}Mi`;
  if (f.kind === 'size' && v % 1024 === 0) return `${v / 1024}Ki`;
  return String(v);
}

/** The help lines for these flags, descriptions from `column` like the command's own flags. */
export function limitFlagsHelp(column: number): string {
  const line = (name: string, text: string): string =>
    name.length < column ? `${name.padEnd(column)}${text}` : `${name}\n${' '.repeat(column)}${text}`;
  return [
    line('      --allow-empty', 'accept a folder, file or stdin holding no YAML document'),
    ...FLAGS.map((f) => {
      const type = f.kind === 'duration' ? 'duration' : f.kind === 'size' ? 'size' : 'int';
      return line(`      --${f.flag} ${type}`, `limit: ${f.help} (default ${shown(f)})`);
    }),
    line('', 'limits are described in docs/limits.md; sizes take Ki/Mi/Gi, durations ms/s/m'),
  ].join('\n');
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1000,
  M: 1000 ** 2,
  G: 1000 ** 3,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
};
const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** `4Mi`, `500K`, `1000`; `30s`, `1500ms`, `2m` (a bare number of seconds too). Undefined if malformed. */
export function parseLimitValue(kind: SizeFlag['kind'], text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(text.trim());
  if (m === null) return undefined;
  const units =
    kind === 'duration' ? { '': 1000, ...DURATION_UNITS } : kind === 'size' ? SIZE_UNITS : { '': 1 };
  const factor = (units as Record<string, number>)[m[2] ?? ''];
  if (factor === undefined) return undefined;
  const value = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** A count where 0 is meaningful (e.g. "no bound"): digits only, 0 included; undefined when invalid. */
export function parseCountValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A rate such as `0.5` or `1000`: a decimal of 0 or more, no exponent or sign; undefined when invalid. */
export function parseRateValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** The limits given on the command line (only those), or the usage error naming the bad flag. */
export function parseLimitFlags(
  values: Readonly<Record<string, unknown>>,
): { ok: true; limits: Partial<Limits> } | { ok: false; error: string } {
  const limits: Partial<Record<keyof Limits, number>> = {};
  for (const f of FLAGS) {
    const raw = values[f.flag];
    if (typeof raw !== 'string') continue;
    const value = parseLimitValue(f.kind, raw);
    if (value === undefined) {
      const expected =
        f.kind === 'duration'
          ? 'a duration such as 30s or 1500ms'
          : f.kind === 'size'
            ? 'a positive size such as 4Mi or 500000'
            : 'a positive integer';
      return { ok: false, error: `--${f.flag} expects ${expected}, got "${raw}"` };
    }
    limits[f.limit] = value;
  }
  return { ok: true, limits };
}

/**
 * Makes the `input/empty` warnings of `issues` errors (in place) unless `--allow-empty` was given: a run
 * over no document at all is usually a broken pipeline (a failed `helm template`), not a pass.
 */
export function applyEmptyInputRule(issues: IoDiagnostic[], values: Readonly<Record<string, unknown>>): void {
  if (values['allow-empty'] === true) return;
  for (const [i, d] of issues.entries())
    if (d.code === 'input/empty' && d.severity === 'warning') issues[i] = { ...d, severity: 'error' };
}
