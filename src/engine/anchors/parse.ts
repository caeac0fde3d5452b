/**
 * @module Anchor keys in patterns: `(key)` condition, `<(key)` global, `=(key)` equality,
 * `X(key)` negation, `^(key)` existence, `+(key)` add-if-not-present (mutate only).
 * Mirrors Kyverno's `pkg/engine/anchor/anchor.go` (`Parse`) and `pkg/policy/common/validate_pattern.go`.
 */

export type AnchorModifier =
  | 'condition'
  | 'global'
  | 'equality'
  | 'negation'
  | 'existence'
  | 'add-if-not-present';

export interface Anchor {
  readonly modifier: AnchorModifier;
  readonly key: string;
}

const BY_PREFIX: Readonly<Record<string, AnchorModifier>> = {
  '<': 'global',
  '=': 'equality',
  X: 'negation',
  '^': 'existence',
  '+': 'add-if-not-present',
};

const PREFIX_OF: Readonly<Record<AnchorModifier, string>> = {
  condition: '',
  global: '<',
  equality: '=',
  negation: 'X',
  existence: '^',
  'add-if-not-present': '+',
};

/**
 * Parses a map key as an anchor (`^([+<=X^])?\((.+)\)$`); undefined for a plain key.
 * The key inside may itself contain parentheses: `((a))` is a condition on `(a)`.
 */
export function parseAnchor(key: string): Anchor | undefined {
  if (key.length < 3 || !key.endsWith(')')) return undefined;
  if (key.startsWith('(')) return { modifier: 'condition', key: key.slice(1, -1) };
  const modifier = BY_PREFIX[key.charAt(0)];
  if (modifier === undefined || key.charAt(1) !== '(' || key.length < 4) return undefined;
  return { modifier, key: key.slice(2, -1) };
}

/** The key text of an anchor: `anchorKey('equality', 'x')` is `=(x)`. */
export function anchorKey(modifier: AnchorModifier, key: string): string {
  return `${PREFIX_OF[modifier]}(${key})`;
}

export function isAnchorOf(key: string, ...modifiers: AnchorModifier[]): boolean {
  const a = parseAnchor(key);
  return a !== undefined && modifiers.includes(a.modifier);
}

export interface InvalidAnchor {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Policy-time checks of a validate pattern (Kyverno's `ValidatePattern`): anchors outside `allowed`,
 * existence anchors whose value is not a non-empty list, and malformed range operators in strings.
 * Collects every problem (Kyverno stops at the first, in map order). Never throws.
 */
export function findInvalidAnchors(pattern: unknown, allowed: readonly AnchorModifier[]): InvalidAnchor[] {
  const out: InvalidAnchor[] = [];
  walk(pattern, [], allowed, out, 0);
  return out;
}

const MAX_DEPTH = 512;

function walk(
  node: unknown,
  path: (string | number)[],
  allowed: readonly AnchorModifier[],
  out: InvalidAnchor[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  if (typeof node === 'string') {
    const message = checkStringOperator(node);
    if (message !== undefined) out.push({ path, message });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      walk(item, [...path, i], allowed, out, depth + 1);
    });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const here = [...path, key];
    const a = parseAnchor(key);
    if (a !== undefined) {
      if (!allowed.includes(a.modifier)) out.push({ path: here, message: `unsupported anchor ${key}` });
      else if (a.modifier === 'existence') {
        if (!Array.isArray(value))
          out.push({ path: here, message: 'existence anchor should have value of type list' });
        else if (value.length === 0)
          out.push({ path: here, message: 'existence anchor: should have atleast one value' });
      }
    }
    walk(value, here, allowed, out, depth + 1);
  }
}

// Kyverno flags only range operators that are clearly incomplete (`!-5`, `10!-`, `10-`, `1Gi-`).
function checkStringOperator(pattern: string): string | undefined {
  if (/^(>=|<=|>|<)/.test(pattern)) return undefined;
  if (pattern.startsWith('!')) {
    return pattern.startsWith('!-')
      ? `invalid operator syntax in pattern '${pattern}': !- requires range format`
      : undefined;
  }
  if (pattern.endsWith('!-'))
    return `invalid operator syntax in pattern '${pattern}': !- requires range format`;
  if (pattern.endsWith('-') && !pattern.startsWith('-')) {
    const before = pattern.slice(0, -1);
    if (before !== '' && (/^[0-9.mMkKgG]+$/.test(before) || /Mi|Gi|Ki/.test(before))) {
      return `invalid range operator syntax in pattern '${pattern}'`;
    }
  }
  return undefined;
}
