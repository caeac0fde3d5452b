/** @module `AllIn`: true when every key element is in the value set (wildcards both ways, ranges; see _membership.ts). */
import { membership } from './_membership.js';

export function allIn(key: unknown, value: unknown): boolean {
  return membership(key, value, 'all-in');
}
