/**
 * @module What `apply` keeps until its run ends (violation records, `-o json` lines), as full byte
 * chunks held in memory up to a bound and written to a spill (a temporary file) past it, read back in
 * the order kept: so memory does not grow with the input.
 */

/** Where chunks go past the bound kept in memory: appended, read back in order or by index (`SpillFile`). */
export interface ChunkSpill {
  append(bytes: Uint8Array, length: number): void;
  chunks(): Iterable<Uint8Array>;
  chunk(index: number): Uint8Array;
  close(): void;
}

export interface SpillOptions {
  /** Opens a spill; absent, or answering undefined (no temporary file could be made): all is kept in memory. */
  readonly spill?: () => ChunkSpill | undefined;
  /** Bytes kept in memory before they are written to the spill. */
  readonly heldBytes?: number;
  /** Bytes of a chunk. */
  readonly chunkBytes?: number;
}

export class HeldChunks {
  readonly #options: SpillOptions;
  /** Full chunks not yet spilled, in order, each a view of its used bytes. */
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  /** Chunks written to the spill (chunk `#spilled + i` is `#held[i]`). */
  #spilled = 0;
  /** The spill once opened; null when none could be opened. */
  #spill: ChunkSpill | null | undefined;

  constructor(options: SpillOptions) {
    this.#options = options;
  }

  /** Keeps a full chunk's used bytes; past the bound, writes all that is held to the spill. */
  keep(used: Uint8Array): void {
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

  /** The kept chunks in order (the spilled ones, each in a buffer of its own), then `last`. */
  *chunks(last: Uint8Array): Generator<Uint8Array> {
    if (this.#spill) yield* this.#spill.chunks();
    yield* this.#held;
    yield last;
  }

  /** How many chunks were kept: the index the next kept chunk gets. */
  get count(): number {
    return this.#spilled + this.#held.length;
  }

  /** Kept chunk `index` (from the spill when written there); undefined past the last kept. */
  chunk(index: number): Uint8Array | undefined {
    if (index < this.#spilled) return this.#spill!.chunk(index);
    return this.#held[index - this.#spilled];
  }

  /** Frees what is held and closes the spill; once is enough, more are harmless. */
  close(): void {
    this.#held = [];
    this.#spill?.close();
    this.#spill = null;
  }
}
