/** @module `AllNotIn`: true when no key element is in the value set (wildcards both ways, ranges; see _membership.ts). */
import { membership } from './_membership.js';

export function allNotIn(key: unknown, value: unknown): boolean {
  return membership(key, value, 'all-not-in');
}
