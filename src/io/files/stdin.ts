/** @module The real standard input, read once, as bytes, and never much past the size bound (fd 0). */
import { DEFAULT_LIMITS } from '../yaml/limits.js';
import { readBounded } from './read-bounded.js';

let cached: Uint8Array | undefined;

export function readStdinOnce(): Uint8Array {
  cached ??= readBounded(0, DEFAULT_LIMITS.maxFileBytes);
  return cached;
}
