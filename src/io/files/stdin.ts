/** @module The real standard input, read once and fully (fd 0). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function readStdinOnce(): string {
  cached ??= readFileSync(0, 'utf8');
  return cached;
}
