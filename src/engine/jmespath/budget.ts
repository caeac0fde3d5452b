/**
 * @module Per-search work budget, so hostile expressions or shared-structure blow-ups stay bounded.
 * With a meter (an evaluation's limits) the work is charged to the rule, and the strings functions
 * build are checked against `maxValueSize` before they are built.
 */
import {
  DEFAULT_EVALUATION_LIMITS,
  jsonSize,
  LimitExceededError,
  type LimitMeter,
  type Limits,
} from '../limits.js';
import { JmespathLimitError } from './errors.js';
import type { FunctionContext } from './functions/types.js';

/** Node visits + comparison/serialisation steps allowed in one search without a meter. */
export const DEFAULT_STEP_LIMIT = DEFAULT_EVALUATION_LIMITS.maxJmespathCost;

/** Steps between two looks at the clock. */
const TIME_CHECK_INTERVAL = 4096;

/** `error` as a search throws it: a limit error becomes the JMESPath error no expression swallows. */
function asJmespathError(error: unknown): unknown {
  return error instanceof LimitExceededError ? new JmespathLimitError(error.message) : error;
}

/** Runs `f`, throwing what it throws as a search does (`asJmespathError`). */
function asJmespath<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw asJmespathError(error);
  }
}

export class Budget {
  readonly #meter: LimitMeter | undefined;
  readonly #expression: string;
  readonly #limits: Limits;
  #remaining: number;
  #used = 0;
  #nextTimeCheck = TIME_CHECK_INTERVAL;

  constructor(limit: number = DEFAULT_STEP_LIMIT, meter?: LimitMeter, expression = 'a JMESPath expression') {
    this.#meter = meter;
    this.#expression = expression;
    this.#limits = meter?.limits ?? DEFAULT_EVALUATION_LIMITS;
    // With a meter the rule's remaining work is the bound, so a raised maxJmespathCost is honoured.
    this.#remaining = meter !== undefined ? meter.costLeft() : limit;
    // No closure per search (asJmespath's), as this runs for every query.
    if (meter !== undefined) {
      try {
        meter.checkTime();
      } catch (error) {
        throw asJmespathError(error);
      }
    }
  }

  /** The longest string a function may build. */
  get maxValueSize(): number {
    return this.#limits.maxValueSize;
  }

  spend(steps = 1): void {
    this.#remaining -= steps;
    this.#used += steps;
    if (this.#remaining < 0) {
      if (this.#meter !== undefined) asJmespath(() => this.settle());
      throw new JmespathLimitError(
        'JMESPath evaluation exceeded its work limit (expression or data too large)',
      );
    }
    if (this.#used >= this.#nextTimeCheck) {
      this.#nextTimeCheck = this.#used + TIME_CHECK_INTERVAL;
      const meter = this.#meter;
      if (meter !== undefined) asJmespath(() => meter.checkTime());
    }
  }

  /** Checks a string of `length` characters a function is about to build, and charges for building it. */
  output(functionName: string, length: number): void {
    if (length > this.#limits.maxValueSize) {
      const detail = `the string ${functionName}() builds in ${this.#expression}`;
      if (this.#meter !== undefined) asJmespath(() => this.#meter?.checkSize('maxValueSize', length, detail));
      throw new JmespathLimitError(
        `limit maxValueSize (${this.#limits.maxValueSize} characters) exceeded: ${detail} is longer than the limit`,
      );
    }
    this.spend(Math.ceil(length / 64));
  }

  /** `output` for the JSON text of `value`, measured without walking more than the limit allows. */
  outputJson(functionName: string, value: unknown): void {
    this.output(functionName, jsonSize(value, this.#limits.maxValueSize));
  }

  /** Checks the input of a regular expression function. */
  regexInput(functionName: string, length: number): void {
    if (length > this.#limits.maxRegexInput) {
      const detail = `the input of ${functionName}() in ${this.#expression}`;
      if (this.#meter !== undefined)
        asJmespath(() => this.#meter?.checkSize('maxRegexInput', length, detail));
      throw new JmespathLimitError(
        `limit maxRegexInput (${this.#limits.maxRegexInput} characters) exceeded: ${detail} is longer than the limit`,
      );
    }
    this.spend(Math.ceil(length / 64));
  }

  /** Charges the work done so far to the meter (once, when the search ends). */
  settle(): void {
    const used = this.#used;
    if (used === 0) return;
    this.#used = 0;
    this.#nextTimeCheck = TIME_CHECK_INTERVAL;
    this.#meter?.chargeCost(used, this.#expression);
  }
}

// The budget of the search running now. Searches are synchronous, so one slot saved and restored
// around each search (nested ones included) answers `budgetOf` without a copy of the function
// context per search (an object spread with a symbol was ~5% of a condition's cost).
let running: Budget | undefined;

/** Makes `budget` the running search's; answers the one it replaces, for `leaveSearch`. */
export function enterSearch(budget: Budget): Budget | undefined {
  const outer = running;
  running = budget;
  return outer;
}

/** Restores the budget `enterSearch` replaced. */
export function leaveSearch(outer: Budget | undefined): void {
  running = outer;
}

/** The budget of the search a function runs in (a fresh one when called outside a search). */
export function budgetOf(context: FunctionContext): Budget {
  return running ?? new Budget(DEFAULT_STEP_LIMIT, context.meter);
}
