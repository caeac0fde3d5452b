/**
 * @module Negation anchor `X(key): <anything>` — the key must be absent (even a null value fails);
 * the pattern value is ignored. Kyverno: `negationHandler`, `newNegationAnchorError`.
 */
import type { ElementResult } from '../pattern/failure.js';
import type { AnchorInput } from './handler.js';
import { hasKey } from './handler.js';

export const NEGATION_ANCHOR_MATCHED = 'negation anchor matched in resource';

export function validateNegationAnchor(input: AnchorInput): ElementResult {
  if (!hasKey(input.resource, input.key)) return undefined;
  const currentPath = `${input.path}${input.key}/`;
  return {
    kind: 'negation',
    path: currentPath,
    message: `${NEGATION_ANCHOR_MATCHED}: ${currentPath} is not allowed`,
  };
}
