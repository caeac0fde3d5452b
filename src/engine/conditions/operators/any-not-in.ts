/** @module `AnyNotIn`: true when at least one key element is in no value element (wildcards both ways, ranges; see _membership.ts). */
import { membership } from './_membership.js';

export function anyNotIn(key: unknown, value: unknown): boolean {
  return membership(key, value, 'any-not-in');
}
