/**
 * @module Kyverno wildcards (`*` any sequence, `?` exactly one character), matched against the
 * whole string with no escaping and no character classes (IGLOU-EU/go-wildcard semantics).
 * Linear-time greedy matcher with single-star backtracking: never converts to a RegExp.
 */

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

export function wildcardMatch(pattern: string, value: string): boolean {
  // A text matches itself as a pattern (`*` and `?` each match their own character): most calls,
  // kinds and names matched against themselves, end here.
  if (pattern === '*' || pattern === value) return true;
  if (!hasWildcard(pattern)) return pattern === value;
  const p = Array.from(pattern);
  const v = Array.from(value);
  let pi = 0;
  let vi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === v[vi])) {
      pi++;
      vi++;
    } else if (pc === '*') {
      starP = pi++;
      starV = vi;
    } else if (starP >= 0) {
      pi = starP + 1;
      vi = ++starV;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}
