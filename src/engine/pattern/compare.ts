/**
 * @module Comparison of one value with one operand, in Kyverno's order (`pattern.go` validateString):
 * as Go durations, else as Kubernetes quantities, else as wildcard strings (`=` and `!` only).
 */

import { parseDuration } from '../primitives/go-duration.js';
import { formatFloat } from '../primitives/go-float.js';
import { compareQuantity, parseQuantity, type Quantity } from '../units/quantity.js';
import { wildcardMatch } from '../units/wildcard.js';
import type { PatternOperator } from './operators.js';
import { applyOperator } from './operators.js';

export function compareWithOperand(value: unknown, operand: string, op: PatternOperator): boolean {
  return compareWithCompiled(value, compileOperand(operand, op));
}

/** An operand with what depends on it alone parsed once (a policy's patterns are checked many times). */
export interface CompiledOperand {
  readonly op: PatternOperator;
  readonly operand: string;
  /** The operand as a Go duration, when it is one. */
  readonly duration: number | undefined;
  /** The operand as a Kubernetes quantity, when it is one. */
  readonly quantity: Quantity | undefined;
}

export function compileOperand(operand: string, op: PatternOperator): CompiledOperand {
  return { op, operand, duration: parseDuration(operand), quantity: parseQuantity(operand) };
}

/** `compareWithOperand` with the operand compiled. */
export function compareWithCompiled(value: unknown, c: CompiledOperand): boolean {
  if (c.duration !== undefined) {
    const text = numericText(value);
    const got = text === undefined ? undefined : parseDuration(text);
    const r = got === undefined ? undefined : applyOperator(c.op, Math.sign(got - c.duration));
    if (r !== undefined) return r;
  }
  if (c.quantity !== undefined) {
    const text = numericText(value);
    const got = text === undefined ? undefined : parseQuantity(text);
    const r = got === undefined ? undefined : applyOperator(c.op, compareQuantity(got, c.quantity));
    if (r !== undefined) return r;
  }
  return compareAsString(value, c.operand, c.op);
}

/**
 * Kyverno's `convertNumberToString`: nil reads as "0" (so a missing field passes `<10`), int64 in
 * base 10, float64 with `%f`; other types cannot take part in numeric comparison.
 */
export function numericText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function compareAsString(value: unknown, operand: string, op: PatternOperator): boolean {
  if (op !== '' && op !== '!') return false; // relational operators do not apply to strings
  const text = stringText(value);
  if (text === undefined) return false;
  const matched = wildcardMatch(operand, text);
  return op === '!' ? !matched : matched;
}

/** Go's stringification in `compareString`: int64 base 10, float64 as `FormatFloat(f, 'E', -1, 64)`. */
export function stringText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloat(value, 'E', 64);
  return undefined;
}
