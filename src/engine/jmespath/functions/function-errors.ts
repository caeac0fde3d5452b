/** @module Kyverno's error wordings for custom JMESPath functions (pkg/engine/jmespath/error.go). */
import { JmespathFunctionError } from './types.js';

/** Throws `JMESPath function '<name>': <reason>`. */
export function fail(name: string, reason: string): never {
  throw new JmespathFunctionError(name, reason);
}

/** `argument #<n> is not of type <T>` (n is 1-based, as Kyverno prints it). */
export function failArgType(name: string, position: number, typeName: string): never {
  return fail(name, `argument #${position} is not of type ${typeName}`);
}

export const ZERO_DIVISOR = 'Zero divisor passed';
export const TYPES_MISMATCH = 'Types mismatch';
export const NON_INT_MODULO = 'Non-integer argument(s) passed for modulo';
export const NON_INT_ROUND = 'Non-integer argument(s) passed for round off';

/** Go's `intNumber`: the float must hold an exact integer. Returns the reason on failure. */
export function toInteger(n: number): number | string {
  if (!Number.isFinite(n) || Math.trunc(n) !== n) return `expected an integer number but got: ${n}`;
  if (!Number.isSafeInteger(n)) return `number is outside the range of integer numbers: ${n}`;
  return n;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
