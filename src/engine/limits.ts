/**
 * @module Evaluation limits: the bounds that keep one hostile policy or resource from exhausting memory
 * or time. Growth is charged as it happens (before a string is built, before a value is copied into the
 * context), so a doubling chain stops at the limit instead of after allocating past it. A limit that is
 * reached makes the rule an `error` whose message names the limit (see docs/limits.md).
 */

/** Every bound one evaluation runs within. Sizes count characters of the JSON text (≈ bytes for ASCII). */
export interface Limits {
  /** JSON size of a request's context: the request, variables and context entries. Kyverno: 2 MiB (`maxContextSize`). */
  readonly maxContextSize: number;
  /** Size of one substituted value: a `{{ }}` result, a string being substituted, a JMESPath function's string result. */
  readonly maxValueSize: number;
  /** Length of a rule message once its variables are substituted. */
  readonly maxMessageSize: number;
  /** Re-scans of one string while the values substituted into it hold variables again. */
  readonly maxSubstitutionPasses: number;
  /** Characters substitution builds in one rule, intermediate strings and copied values included. */
  readonly maxSubstitutionOutput: number;
  /** JMESPath work in one rule: node visits, comparisons, and one unit per 64 characters built. */
  readonly maxJmespathCost: number;
  /** Elements of one `foreach` list. */
  readonly maxForeachElements: number;
  /** Wall time of one rule, in milliseconds. */
  readonly ruleTimeoutMs: number;
  /** Wall time of one request (one policy against one resource), in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Length of a string a policy's regular expression is run on. */
  readonly maxRegexInput: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_EVALUATION_LIMITS: Limits = {
  maxContextSize: 2 * MIB,
  maxValueSize: 2 * MIB,
  maxMessageSize: 64 * 1024,
  maxSubstitutionPasses: 100,
  maxSubstitutionOutput: 64 * MIB,
  maxJmespathCost: 10_000_000,
  maxForeachElements: 10_000,
  ruleTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxRegexInput: 1 * MIB,
};

export type LimitName = keyof Limits;

/** What a charge is for, in a limit's message; a function when building the text costs (hot paths). */
export type Detail = string | (() => string);

function detailText(detail: Detail): string {
  return typeof detail === 'string' ? detail : detail();
}

/** The unit a limit counts, for messages. */
function unitOf(limit: LimitName): string {
  if (limit === 'ruleTimeoutMs' || limit === 'requestTimeoutMs') return 'ms';
  if (limit === 'maxSubstitutionPasses') return 'passes';
  if (limit === 'maxForeachElements') return 'elements';
  if (limit === 'maxJmespathCost') return 'units';
  return 'characters';
}

/** Evaluation stopped at a limit. The message reads `limit <name> (<value> <unit>) exceeded: <what>`. */
export class LimitExceededError extends Error {
  readonly limit: LimitName;
  constructor(limit: LimitName, value: number, detail: string) {
    super(`limit ${limit} (${value} ${unitOf(limit)}) exceeded: ${detail}`);
    this.name = 'LimitExceededError';
    this.limit = limit;
  }
}

/** `limits` completed with the defaults; non-positive or non-finite values are ignored. */
export function resolveLimits(limits: Partial<Limits> = {}): Limits {
  const out: Record<string, number> = { ...DEFAULT_EVALUATION_LIMITS };
  for (const [k, v] of Object.entries(limits)) {
    if (k in out && typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
  }
  return out as unknown as Limits;
}

// A meter is made per policy and request, mostly from the same few limits objects (readonly).
const resolvedByInput = new WeakMap<Partial<Limits>, Limits>();
let resolvedDefaults: Limits | undefined;

function resolvedLimits(limits: Partial<Limits> | undefined): Limits {
  if (limits === undefined) {
    resolvedDefaults ??= resolveLimits();
    return resolvedDefaults;
  }
  let resolved = resolvedByInput.get(limits);
  if (resolved === undefined) {
    resolved = resolveLimits(limits);
    resolvedByInput.set(limits, resolved);
  }
  return resolved;
}

/**
 * Length of `value` as JSON text, computed without recursion and stopping as soon as it passes
 * `stopAbove` (the answer is then some number above it): shared sub-structures (`[x, x]` nested thirty
 * times) count as often as they would print, yet measuring one never costs more than `stopAbove` steps.
 */
export function jsonSize(value: unknown, stopAbove: number = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') total += v.length + 2;
    else if (typeof v === 'number')
      total += Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v).length : 24;
    else if (typeof v === 'boolean') total += v ? 4 : 5;
    else if (v === null || v === undefined) total += 4;
    else if (Array.isArray(v)) {
      total += 1 + Math.max(1, v.length);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      total += 1 + Math.max(1, entries.length);
      for (const [k, item] of entries) {
        total += k.length + 3;
        stack.push(item);
      }
    } else total += 4;
    if (total > stopAbove) return total;
  }
  return total;
}

