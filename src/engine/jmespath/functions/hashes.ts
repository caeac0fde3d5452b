/** @module Hash functions: sha256, sha1, md5 (lower-case hex of the UTF-8 bytes). */
import { createHash } from 'node:crypto';
import type { FunctionEntry } from './types.js';

function hashEntry(name: 'sha256' | 'sha1' | 'md5', note: string): FunctionEntry {
  return {
    name,
    args: [{ types: ['string'] }],
    returns: ['string'],
    note,
    impl: ([s]) =>
      createHash(name)
        .update(s as string, 'utf8')
        .digest('hex'),
  };
}

export const hashFunctions: readonly FunctionEntry[] = [
  hashEntry('sha256', 'generate unique resources name if length exceeds the limit'),
  hashEntry('sha1', 'generate unique resources name if length exceeds the limit'),
  hashEntry('md5', 'generate unique resources name if length exceeds the limit'),
];
