/** @module `AnyIn`: true when at least one key element is in the value set (wildcards both ways, ranges; see _membership.ts). */
import { membership } from './_membership.js';

export function anyIn(key: unknown, value: unknown): boolean {
  return membership(key, value, 'any-in');
}
