/**
 * @module Reading a stream with a size bound. Its own module: standard input is wired up by the
 * binary for every command, and `version` should not load the file readers to get it.
 */
import { readSync } from 'node:fs';

/**
 * Reads a stream until end of input, stopping one byte past `maxBytes` so a caller can tell it was too
 * large without ever holding more. Waits briefly and retries when a non-blocking descriptor has no data yet.
 */
export function readBounded(fd: number, maxBytes: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 20);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (total <= maxBytes) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks, total);
}
