/**
 * @module Matching one scalar resource value against one pattern value (Kyverno `pattern.Validate`).
 * The pattern's type decides: bool needs a bool; a number needs an equal number or numeric string;
 * nil matches null/""/0/false; a map pattern only needs a map; a string follows the pattern grammar:
 * `|` (or) of `&` (and) of atoms, each an optional operator plus an operand (see operators.ts).
 */
import { parseGoFloat } from '../primitives/go-float.js';
import { compareWithOperand } from './compare.js';
import { operatorOf, rangeBounds } from './operators.js';

/** Never throws. */
export function matchValuePattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || pattern === undefined) return matchNil(value);
  if (typeof pattern === 'boolean') return typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number') return matchNumber(value, pattern);
  if (typeof pattern === 'string') return matchStringPattern(value, pattern);
  if (Array.isArray(pattern)) return false; // arrays are not supported as scalar patterns
  if (typeof pattern === 'object')
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  return false;
}

function matchNil(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'boolean') return !value;
  return false;
}

// Pattern numbers are float64 in Kyverno (validateFloatPattern).
function matchNumber(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') {
    const parsed = parseGoFloat(value);
    return parsed !== undefined && parsed === pattern;
  }
  return false;
}

/** The string-pattern grammar: an exact match first, then `|` alternatives of `&` conjunctions. */
export function matchStringPattern(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alternative) =>
    trimSpaces(alternative)
      .split('&')
      .every((atom) => matchAtom(value, trimSpaces(atom))),
  );
}

function matchAtom(value: unknown, atom: string): boolean {
  const op = operatorOf(atom);
  if (op === 'range' || op === 'not-range') {
    const bounds = rangeBounds(atom, op);
    if (bounds === undefined) return false;
    const [low, high] = bounds;
    return op === 'range'
      ? matchAtom(value, `>= ${low}`) && matchAtom(value, `<= ${high}`)
      : matchAtom(value, `< ${low}`) || matchAtom(value, `> ${high}`);
  }
  return compareWithOperand(value, atom.slice(op.length).trim(), op);
}

// Go's strings.Trim(s, " ") removes spaces only, not tabs or newlines.
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(start, end);
}
