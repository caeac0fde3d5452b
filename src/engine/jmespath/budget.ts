/** @module Per-search work budget, so hostile expressions or shared-structure blow-ups stay bounded. */
import { JmespathLimitError } from './errors.js';

/** Node visits + comparison/serialisation steps allowed in one search. */
export const DEFAULT_STEP_LIMIT = 10_000_000;

export class Budget {
  #remaining: number;
  constructor(limit: number = DEFAULT_STEP_LIMIT) {
    this.#remaining = limit;
  }
  spend(steps = 1): void {
    this.#remaining -= steps;
    if (this.#remaining < 0) {
      throw new JmespathLimitError(
        'JMESPath evaluation exceeded its work limit (expression or data too large)',
      );
    }
  }
}
