/** @module Deprecated `In`: scalar key in the value list/pattern, or list key ⊆ value (exact). */
import { legacyIn } from './_legacy-in.js';

export function inOperator(key: unknown, value: unknown): boolean {
  return legacyIn(key, value, false);
}
