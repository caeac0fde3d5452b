/** @module Errors raised while computing the objects a generate rule wants. */

/** Generation could not finish (missing clone source, bad foreach list, scope violation...). */
export class GenerateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GenerateError';
  }
}
