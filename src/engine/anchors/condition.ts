/**
 * @module Conditional anchor `(key): pattern` — "if key matches, then the siblings must match".
 * An absent key or a mismatching value is a conditional-anchor error: the enclosing map does not
 * apply (an array element is skipped; at the root the rule is skipped). Kyverno: `conditionAnchorHandler`.
 */
import type { ElementResult } from '../pattern/failure.js';
import type { AnchorInput } from './handler.js';
import { hasKey } from './handler.js';

export const CONDITIONAL_ANCHOR_MISMATCH = 'conditional anchor mismatch';

export function validateConditionAnchor(input: AnchorInput): ElementResult {
  const currentPath = `${input.path}${input.key}/`;
  if (!hasKey(input.resource, input.key)) {
    return {
      kind: 'conditional',
      path: currentPath,
      message: `${CONDITIONAL_ANCHOR_MISMATCH}: conditional anchor key doesn't exist in the resource`,
    };
  }
  const inner = input.validate(input.resource[input.key] ?? null, input.pattern, currentPath);
  if (inner === undefined) return undefined;
  return {
    kind: 'conditional',
    path: inner.path,
    message: `${CONDITIONAL_ANCHOR_MISMATCH}: ${inner.message}`,
  };
}
