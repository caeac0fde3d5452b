/** @module Bounds on untrusted YAML/JSON input: every one becomes a `limits/exceeded` diagnostic. */
export interface InputLimits {
  /** Bytes per file. */
  readonly maxFileBytes: number;
  /** Alias dereferences per document (alias bombs). */
  readonly maxAliasCount: number;
  /** Nesting depth of maps and sequences. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 1000,
};

/** Nesting depth of a decoded value, computed without recursion so hostile input cannot blow the stack. */
export function valueDepth(value: unknown, stopAbove: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAbove) return max;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, depth]);
  }
  return max;
}
