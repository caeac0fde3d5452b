/**
 * @module Equality anchor `=(key): pattern` — "if present, must match": an absent key passes, a present
 * value is validated like a plain key (its failures are real failures). Kyverno: `equalityHandler`.
 */
import type { ElementResult } from '../pattern/failure.js';
import type { AnchorInput } from './handler.js';
import { hasKey } from './handler.js';

export function validateEqualityAnchor(input: AnchorInput): ElementResult {
  if (!hasKey(input.resource, input.key)) return undefined;
  return input.validate(input.resource[input.key] ?? null, input.pattern, `${input.path}${input.key}/`);
}
