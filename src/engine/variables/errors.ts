/** @module Errors raised while substituting `{{ }}` variables and `$( )` references. */

/** A variable or reference could not be resolved; the message follows Kyverno's wording. */
export class VariableSubstitutionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VariableSubstitutionError';
  }
}
