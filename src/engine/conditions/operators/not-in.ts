/** @module Deprecated `NotIn`: scalar key not in the value, or some list-key element missing (exact). */
import { legacyIn } from './_legacy-in.js';

export function notIn(key: unknown, value: unknown): boolean {
  return legacyIn(key, value, true);
}
