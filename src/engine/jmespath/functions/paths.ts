/** @module path_canonicalize: Go's `filepath.Join(p)` on Linux, i.e. POSIX `path.Clean` ("" stays ""). */
import type { FunctionEntry } from './types.js';

/** Go `path.Clean`: collapses `//`, drops `.`, resolves `..` lexically; never touches a filesystem. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

export const pathFunctions: readonly FunctionEntry[] = [
  {
    name: 'path_canonicalize',
    args: [{ types: ['string'] }],
    returns: ['string'],
    note: 'normalizes or canonicalizes a given path by removing excess slashes',
    impl: ([p]) => (p === '' ? '' : cleanPath(p as string)),
  },
];
