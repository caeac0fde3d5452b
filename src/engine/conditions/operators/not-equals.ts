/** @module `NotEquals` (legacy `NotEqual`): the negation of `Equals`, false for unsupported keys (null). */
import { compareEquals } from './equals.js';

export function notEquals(key: unknown, value: unknown): boolean {
  const result = compareEquals(key, value);
  return result === undefined ? false : !result;
}
