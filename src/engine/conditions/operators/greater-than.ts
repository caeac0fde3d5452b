/** @module `GreaterThan`: numbers, durations, quantities or semver (see _numeric.ts). */
import { compareNumeric } from './_numeric.js';

export function greaterThan(key: unknown, value: unknown): boolean {
  const c = compareNumeric(key, value);
  return c !== undefined && c > 0;
}
