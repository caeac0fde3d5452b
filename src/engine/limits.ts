/**
 * @module Evaluation limits: the bounds that keep one hostile policy or resource from exhausting memory
 * or time. Growth is charged as it happens (before a string is built, before a value is copied into the
 * context), so a doubling chain stops at the limit instead of after allocating past it. A limit that is
 * reached makes the rule an `error` whose message names the limit (see docs/limits.md).
 */
import type { EvaluationSignal } from './runtime.js';

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
  /**
   * Wall time of one request, in milliseconds: every policy and rule evaluated for one admission
   * request (`admit`), one background scan of an object (`scan`), or one policy evaluated on its own.
   */
  readonly requestTimeoutMs: number;
  /** Length of a string a policy's regular expression is run on. */
  readonly maxRegexInput: number;
  /** JMESPath work of one request, every policy and rule together (same units as maxJmespathCost). */
  readonly maxRequestJmespathCost: number;
  /** Characters substitution builds in one request, every policy and rule together. */
  readonly maxRequestSubstitutionOutput: number;
  /**
   * CEL work of one expression evaluation: one unit per operation evaluated (comprehension steps
   * included), one per 64 characters and per 8 list elements an operation builds. Kubernetes: 1,000,000
   * (`PerCallLimit`).
   */
  readonly maxCelCost: number;
  /** CEL work of one request, every expression of every policy together (same units as maxCelCost). */
  readonly maxRequestCelCost: number;
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
  maxRequestJmespathCost: 100_000_000,
  maxRequestSubstitutionOutput: 256 * MIB,
  maxCelCost: 1_000_000,
  maxRequestCelCost: 10_000_000,
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
  if (
    limit === 'maxJmespathCost' ||
    limit === 'maxRequestJmespathCost' ||
    limit === 'maxCelCost' ||
    limit === 'maxRequestCelCost'
  )
    return 'units';
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

export interface RequestBudgetOptions {
  readonly limits?: Partial<Limits>;
  /** Milliseconds from a monotonic or wall clock; without one, time limits are checked only through `signal`. */
  readonly now?: () => number;
  /** Aborted when the caller stops waiting (the runtime's signal): the request then stops at its next check. */
  readonly signal?: EvaluationSignal;
  /** When the request started, on `now`'s scale (default: when the budget is made). */
  readonly startedAt?: number;
}

/**
 * The budget one request shares among every policy and rule evaluated for it: its wall time (clock
 * and signal) and its total JMESPath, substitution and CEL work. `admit` and `scan` make one per call,
 * so N heavy policies cannot add up past the request's deadline. Once a request-level limit is
 * reached the budget stays stopped: every later rule of the request is an error naming the limit.
 */
export class RequestBudget {
  readonly limits: Limits;
  /** Milliseconds on the request's clock; undefined without one (time is then bounded by the signal only). */
  readonly clock: (() => number) | undefined;
  readonly #signal: EvaluationSignal | undefined;
  readonly #start: number;
  #jmespath = 0;
  #output = 0;
  #cel = 0;
  #stopped: LimitExceededError | undefined;

  constructor(options: RequestBudgetOptions = {}) {
    this.limits = resolvedLimits(options.limits);
    this.clock = options.now;
    this.#signal = options.signal;
    this.#start = options.startedAt ?? this.clock?.() ?? 0;
  }

  /** The limit that stopped the request, if one did. */
  get stopped(): LimitExceededError | undefined {
    return this.#stopped;
  }

  /** Stops the request with `error` (the first stop is kept) and throws what stopped it. */
  exceed(limit: LimitName, detail: Detail): never {
    this.#stopped ??= new LimitExceededError(limit, this.limits[limit], detailText(detail));
    throw this.#stopped;
  }

