/** @module Kyverno's hash functions: `sha1`, `sha256`, `md5` (hex digests), also as `hash.*`. */
import { createHash } from 'node:crypto';
import { type CelFunctionEntry, type CelLibrary, namespaceLibraryParts } from './types.js';

const digest = (algorithm: string) => (s: string) => createHash(algorithm).update(s).digest('hex');

export function hashLibrary(): CelLibrary {
  const functions: CelFunctionEntry[] = [];
  for (const [name, algorithm] of [
    ['sha1', 'sha1'],
    ['sha256', 'sha256'],
    ['md5', 'md5'],
  ] as const) {
    const f = digest(algorithm);
    functions.push(
      { signature: `${name}(string): string`, impl: f },
      { signature: `HashNamespace.${name}(string): string`, impl: (_: unknown, s: string) => f(s) },
    );
  }
  return { name: 'hash', ...namespaceLibraryParts('HashNamespace', 'hash'), functions };
}
