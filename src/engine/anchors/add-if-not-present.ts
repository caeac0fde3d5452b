/**
 * @module Add-if-not-present anchor `+(key): value` — a mutate (patchStrategicMerge) anchor: the key is
 * added when absent and an existing value is left alone. In validate patterns it is not an anchor at all
 * (Kyverno looks up the literal key `+(key)`), and policy validation rejects it there.
 */
import { hasKey } from './handler.js';
import { parseAnchor } from './parse.js';

export function isAddIfNotPresentKey(key: string): boolean {
  return parseAnchor(key)?.modifier === 'add-if-not-present';
}

/** Sets `target[key] = value` unless `key` is already present; returns whether it was added. */
export function addIfNotPresent(target: Record<string, unknown>, key: string, value: unknown): boolean {
  if (hasKey(target, key)) return false;
  target[key] = value;
  return true;
}
