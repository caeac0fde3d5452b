/**
 * @module Comparison of one value with one operand, in Kyverno's order (`pattern.go` validateString):
 * as Go durations, else as Kubernetes quantities, else as wildcard strings (`=` and `!` only).
 */

import { parseDuration } from '../primitives/go-duration.js';
import { formatFloat } from '../primitives/go-float.js';
import { compareQuantity, parseQuantity } from '../units/quantity.js';
import { wildcardMatch } from '../units/wildcard.js';
import type { PatternOperator } from './operators.js';
import { applyOperator } from './operators.js';

export function compareWithOperand(value: unknown, operand: string, op: PatternOperator): boolean {
  const asDuration = compareAsDuration(value, operand, op);
  if (asDuration !== undefined) return asDuration;
  const asQuantity = compareAsQuantity(value, operand, op);
  if (asQuantity !== undefined) return asQuantity;
  return compareAsString(value, operand, op);
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

function compareAsDuration(value: unknown, operand: string, op: PatternOperator): boolean | undefined {
  const want = parseDuration(operand);
  if (want === undefined) return undefined;
  const text = numericText(value);
  const got = text === undefined ? undefined : parseDuration(text);
  if (got === undefined) return undefined;
  return applyOperator(op, Math.sign(got - want));
}

function compareAsQuantity(value: unknown, operand: string, op: PatternOperator): boolean | undefined {
  const want = parseQuantity(operand);
  if (want === undefined) return undefined;
  const text = numericText(value);
  const got = text === undefined ? undefined : parseQuantity(text);
  if (got === undefined) return undefined;
  return applyOperator(op, compareQuantity(got, want));
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
