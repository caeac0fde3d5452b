/**
 * @module What CEL library functions may reach while an expression runs. The compiled environment
 * is shared across evaluations, so the ports (and the running expression's step budget) are placed
 * here for the duration of one evaluation. Evaluation is synchronous, so one active slot suffices.
 */

import type { Ports } from '../ports.js';
import { CelEvalError } from './errors.js';

export interface CelRuntime {
  ports: Ports | undefined;
}

/** Counts evaluation steps of one running expression (Kubernetes bounds CEL by a runtime cost). */
export interface StepBudget {
  steps: number;
  readonly limit: number;
}

let activeBudget: StepBudget | undefined;

/** Runs `fn` with `ports` installed, restoring the previous ports afterwards (nested evaluations). */
export function withPorts<T>(runtime: CelRuntime, ports: Ports | undefined, fn: () => T): T {
  const saved = runtime.ports;
  runtime.ports = ports;
  try {
    return fn();
  } finally {
    runtime.ports = saved;
  }
}

/** Runs `fn` with `budget` as the budget that `chargeSteps` draws from (restored afterwards). */
export function withBudget<T>(budget: StepBudget, fn: () => T): T {
  const saved = activeBudget;
  activeBudget = budget;
  try {
    return fn();
  } finally {
    activeBudget = saved;
  }
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
