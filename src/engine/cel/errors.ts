/** @module Typed errors of the CEL layer: a compile error carries its position, an evaluation error its cause. */

/** A CEL expression that does not parse or type-check. */
export class CelCompileError extends Error {
  readonly line?: number;
  readonly column?: number;
  constructor(
    message: string,
    position?: { readonly line: number; readonly column: number },
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CelCompileError';
    if (position !== undefined) {
      this.line = position.line;
      this.column = position.column;
    }
  }
}

/** A CEL expression that failed while evaluating (missing key, bad overload, budget exhausted…). */
export class CelEvalError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'CelEvalError';
  }
}

/** 1-based line and column of a character offset in `source`. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}
