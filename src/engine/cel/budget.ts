/**
 * @module The step budget of the running CEL expression (Kubernetes bounds CEL by a runtime cost;
 * cel-js has no limit of its own). Each evaluation gets its own budget.
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
import { CelEvalError } from './errors.js';

/** Counts evaluation steps of one running expression; carries what its regex functions compile with. */
export interface StepBudget {
  steps: number;
  readonly limit: number;
  /** The program's literal regex patterns, compiled with it. */
  readonly patterns?: ReadonlyMap<string, RE2JS>;
  /** Where a pattern known only now is compiled (the evaluated set's memo); absent: compiled afresh. */
  readonly memo?: CompileMemo | undefined;
}

let activeBudget: StepBudget | undefined;

/** Runs `fn` (one synchronous evaluation) with `budget` active, restoring the previous one after. */
export function withBudget<T>(budget: StepBudget, fn: () => T): T {
  const saved = activeBudget;
  activeBudget = budget;
  try {
    return fn();
  } finally {
    activeBudget = saved;
  }
}

/** The budget of the running evaluation (undefined outside one). */
export function activeStepBudget(): StepBudget | undefined {
  return activeBudget;
}

export function budgetExceeded(budget: StepBudget): CelEvalError {
  return new CelEvalError(`operation cancelled: evaluation exceeded the cost limit of ${budget.limit} steps`);
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
}
