/** @module The shape of a JMESPath function-table entry (Kyverno's `FunctionEntry`). */

import type { CompileMemo } from '../../compile-memo.js';
import type { LimitMeter } from '../../limits.js';

/** Argument/return types, as JMESPath names them. */
export type JpType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null' | 'any' | 'expref';

export interface JpArgSpec {
  readonly types: readonly JpType[];
  /** The argument may be left out. */
  readonly optional?: boolean;
  /** This argument repeats (only the last one). */
  readonly variadic?: boolean;
}

/** What a function may need from outside the data it is given. */
export interface FunctionContext {
  /** Current time; absent when the caller supplied no clock (time_now* then error). */
  readonly now?: () => Date;
  /** Source of randomness for `random()`; absent → deterministic error. */
  readonly random?: () => number;
  /** The evaluation's limits; a search charges its work to them (absent: each search has its own budget). */
  readonly meter?: LimitMeter;
  /** Where expressions and regex patterns are compiled and kept (absent: compiled per use). */
  readonly memo?: CompileMemo;
}

export interface FunctionEntry {
  readonly name: string;
  readonly args: readonly JpArgSpec[];
  readonly returns: readonly JpType[];
  /** One-line description, shown by `palisade jp function`. */
  readonly note: string;
  /** Arguments arrive already type-checked against `args`. Throw `JmespathFunctionError` on bad input. */
  readonly impl: (args: readonly unknown[], ctx: FunctionContext) => unknown;
}

/** An error raised inside a function; the message reads `JMESPath function '<name>': <reason>`. */
export class JmespathFunctionError extends Error {
  readonly functionName: string;
  constructor(functionName: string, reason: string) {
    super(`JMESPath function '${functionName}': ${reason}`);
    this.name = 'JmespathFunctionError';
    this.functionName = functionName;
  }
}
