/**
 * @module Global anchor `<(key): pattern` — like a conditional anchor, but an absent key counts as
 * satisfied. A present, mismatching value is a global-anchor error, which skips the enclosing map
 * exactly as a conditional one does. Kyverno: `globalAnchorHandler`.
 */
import type { ElementResult } from '../pattern/failure.js';
import type { AnchorInput } from './handler.js';
import { hasKey } from './handler.js';

export const GLOBAL_ANCHOR_MISMATCH = 'global anchor mismatch';

export function validateGlobalAnchor(input: AnchorInput): ElementResult {
  if (!hasKey(input.resource, input.key)) return undefined;
  const currentPath = `${input.path}${input.key}/`;
  const inner = input.validate(input.resource[input.key] ?? null, input.pattern, currentPath);
  if (inner === undefined) return undefined;
  return { kind: 'global', path: inner.path, message: `${GLOBAL_ANCHOR_MISMATCH}: ${inner.message}` };
}
