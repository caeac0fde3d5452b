/** @module The value an `&expr` argument becomes when handed to a function. */

export class JmespathExpref {
  readonly #evaluate: (data: unknown) => unknown;
  constructor(evaluate: (data: unknown) => unknown) {
    this.#evaluate = evaluate;
  }
  /** Applies the referenced expression to `data` (missing keys read as null, as in the fork). */
  evaluate(data: unknown): unknown {
    return this.#evaluate(data);
  }
}
