/**
 * @module Texts kept until a run's end, each in a group, read back a group at a time in the order
 * added: what a report that groups its rows (a PolicyReport per namespace, a JUnit suite per policy)
 * or counts them before listing them keeps, in UTF-8 chunks held in memory up to a bound and written
 * to a temporary file past it (as `HeldChunks` does), so memory does not grow with the input. Each
 * group remembers which chunks hold its texts, so replaying a group reads only those.
 */

/** Where chunks go past the bound: appended, read back by their index (`SpillFile`). */
export interface IndexedSpill {
  append(bytes: Uint8Array, length: number): void;
  chunk(index: number): Uint8Array;
  close(): void;
}

export interface GroupedTextOptions {
  /** Opens a spill; absent, or answering undefined (no temporary file could be made): all is kept in memory. */
  readonly spill?: () => IndexedSpill | undefined;
  /** Bytes kept in memory before they are written to the spill. */
  readonly heldBytes?: number;
  /** Bytes of a chunk (a larger text gets a chunk of its own size). */
  readonly chunkBytes?: number;
}

/** A record's header: its group and its text's UTF-8 length, two 32-bit words. */
const HEADER = 8;

export class GroupedText {
  readonly #options: GroupedTextOptions;
  readonly #chunkBytes: number;
  /** Per group, the indexes of the chunks holding its texts, ascending. */
  readonly #chunksOf: number[][] = [];
  /** Full chunks not yet spilled (chunk `#spilled + i` is `#held[i]`). */
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  #spilled = 0;
  /** The spill once opened; null when none could be opened. */
  #spill: IndexedSpill | null | undefined;
  #chunk: Buffer;
  #used = 0;
  #closed = false;

  constructor(options: GroupedTextOptions = {}) {
    this.#options = options;
    this.#chunkBytes = Math.max(HEADER + 1, options.chunkBytes ?? 1 << 16);
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
  }

  /** Adds `text` to `group` (a small whole number, from 0). */
  add(group: number, text: string): void {
    if (this.#closed) throw new Error('text added after the texts were closed');
    const length = Buffer.byteLength(text);
    if (this.#used + HEADER + length > this.#chunk.length) {
      this.#keep(this.#chunk.subarray(0, this.#used));
      this.#chunk = Buffer.allocUnsafe(Math.max(this.#chunkBytes, HEADER + length));
      this.#used = 0;
    }
    const index = this.#spilled + this.#held.length;
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
    this.#held = [];
    this.#spill?.close();
    this.#spill = null;
  }

  #bytesOf(index: number): Uint8Array {
    if (index < this.#spilled) return this.#spill!.chunk(index);
    const held = this.#held[index - this.#spilled];
    return held ?? this.#chunk.subarray(0, this.#used);
  }

  /** Keeps a full chunk; past the bound, writes all that is held to the spill. */
  #keep(used: Uint8Array): void {
    this.#held.push(used);
    this.#heldBytes += used.byteLength;
    if (this.#heldBytes < (this.#options.heldBytes ?? 1 << 20)) return;
    if (this.#spill === undefined) this.#spill = this.#options.spill?.() ?? null;
    if (this.#spill === null) return;
    for (const c of this.#held) this.#spill.append(c, c.byteLength);
    this.#spilled += this.#held.length;
    this.#held = [];
    this.#heldBytes = 0;
  }
}
