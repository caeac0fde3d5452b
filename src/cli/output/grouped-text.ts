/**
 * @module Texts kept until a run's end, each in a group, read back a group at a time in the order
 * added: what a report that groups its rows (a PolicyReport per namespace, a JUnit suite per policy)
 * or counts them before listing them keeps, in UTF-8 chunks held in memory up to a bound and written
 * to a temporary file past it (as `HeldChunks` does), so memory does not grow with the input. Each
 * group remembers which chunks hold its texts, so replaying a group reads only those.
 */

import { HeldChunks, type SpillOptions } from './held-chunks.js';

/** As `HeldChunks`'s; a text larger than `chunkBytes` gets a chunk of its own size. */
export type GroupedTextOptions = SpillOptions;

/** A record's header: its group and its text's UTF-8 length, two 32-bit words. */
const HEADER = 8;

export class GroupedText {
  readonly #kept: HeldChunks;
  readonly #chunkBytes: number;
  /** Per group, the indexes of the chunks holding its texts, ascending. */
  readonly #chunksOf: number[][] = [];
  #chunk: Buffer;
  #used = 0;
  #closed = false;

  constructor(options: GroupedTextOptions = {}) {
    this.#kept = new HeldChunks(options);
    this.#chunkBytes = Math.max(HEADER + 1, options.chunkBytes ?? 1 << 16);
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
  }

  /** Adds `text` to `group` (a small whole number, from 0). */
  add(group: number, text: string): void {
    if (this.#closed) throw new Error('text added after the texts were closed');
    const length = Buffer.byteLength(text);
    if (this.#used + HEADER + length > this.#chunk.length) {
      this.#kept.keep(this.#chunk.subarray(0, this.#used));
      this.#chunk = Buffer.allocUnsafe(Math.max(this.#chunkBytes, HEADER + length));
      this.#used = 0;
    }
    const index = this.#kept.count;
    let chunks = this.#chunksOf[group];
    if (chunks === undefined) {
      chunks = [];
      this.#chunksOf[group] = chunks;
    }
    if (chunks[chunks.length - 1] !== index) chunks.push(index);
    this.#chunk.writeUInt32LE(group, this.#used);
    this.#chunk.writeUInt32LE(length, this.#used + 4);
    this.#chunk.write(text, this.#used + HEADER, 'utf8');
    this.#used += HEADER + length;
  }

  /** The texts of `group` in the order added; may be read again until `close`. */
  *texts(group: number): Generator<string> {
    if (this.#closed) throw new Error('texts read after they were closed');
    for (const index of this.#chunksOf[group] ?? []) {
      const bytes = this.#bytesOf(index);
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 0; at < buffer.length; ) {
        const g = buffer.readUInt32LE(at);
        const length = buffer.readUInt32LE(at + 4);
        at += HEADER;
        if (g === group) yield buffer.toString('utf8', at, at + length);
        at += length;
      }
    }
  }

  /** Frees what is held and closes the spill; once is enough, more are harmless. */
  close(): void {
    this.#closed = true;
    this.#kept.close();
  }

  #bytesOf(index: number): Uint8Array {
    return this.#kept.chunk(index) ?? this.#chunk.subarray(0, this.#used);
  }
}
