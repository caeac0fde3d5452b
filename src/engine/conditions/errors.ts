/** @module Errors raised while evaluating preconditions / deny / exception conditions. */

/** Condition evaluation could not finish; the message follows Kyverno's wording. */
export class ConditionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConditionError';
  }
}