  /** The work charged so far (for tests and metrics). */
  get spent(): { readonly jmespath: number; readonly output: number; readonly cel: number } {
    return { jmespath: this.#jmespath, output: this.#output, cel: this.#cel };
  }

  /**
   * Throws when the request was stopped, its signal aborted or its time is up. Returns the clock's
   * reading (undefined without a clock), so that a rule's own check reads the clock once.
   */
  checkTime(): number | undefined {
    return this.checkTimeAt(undefined);
  }

  /**
   * checkTime with the clock read already (`now`; undefined: read it here, after the signal check).
   * A rule's start reads the clock once for both its own start and the request's deadline.
   */
  checkTimeAt(read: number | undefined): number | undefined {
    if (this.#stopped !== undefined) throw this.#stopped;
    if (this.#signal?.aborted === true) {
      const reason: unknown = this.#signal.reason;
      const why =
        reason instanceof Error ? reason.message : reason !== undefined ? String(reason) : 'aborted';
      this.exceed('requestTimeoutMs', `the evaluation was cancelled (${why})`);
    }
    if (this.clock === undefined) return undefined;
    const now = read ?? this.clock();
    if (now - this.#start > this.limits.requestTimeoutMs)
      this.exceed('requestTimeoutMs', 'the request ran out of time');
    return now;
  }

  /** JMESPath work still allowed in the request. */
  jmespathLeft(): number {
    return this.limits.maxRequestJmespathCost - this.#jmespath;
  }

  /** Adds JMESPath work done; throws past the request's total. */
  chargeJmespath(units: number, what: Detail): void {
    this.#jmespath += units;
    if (this.#jmespath > this.limits.maxRequestJmespathCost)
      this.exceed(
        'maxRequestJmespathCost',
        () => `the request's JMESPath work, up to ${detailText(what)}, is too much`,
      );
  }

  /** Adds characters built by substitution; throws past the request's total. */
  chargeOutput(chars: number, what: Detail): void {
    this.#output += chars;
    if (this.#output > this.limits.maxRequestSubstitutionOutput)
      this.exceed(
        'maxRequestSubstitutionOutput',
        () => `substitution in this request builds too much text (${detailText(what)})`,
      );
  }

  /** CEL work still allowed in the request. */
  celLeft(): number {
    return this.limits.maxRequestCelCost - this.#cel;
  }

  /** Adds CEL work done; throws past the request's total. */
  chargeCel(units: number, what: Detail): void {
    this.#cel += units;
    if (this.#cel > this.limits.maxRequestCelCost)
      this.exceed(
        'maxRequestCelCost',
        () => `the request's CEL work, up to ${detailText(what)}, is too much`,
      );
  }
}

export interface LimitMeterOptions extends Omit<RequestBudgetOptions, 'startedAt'> {
  /** The request this evaluation is part of; absent: the evaluation is a request of its own. */
  readonly request?: RequestBudget;
}

/**
 * Charges the work of one evaluation (one policy against one resource) against its limits, rule by
 * rule, and against the request it is part of. Once a limit is exceeded the meter stays tripped until
 * the rule ends: every later charge throws the same error at once, so code that catches errors on the
 * way (a foreach skipping an element, a message falling back) cannot run on.
 */
export class LimitMeter {
  readonly limits: Limits;
  /** The request-wide budget this evaluation shares with the request's other policies. */
  readonly request: RequestBudget;
  readonly #now: (() => number) | undefined;
  #ruleStart: number;
  #cost = 0;
  #output = 0;
  #tripped: LimitExceededError | undefined;
  #evaluationTripped: LimitExceededError | undefined;

  constructor(options: LimitMeterOptions = {}) {
    // Built field by field (no conditional spreads): a meter is made per policy and request.
    let budget = options.request;
    if (budget === undefined) {
      const budgetOptions: { -readonly [K in keyof RequestBudgetOptions]: RequestBudgetOptions[K] } = {};
      if (options.limits !== undefined) budgetOptions.limits = options.limits;
      if (options.now !== undefined) budgetOptions.now = options.now;
      if (options.signal !== undefined) budgetOptions.signal = options.signal;
      budget = new RequestBudget(budgetOptions);
    }
    this.request = budget;
    this.limits = this.request.limits;
    this.#now = this.request.clock;
    this.#ruleStart = this.#now?.() ?? 0;
  }

  /** The error that stops every rule of this evaluation: the request's, or one met outside any rule. */
  #stopper(): LimitExceededError | undefined {
    return this.request.stopped ?? this.#evaluationTripped;
  }

  /**
   * Starts the budget of a new rule. Returns the error that stops the whole evaluation (the request's
   * deadline, its signal, a request-level limit, or a limit met outside any rule), when there is one:
   * the rule must not run then.
   */
  startRule(): LimitExceededError | undefined {
    this.#cost = 0;
    this.#output = 0;
    this.#tripped = this.#stopper();
    // One reading for the rule's start and the request's deadline (checkTime would read again).
    const now = this.#now?.();
    this.#ruleStart = now ?? 0;
    if (this.#tripped === undefined) {
      try {
        this.#checkTimeAt(now);
      } catch (error) {
        if (!(error instanceof LimitExceededError)) throw error;
      }
    }
    return this.#stopper();
  }

  /** The limit the current rule (or the evaluation, or the request) ran into, if any. */
  get exceeded(): LimitExceededError | undefined {
    return this.#tripped;
  }

  /** Records that `limit` was exceeded and throws; `request` stops every later rule of the request too. */
  exceed(limit: LimitName, detail: Detail, scope: 'rule' | 'request' = 'rule'): never {
    if (this.#tripped !== undefined) throw this.#tripped;
    try {
      if (scope === 'request') this.request.exceed(limit, detail);
      throw new LimitExceededError(limit, this.limits[limit], detailText(detail));
    } catch (error) {
      if (error instanceof LimitExceededError) this.#tripped = error;
      throw error;
    }
  }

  /** Runs a request-level check, recording what it throws as this rule's limit. */
  // Inline try/catch at the callers rather than a closure per charge: these run at every step.
  #trip(error: unknown): never {
    if (error instanceof LimitExceededError) this.#tripped ??= error;
    throw error;
  }

  /**
   * Makes `error` (met outside any rule, e.g. while building this evaluation's context) stop every
   * rule of this evaluation; the request's other policies still run.
   */
  stopEvaluation(error: LimitExceededError): void {
    this.#evaluationTripped ??= error;
    this.#tripped ??= error;
  }

  /** Throws when the rule already ran into a limit. */
  checkTripped(): void {
    if (this.#tripped !== undefined) throw this.#tripped;
  }

  /** Throws when the signal was aborted or a deadline passed. Cheap enough for every loop iteration. */
  checkTime(): void {
    this.#checkTimeAt(undefined);
  }

  /** checkTime with the clock's reading `read` when one was taken (undefined: read it). */
  #checkTimeAt(read: number | undefined): void {
    this.checkTripped();
    // The request's check inline (no closure per call) and its clock reading reused: this runs at
    // every step of an evaluation.
    let now: number | undefined;
    try {
      now = this.request.checkTimeAt(read);
    } catch (error) {
      if (error instanceof LimitExceededError) this.#tripped ??= error;
      throw error;
    }
    if (this.#now !== undefined && (now ?? this.#now()) - this.#ruleStart > this.limits.ruleTimeoutMs)
      this.exceed('ruleTimeoutMs', 'the rule ran out of time');
  }

  /** JMESPath work still allowed in this rule (and in the request). */
  costLeft(): number {
    return Math.min(this.limits.maxJmespathCost - this.#cost, this.request.jmespathLeft());
  }

  /** Adds JMESPath work done; throws past the rule's or the request's limit (`what` names the expression). */
  chargeCost(units: number, what: Detail): void {
    this.#cost += units;
    if (this.#cost > this.limits.maxJmespathCost)
      this.exceed('maxJmespathCost', () => `evaluating ${detailText(what)} takes too much work`);
    try {
      this.request.chargeJmespath(units, what);
    } catch (error) {
      this.#trip(error);
    }
  }

  /** Adds characters built by substitution; throws past the rule's or the request's limit. */
  chargeOutput(chars: number, what: Detail): void {
    this.checkTripped();
    this.#output += chars;
    if (this.#output > this.limits.maxSubstitutionOutput)
      this.exceed(
        'maxSubstitutionOutput',
        () => `substitution in this rule builds too much text (${detailText(what)})`,
      );
    try {
      this.request.chargeOutput(chars, what);
    } catch (error) {
      this.#trip(error);
    }
  }

  /** Throws when `size` is above the size limit `limit`; `what` says which value. */
  checkSize(limit: LimitName, size: number, what: Detail): void {
    this.checkTripped();
    if (size > this.limits[limit]) this.exceed(limit, () => `${detailText(what)} is longer than the limit`);
  }
}
