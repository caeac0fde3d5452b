/**
 * @module Why a pattern element did not validate: Kyverno's error values in `pkg/engine/validate`
 * and `pkg/engine/anchor/error.go`, with the error class as a discriminant instead of text matching.
 */

/**
 * - `plain`: an ordinary mismatch.
 * - `conditional` / `global`: an unmet `(key)` / `<(key)` anchor; the enclosing map does not apply.
 * - `skipped`: Kyverno's `PatternError{Skip: true}`, wrapping such misses: every element of an array
 *   was skipped, or the anchors of a map were.
 * - `negation`: an `X(key)` key was present.
 */
export type FailureKind = 'plain' | 'conditional' | 'global' | 'skipped' | 'negation';

export interface ElementFailure {
  readonly kind: FailureKind;
  /** Kyverno's path string (`/spec/containers/0/image/`); empty when the error has no path. */
  readonly path: string;
  /** Kyverno's error text. */
  readonly message: string;
}

/** undefined means the element validated. */
export type ElementResult = ElementFailure | undefined;

export function failure(path: string, message: string): ElementFailure {
  return { kind: 'plain', path, message };
}

/** Conditional and global anchor misses make the enclosing element (or the rule, at the root) not apply. */
export function isSkip(f: ElementFailure): boolean {
  return f.kind === 'conditional' || f.kind === 'global' || f.kind === 'skipped';
}

/** Skip errors wrapped into one, their texts combined like go.uber.org/multierr (`; `-joined). */
export function skipped(path: string, skips: readonly ElementFailure[]): ElementFailure {
  return { kind: 'skipped', path, message: skips.map((s) => s.message).join('; ') };
}

/** A conditional or global anchor that failed itself, rather than a wrapped skip from deeper down. */
export function isDirectAnchorSkip(f: ElementFailure): boolean {
  return f.kind === 'conditional' || f.kind === 'global';
}
