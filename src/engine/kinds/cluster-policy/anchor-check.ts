/**
 * @module Policy-time anchor checks for validate patterns (Kyverno's `ValidatePattern`), as Diagnostics.
 * The walk itself is `findInvalidAnchors` from src/engine/anchors/parse.ts.
 */
import type { AnchorModifier } from '../../anchors/parse.js';
import { findInvalidAnchors, parseAnchor } from '../../anchors/parse.js';
import type { Diagnostic, FieldPath } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';

export type AnchorKind = AnchorModifier;

/** Anchors Kyverno allows inside `validate.pattern` / `anyPattern` (no add-if-not-present). */
export const VALIDATE_ANCHORS: readonly AnchorKind[] = [
  'condition',
  'global',
  'equality',
  'existence',
  'negation',
];

/** The anchor kind of a map key, or undefined for a plain key. */
export function anchorKindOf(key: string): AnchorKind | undefined {
  return parseAnchor(key)?.modifier;
}

/**
 * Reports anchors not in `allowed`, existence anchors whose value is not a non-empty list, and
 * malformed range operators in string values. Paths are prefixed with `path`.
 */
export function checkPatternAnchors(
  pattern: unknown,
  allowed: readonly AnchorKind[],
  path: FieldPath,
): Diagnostic[] {
  return findInvalidAnchors(pattern, allowed).map((problem) => {
    const where = [...path, ...problem.path];
    const last = problem.path[problem.path.length - 1];
    const kind = typeof last === 'string' ? anchorKindOf(last) : undefined;
    if (kind === undefined || !anchorIsInvalid(kind, allowed, valueAt(pattern, problem.path)))
      return diagnostic('policy/invalid-value', problem.message, where);
    const extra = allowed.includes(kind) ? {} : { hint: `allowed anchors here: ${allowed.join(', ')}` };
    return diagnostic('policy/invalid-anchor', problem.message, where, extra);
  });
}

/** Whether the anchor itself is the problem (else it is the string value under a valid anchor). */
function anchorIsInvalid(kind: AnchorKind, allowed: readonly AnchorKind[], value: unknown): boolean {
  if (!allowed.includes(kind)) return true;
  return kind === 'existence' && (!Array.isArray(value) || value.length === 0);
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
