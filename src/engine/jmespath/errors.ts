/** @module The one error type the JMESPath evaluator throws, with a closed set of codes. */

export type JmespathErrorCode =
  /** The expression does not parse (2015 grammar), or nests too deeply. */
  | 'syntax'
  /** A function name that is neither a built-in nor a Kyverno function. */
  | 'unknown-function'
  /** Kyverno's fork: a missing map key at path level (`Unknown key "x" in path`). */
  | 'not-found'
  /** A function argument of the wrong JMESPath type. */
  | 'invalid-type'
  /** A function called with the wrong number of arguments. */
  | 'invalid-arity'
  /** A function failed (Kyverno's `JMESPath function '<f>': ...`), or evaluation hit a resource limit. */
  | 'function';

export interface JmespathErrorOptions {
  /** Offset in the expression, for syntax errors. */
  readonly position?: number;
  readonly cause?: unknown;
}

export class JmespathError extends Error {
  readonly code: JmespathErrorCode;
  readonly position: number | undefined;
  constructor(code: JmespathErrorCode, message: string, options: JmespathErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JmespathError';
    this.code = code;
    this.position = options.position;
  }
}

/** Raised when evaluation exceeds a resource bound; unlike other errors it is never swallowed. */
export class JmespathLimitError extends JmespathError {
  constructor(message: string) {
    super('function', message);
    this.name = 'JmespathLimitError';
  }
}

/**
 * The fork's `NotFoundError` text. Built without a stack trace: it is thrown for every missing field
 * and nearly always caught again (`||`, projections, filters), so capturing the stack was most of its
 * cost; the message is all a user ever sees of it.
 */
export function notFoundError(key: string): JmespathError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new JmespathError('not-found', `Unknown key "${key}" in path`);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof JmespathError && error.code === 'not-found';
}
