/** @module The function table: spec built-ins overlaid by Kyverno's functions, plus argument checking. */

import { budgetOf } from './budget.js';
import { JmespathError } from './errors.js';
import { JmespathExpref } from './expref.js';
import type { FunctionContext, FunctionEntry, JpType } from './functions/types.js';
import { JmespathFunctionError } from './functions/types.js';
import { formatGoValue, isJsonObject } from './values.js';

/** go-jmespath's argument types: the public ones plus the typed-array forms some built-ins declare. */
export type ArgType = JpType | 'array[number]' | 'array[string]';

export interface ArgSpec {
  readonly types: readonly ArgType[];
  readonly optional?: boolean;
  readonly variadic?: boolean;
}

export interface RegisteredFunction {
  readonly name: string;
  readonly args: readonly ArgSpec[];
  /** What `listFunctions()` shows; its `impl` is what runs. */
  readonly entry: FunctionEntry;
}

function matches(type: ArgType, value: unknown): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null || value === undefined;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isJsonObject(value);
    case 'expref':
      return value instanceof JmespathExpref;
    case 'array[number]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'array[string]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/** go-jmespath's `Invalid type for: %v, expected: %#v` (types rendered as Go prints the Kyverno fork's []JpType). */
export function invalidTypeError(value: unknown, types: readonly ArgType[]): JmespathError {
  const expected = `[]jmespath.JpType{${types.map((t) => JSON.stringify(t)).join(', ')}}`;
  return new JmespathError(
    'invalid-type',
    `Invalid type for: ${formatGoValue(value)}, expected: ${expected}`,
  );
}

function arityError(fn: RegisteredFunction, count: number): JmespathError | undefined {
  const specs = fn.args;
  const variadic = specs.at(-1)?.variadic === true;
  const min = specs.filter((s) => s.optional !== true).length;
  const max = variadic ? Number.POSITIVE_INFINITY : specs.length;
  if (count < min) {
    const plural = min > 1 ? 's' : '';
    const more = variadic ? 'or more ' : '';
    const report = count === 0 ? 'none ' : `${variadic ? 'only ' : ''}${count} `;
    return new JmespathError(
      'invalid-arity',
      `invalid arity, the function '${fn.name}' expects ${min} argument${plural} ${more}but ${report}were supplied`,
    );
  }
  if (count > max) {
    return new JmespathError(
      'invalid-arity',
      `invalid arity, the function '${fn.name}' expects at most ${max} arguments but ${count} were supplied`,
    );
  }
  return undefined;
}

/**
 * Charges what a function built. Functions that can multiply their input (`join`, `replace_all`,
 * `random`...) check before building; for the others the result is at most a constant factor larger
 * than their input, so checking it afterwards still stops a chain of calls at the limit.
 */
function chargeResult(name: string, result: unknown, context: FunctionContext): void {
  if (typeof result === 'string') {
    if (result.length > 64) budgetOf(context).output(name, result.length);
  } else if (Array.isArray(result)) budgetOf(context).spend(result.length);
  else if (typeof result === 'object' && result !== null) budgetOf(context).spend(Object.keys(result).length);
}

/** Checks arity and argument types, then runs the function, mapping its failures to JmespathError. */
export function callFunction(
  fn: RegisteredFunction,
  args: readonly unknown[],
  context: FunctionContext,
): unknown {
  const arity = arityError(fn, args.length);
  if (arity !== undefined) throw arity;
  for (let i = 0; i < args.length; i++) {
    const spec = fn.args[Math.min(i, fn.args.length - 1)] as ArgSpec;
    const value = args[i];
    if (!spec.types.some((t) => matches(t, value))) throw invalidTypeError(value, spec.types);
  }
  let result: unknown;
  try {
    result = fn.entry.impl(args, context);
  } catch (error) {
    if (error instanceof JmespathError) throw error;
    if (error instanceof JmespathFunctionError) {
      throw new JmespathError('function', error.message, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new JmespathError('function', `JMESPath function '${fn.name}': ${reason}`, { cause: error });
  }
  chargeResult(fn.name, result, context);
  return result === undefined ? null : result;
}

function fromEntry(entry: FunctionEntry): RegisteredFunction {
  return { name: entry.name, args: entry.args, entry };
}

/** Later tables win: Kyverno's `sum` replaces the built-in one. */
export function buildRegistry(
  builtins: readonly RegisteredFunction[],
  custom: readonly FunctionEntry[],
): ReadonlyMap<string, RegisteredFunction> {
  const table = new Map<string, RegisteredFunction>();
  for (const fn of builtins) table.set(fn.name, fn);
  for (const entry of custom) table.set(entry.name, fromEntry(entry));
  return table;
}
