/**
 * @module Matching one scalar resource value against one pattern value (Kyverno `pattern.Validate`).
 * The pattern's type decides: bool needs a bool; a number needs an equal number or numeric string;
 * nil matches null/""/0/false; a map pattern only needs a map; a string follows the pattern grammar:
 * `|` (or) of `&` (and) of atoms, each an optional operator plus an operand (see operators.ts).
 */
import { parseGoFloat } from '../primitives/go-float.js';
import { BoundedMemo } from '../units/bounded-memo.js';
import { type CompiledOperand, compareWithCompiled, compileOperand } from './compare.js';
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
  for (const alternative of compiledStringPattern(pattern)) {
    let all = true;
    for (const term of alternative) {
      if (!matchTerm(value, term)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** One atom of a string pattern, parsed: an operand, a range of two, or a range that cannot match. */
type Term =
  | { readonly kind: 'operand'; readonly operand: CompiledOperand }
  | { readonly kind: 'range' | 'not-range'; readonly low: CompiledOperand; readonly high: CompiledOperand }
  | { readonly kind: 'never' };

/** `|` alternatives of `&` terms. */
type CompiledStringPattern = readonly (readonly Term[])[];

function compileAtom(atom: string): Term {
  const op = operatorOf(atom);
  if (op === 'range' || op === 'not-range') {
    const bounds = rangeBounds(atom, op);
    if (bounds === undefined) return { kind: 'never' };
    const [low, high] = bounds;
    // `A-B` is `>= A` and `<= B`; `A!-B` is `< A` or `> B` (atoms rebuilt as Kyverno does).
    return op === 'range'
      ? { kind: op, low: compileRebuilt(`>= ${low}`), high: compileRebuilt(`<= ${high}`) }
      : { kind: op, low: compileRebuilt(`< ${low}`), high: compileRebuilt(`> ${high}`) };
  }
  return { kind: 'operand', operand: compileOperand(atom.slice(op.length).trim(), op) };
}

// A rebuilt bound atom is never itself a range: it starts with its operator.
function compileRebuilt(atom: string): CompiledOperand {
  const op = operatorOf(atom);
  return compileOperand(atom.slice(op.length).trim(), op);
}

function matchTerm(value: unknown, term: Term): boolean {
  switch (term.kind) {
    case 'operand':
      return compareWithCompiled(value, term.operand);
    case 'range':
      return compareWithCompiled(value, term.low) && compareWithCompiled(value, term.high);
    case 'not-range':
      return compareWithCompiled(value, term.low) || compareWithCompiled(value, term.high);
    case 'never':
      return false;
  }
}

function compileStringPattern(pattern: string): CompiledStringPattern {
  return pattern.split('|').map((alternative) =>
    trimSpaces(alternative)
      .split('&')
      .map((atom) => compileAtom(trimSpaces(atom))),
  );
}

// Pattern strings come from policies (a bounded set) and, rarely, from substitution: a bounded cache
// of parsed patterns, emptied when full.
const MAX_COMPILED = 1024;
const compiled = new BoundedMemo<string, CompiledStringPattern>(MAX_COMPILED);

function compiledStringPattern(pattern: string): CompiledStringPattern {
  let c = compiled.get(pattern);
  if (c === undefined) {
    c = compileStringPattern(pattern);
    compiled.set(pattern, c);
  }
  return c;
}

// Go's strings.Trim(s, " ") removes spaces only, not tabs or newlines.
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(start, end);
}

/** A value a pattern compares as one (null and absent included), not a map or a list. */
export function isScalar(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}