export interface LimitMeterOptions {
  readonly limits?: Partial<Limits>;
  /** Milliseconds from a monotonic or wall clock; without one, time limits are checked only through `signal`. */
  readonly now?: () => number;
  /** Aborted when the caller stops waiting (the runtime's signal): the request then stops at its next check. */
  readonly signal?: AbortSignal;
}

/**
 * Charges the work of one request against its limits, rule by rule. Once a limit is exceeded the meter
 * stays tripped until the rule ends: every later charge throws the same error at once, so code that
 * catches errors on the way (a foreach skipping an element, a message falling back) cannot run on.
 */
export class LimitMeter {
  readonly limits: Limits;
  readonly #now: (() => number) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #requestStart: number;
  #ruleStart: number;
  #cost = 0;
  #output = 0;
  #tripped: LimitExceededError | undefined;
  #requestTripped: LimitExceededError | undefined;

  constructor(options: LimitMeterOptions = {}) {
    this.limits = resolvedLimits(options.limits);
    this.#now = options.now;
    this.#signal = options.signal;
    this.#requestStart = this.#now?.() ?? 0;
    this.#ruleStart = this.#requestStart;
  }

  /**
   * Starts the budget of a new rule. Returns the error that stops the whole request (its deadline,
   * its signal, or a request-level limit), when there is one: the rule must not run then.
   */
  startRule(): LimitExceededError | undefined {
    this.#cost = 0;
    this.#output = 0;
    this.#tripped = this.#requestTripped;
    this.#ruleStart = this.#now?.() ?? 0;
    if (this.#tripped === undefined) {
      try {
        this.checkTime();
      } catch (error) {
        if (!(error instanceof LimitExceededError)) throw error;
      }
    }
    return this.#requestTripped;
  }

  /** The limit the current rule (or the request) ran into, if any. */
  get exceeded(): LimitExceededError | undefined {
    return this.#tripped;
  }

  /** Records that `limit` was exceeded and throws; `request` stops every later rule too. */
  exceed(limit: LimitName, detail: Detail, scope: 'rule' | 'request' = 'rule'): never {
    if (this.#tripped !== undefined) throw this.#tripped;
    const error = new LimitExceededError(limit, this.limits[limit], detailText(detail));
    this.#tripped = error;
    if (scope === 'request') this.#requestTripped = error;
    throw error;
  }

  /** Makes `error` (met outside any rule, e.g. while building the context) stop every rule of the request. */
  stopRequest(error: LimitExceededError): void {
    this.#requestTripped ??= error;
    this.#tripped ??= error;
  }

  /** Throws when the rule already ran into a limit. */
  checkTripped(): void {
    if (this.#tripped !== undefined) throw this.#tripped;
  }

  /** Throws when the signal was aborted or a deadline passed. Cheap enough for every loop iteration. */
  checkTime(): void {
    this.checkTripped();
    if (this.#signal?.aborted === true) {
      const reason: unknown = this.#signal.reason;
      const why =
        reason instanceof Error ? reason.message : reason !== undefined ? String(reason) : 'aborted';
      this.exceed('requestTimeoutMs', `the evaluation was cancelled (${why})`, 'request');
    }
    if (this.#now === undefined) return;
    const t = this.#now();
    if (t - this.#requestStart > this.limits.requestTimeoutMs)
      this.exceed('requestTimeoutMs', 'the request ran out of time', 'request');
    if (t - this.#ruleStart > this.limits.ruleTimeoutMs)
      this.exceed('ruleTimeoutMs', 'the rule ran out of time');
  }

  /** JMESPath work still allowed in this rule. */
  costLeft(): number {
    return this.limits.maxJmespathCost - this.#cost;
  }

  /** Adds JMESPath work done; throws past the limit (`what` names the expression). */
  chargeCost(units: number, what: Detail): void {
    this.#cost += units;
    if (this.#cost > this.limits.maxJmespathCost)
      this.exceed('maxJmespathCost', () => `evaluating ${detailText(what)} takes too much work`);
  }

  /** Adds characters built by substitution; throws past the limit. */
  chargeOutput(chars: number, what: Detail): void {
    this.checkTripped();
    this.#output += chars;
    if (this.#output > this.limits.maxSubstitutionOutput)
      this.exceed(
        'maxSubstitutionOutput',
        () => `substitution in this rule builds too much text (${detailText(what)})`,
      );
  }

  /** Throws when `size` is above the size limit `limit`; `what` says which value. */
  checkSize(limit: LimitName, size: number, what: Detail): void {
    this.checkTripped();
    if (size > this.limits[limit]) this.exceed(limit, () => `${detailText(what)} is longer than the limit`);
  }
}
