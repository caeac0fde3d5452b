/**
 * @module The cost budget of the running CEL expression. Kubernetes bounds CEL by a runtime cost per
 * call (`PerCallLimit`) and per request; cel-js 8 has only parse-time limits (AST nodes, depth, literal
 * sizes), so Palisade counts the work itself: every AST node evaluated is one unit (comprehension
 * steps included, see `instrumentBudget` in ast.ts), values an operation builds cost by size, and
 * library functions that allocate charge before they do. The budget is `maxCelCost` per expression,
 * within what is left of the request's `maxRequestCelCost`; the request's clock and signal are read
 * every `TIME_CHECK_INTERVAL` units. An exhausted budget is a `CelLimitError` naming the limit.
 *
 * The budget is the one piece of evaluation state held in a module slot, for want of a slot-free
 * way: cel-js calls a library function with its arguments only (`this` is the evaluator every
 * evaluation of the environment shares), so `lists.range(n)` or `s.repeat(n)`, which must charge
 * BEFORE they allocate, cannot reach per-evaluation state. The slot is scoped: `withBudget` installs
 * it for one synchronous evaluation and restores the previous one (nested evaluations such as lazy
 * `variables`), and one expression's evaluation cannot interleave with another's while it is
 * synchronous. Ports, by contrast, travel in the activation (see `activation.ts`). The regex
 * functions, equally without a receiver, find the running program's compiled patterns here too.
 */
import type { RE2JS } from 're2js';
import type { CompileMemo } from '../compile-memo.js';
import { LimitExceededError, type LimitName, type RequestBudget } from '../limits.js';
import { CelEvalError } from './errors.js';

/**
 * Units a built value costs: one per 16 characters of a string (cel-go charges 0.1 per character),
 * one per list element (charged after `+` has built the list, so the last doubling is bounded by
 * what the budget let through before it).
 */
export function sizeCost(value: unknown): number {
  if (typeof value === 'string') return stringCost(value.length);
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length;
  return 0;
}

/** Units a string of `length` characters costs to build. */
export function stringCost(length: number): number {
  return length >> 4;
}

/** Units between two looks at the request's clock and signal. */
export const TIME_CHECK_INTERVAL = 1024;

/** Counts evaluation steps of one running expression; carries what its regex functions compile with. */
export interface StepBudget {
  steps: number;
  /** Units this evaluation may spend: `maxCelCost`, or less when the request has less left. */
  readonly limit: number;
  /** Which limit `limit` comes from, and that limit's configured value (for the message). */
  readonly limitName: Extract<LimitName, 'maxCelCost' | 'maxRequestCelCost'>;
  readonly limitValue: number;
  /** The expression, for messages. */
  readonly expression: string;
  /** The request the expression is evaluated for: its time, its signal, its total CEL work. */
  readonly request?: RequestBudget | undefined;
  /** Steps at which the request's clock is read next. */
  nextTimeCheck: number;
  /** The program's literal regex patterns, compiled with it. */
  readonly patterns?: ReadonlyMap<string, RE2JS>;
  /** Where a pattern known only now is compiled (the evaluated set's memo); absent: compiled afresh. */
  readonly memo?: CompileMemo | undefined;
}

/** A CEL evaluation stopped by a limit (its cost, its request's cost or time); the message names it. */
export class CelLimitError extends CelEvalError {
  readonly limit: LimitName;
  constructor(error: LimitExceededError) {
    super(error.message, error);
    this.name = 'CelLimitError';
    this.limit = error.limit;
  }
}

let activeBudget: StepBudget | undefined;

/**
 * Runs `fn(arg)` (one synchronous evaluation) with `budget` active, restoring the previous one after.
 * `fn` and its argument apart: no closure is made per evaluation.
 */
export function withBudget<A, T>(budget: StepBudget, fn: (arg: A) => T, arg: A): T {
  const saved = activeBudget;
  activeBudget = budget;
  try {
    return fn(arg);
  } finally {
    activeBudget = saved;
  }
}

/** The budget of the running evaluation (undefined outside one). */
export function activeStepBudget(): StepBudget | undefined {
  return activeBudget;
}

/** The expression as a message shows it: its first 80 characters. */
function shown(expression: string): string {
  const line = expression.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** The error for a spent budget: the expression's own limit, or the request's (which it stops). */
export function budgetExceeded(budget: StepBudget): CelLimitError {
  if (budget.limitName === 'maxRequestCelCost' && budget.request !== undefined) {
    try {
      budget.request.exceed(
        'maxRequestCelCost',
        `the request's CEL work, up to '${shown(budget.expression)}', is too much`,
      );
    } catch (error) {
      if (error instanceof LimitExceededError) return new CelLimitError(error);
      throw error;
    }
  }
  return new CelLimitError(
    new LimitExceededError(
      'maxCelCost',
      budget.limitValue,
      `the CEL expression '${shown(budget.expression)}' takes too much work`,
    ),
  );
}

/** Reads the request's clock and signal; throws the limit that stops it. */
export function checkRequestTime(budget: StepBudget): void {
  budget.nextTimeCheck = budget.steps + TIME_CHECK_INTERVAL;
  try {
    budget.request?.checkTime();
  } catch (error) {
    if (error instanceof LimitExceededError) throw new CelLimitError(error);
    throw error;
  }
}

/**
 * Charges `n` steps to the running expression; throws once the budget is spent. Library functions
 * call it BEFORE building large values (lists.range, string repeats) so that a runaway expression
 * stops before it allocates.
 */
export function chargeSteps(n: number): void {
  const budget = activeBudget;
  if (budget === undefined || n <= 0) return;
  budget.steps += n;
  if (budget.steps > budget.limit) throw budgetExceeded(budget);
  if (budget.steps >= budget.nextTimeCheck) checkRequestTime(budget);
}
