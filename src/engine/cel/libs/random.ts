/** @module Kyverno's `random()` (a random lowercase-alphanumeric string) and `random(pattern)`. */
import { randomInt } from 'node:crypto';
import { randomMatching } from '../../jmespath/functions/random.js';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

const source = () => randomInt(0, 2 ** 31) / 2 ** 31;

function matching(pattern: string): string {
  try {
    return randomMatching(pattern, { random: source });
  } catch (e) {
    throw new CelEvalError(e instanceof Error ? e.message : String(e));
  }
}

const DEFAULT_PATTERN = '[0-9a-z]{8}';

export function randomLibrary(): CelLibrary {
  return {
    name: 'random',
    ...namespaceLibraryParts('RandomNamespace', 'random'),
    functions: [
      { signature: 'random(): string', impl: () => matching(DEFAULT_PATTERN) },
      { signature: 'random(string): string', impl: matching },
      { signature: 'RandomNamespace.random(): string', impl: () => matching(DEFAULT_PATTERN) },
      { signature: 'RandomNamespace.random(string): string', impl: (_: unknown, p: string) => matching(p) },
    ],
  };
}
