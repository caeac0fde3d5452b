/**
 * @module Text kept until a run's end in UTF-8 chunks that go to a temporary file past a bound (as
 * `ViolationBlocks` keeps its records), read back as lines: `-o json`'s results, whose summary comes
 * first but counts every row.
 */
import type { ViolationSpill } from './violation-blocks.js';

export interface SpillOptions {
  /** Opens a spill; absent, or answering undefined: all is kept in memory. */
  readonly spill?: () => ViolationSpill | undefined;
  /** Bytes kept in memory before they are written to the spill. */
  readonly heldBytes?: number;
  /** Bytes of a chunk. */
  readonly chunkBytes?: number;
}

export class SpilledText {
  readonly #options: SpillOptions;
  readonly #chunkBytes: number;
  #held: { bytes: Buffer; used: number }[] = [];
  #heldBytes = 0;
  #chunk: { bytes: Buffer; used: number };
  #spill: ViolationSpill | null | undefined;
  #read = false;

  constructor(options: SpillOptions = {}) {
    this.#options = options;
    this.#chunkBytes = Math.max(16, options.chunkBytes ?? 1 << 16);
    this.#chunk = { bytes: Buffer.allocUnsafe(this.#chunkBytes), used: 0 };
  }

  /** Appends `text`; a piece is never cut between chunks, so each chunk decodes on its own. */
  add(text: string): void {
    if (this.#read) throw new Error('text added after it was read');
    const length = Buffer.byteLength(text);
    if (this.#chunk.used + length > this.#chunk.bytes.length) {
      this.#held.push(this.#chunk);
      this.#heldBytes += this.#chunk.used;
      if (this.#heldBytes >= (this.#options.heldBytes ?? 1 << 20)) this.#spillHeld();
      this.#chunk = { bytes: Buffer.allocUnsafe(Math.max(this.#chunkBytes, length)), used: 0 };
    }
    this.#chunk.used += this.#chunk.bytes.write(text, this.#chunk.used, 'utf8');
  }

  /** The text's lines (split at line feeds), made as they are read; once (a spill is closed then). */
  *lines(): Generator<string> {
    if (this.#read) throw new Error('text read twice');
    this.#read = true;
    try {
      // A line may run over chunks: its start waits for the next chunk's first line.
      let pending = '';
      const spilled = this.#spill ? this.#spill.chunks() : [];
      for (const bytes of chunksOf(spilled, [...this.#held, this.#chunk])) {
        const lines = bytes.toString().split('\n');
        lines[0] = pending + lines[0]!;
        pending = lines.pop()!;
        yield* lines;
      }
      yield pending;
    } finally {
      this.#held = [];
      this.#spill?.close();
      this.#spill = null;
    }
  }

  #spillHeld(): void {
    if (this.#spill === undefined) this.#spill = this.#options.spill?.() ?? null;
    if (this.#spill === null) return;
    for (const c of this.#held) this.#spill.append(c.bytes, c.used);
    this.#held = [];
    this.#heldBytes = 0;
  }
}

/** The spilled chunks, then the held ones, as buffers of their used bytes. */
function* chunksOf(
  spilled: Iterable<Uint8Array>,
  held: readonly { bytes: Buffer; used: number }[],
): Generator<Buffer> {
  for (const bytes of spilled) yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const c of held) yield c.bytes.subarray(0, c.used);
}
