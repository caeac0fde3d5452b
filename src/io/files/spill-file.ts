/**
 * @module A temporary file of byte chunks, read back in the order written: where a long run puts what
 * it must keep until its end (`apply`'s violation blocks wait for a header that counts every resource),
 * so that its memory does not grow with the input. The file is unlinked as soon as it is open: it has
 * no name while the run uses it, and the system frees it when the descriptor closes, however the
 * process ends (exit, error, signal, kill).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of a chunk's length before it. */
const HEADER = 4;

export class SpillFile {
  #fd: number | undefined;
  /** Set when the name could not be removed at once (a system refusing to unlink an open file). */
  #path: string | undefined;
  #removeOnExit: (() => void) | undefined;
  #written = 0;
  /** Where each chunk's header starts, for `chunk(index)`. */
  readonly #starts: number[] = [];

  private constructor(fd: number, path: string | undefined) {
    this.#fd = fd;
    this.#path = path;
    if (path !== undefined) {
      this.#removeOnExit = () => this.close();
      process.once('exit', this.#removeOnExit);
    }
  }

  /** A new, empty file in `dir` (the system's temporary folder), or undefined when none can be made. */
  static open(dir = tmpdir()): SpillFile | undefined {
    const path = join(dir, `palisade-spill-${process.pid}-${randomBytes(8).toString('hex')}`);
    let fd: number;
    try {
      // Created here, never an existing file or link; readable by its owner only.
      fd = openSync(path, 'wx+', 0o600);
    } catch {
      return undefined;
    }
    try {
      unlinkSync(path);
      return new SpillFile(fd, undefined);
    } catch {
      return new SpillFile(fd, path);
    }
  }

  /** Bytes written so far, chunk headers included. */
  get size(): number {
    return this.#written;
  }

  /** Appends `bytes[0, length)` as one chunk. */
  append(bytes: Uint8Array, length = bytes.length): void {
    const fd = this.#live();
    this.#starts.push(this.#written);
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt32LE(length, 0);
    this.#writeAll(fd, header, HEADER);
    this.#writeAll(fd, bytes, length);
  }

  /** The chunks in the order appended, each at the start of a buffer of its own (so aligned for any view). */
  *chunks(): Generator<Uint8Array> {
    const fd = this.#live();
    const header = Buffer.allocUnsafe(HEADER);
    for (let at = 0; at < this.#written; ) {
      this.#readAll(fd, header, at);
      const length = header.readUInt32LE(0);
      const chunk = new Uint8Array(length);
      this.#readAll(fd, chunk, at + HEADER);
      at += HEADER + length;
      yield chunk;
    }
  }

  /** Chunks appended so far. */
  get count(): number {
    return this.#starts.length;
  }

  /** The chunk appended `index`-th (from 0), in a buffer of its own: read back out of order (grouped output). */
  chunk(index: number): Uint8Array {
    const fd = this.#live();
    const at = this.#starts[index];
    if (at === undefined) throw new RangeError(`no spilled chunk ${index}`);
    const header = Buffer.allocUnsafe(HEADER);
    this.#readAll(fd, header, at);
    const chunk = new Uint8Array(header.readUInt32LE(0));
    this.#readAll(fd, chunk, at + HEADER);
    return chunk;
  }

  /** Closes (and so frees) the file; once is enough, more are harmless. */
  close(): void {
    if (this.#removeOnExit !== undefined) process.off('exit', this.#removeOnExit);
    this.#removeOnExit = undefined;
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#path !== undefined) {
      try {
        unlinkSync(this.#path);
      } catch {
        // Already gone.
      }
      this.#path = undefined;
    }
  }

  #live(): number {
    if (this.#fd === undefined) throw new Error('spill file used after close');
    return this.#fd;
  }

  #writeAll(fd: number, bytes: Uint8Array, length: number): void {
    for (let done = 0; done < length; ) {
      done += writeSync(fd, bytes, done, length - done, this.#written + done);
    }
    this.#written += length;
  }

  #readAll(fd: number, into: Uint8Array, position: number): void {
    for (let done = 0; done < into.length; ) {
      const n = readSync(fd, into, done, into.length - done, position + done);
      if (n === 0) throw new Error('spill file shorter than written');
      done += n;
    }
  }
}
