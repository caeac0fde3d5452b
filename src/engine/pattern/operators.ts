/**
 * @module Operators of the string-pattern grammar (Kyverno `pkg/engine/operator/operator.go`):
 * a prefix `>=`, `<=`, `>`, `<`, `!`, or a whole-atom range `A-B` / `A!-B`.
 */

export type PatternOperator = '' | '>=' | '<=' | '>' | '<' | '!' | 'range' | 'not-range';

// Fixed expressions (not user input). The sign class also admits `|`, as Kyverno's `[-|\+]` does.
const BOUND = String.raw`[-|+]?\d+(?:\.\d+)?[A-Za-z]*`;
const IN_RANGE = new RegExp(`^(${BOUND})-(${BOUND})$`);
const NOT_IN_RANGE = new RegExp(`^(${BOUND})!-(${BOUND})$`);

/** The operator an atom starts with; atoms shorter than two characters are always literal. */
export function operatorOf(atom: string): PatternOperator {
  if (atom.length < 2) return '';
  for (const prefix of ['>=', '<=', '>', '<', '!'] as const) {
    if (atom.startsWith(prefix)) return prefix;
  }
  if (NOT_IN_RANGE.test(atom)) return 'not-range';
  if (IN_RANGE.test(atom)) return 'range';
  return '';
}

/** The two bounds of a range atom (`128Mi-512Mi` → [`128Mi`, `512Mi`]). */
export function rangeBounds(atom: string, op: 'range' | 'not-range'): [string, string] | undefined {
  const m = (op === 'range' ? IN_RANGE : NOT_IN_RANGE).exec(atom);
  if (m === null) return undefined;
  return [m[1] ?? '', m[2] ?? ''];
}

/** Applies a relational operator to a three-way comparison result. */
export function applyOperator(op: PatternOperator, cmp: number): boolean | undefined {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return undefined;
  }
}
