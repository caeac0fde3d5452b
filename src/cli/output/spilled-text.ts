/**
 * @module Text kept until a run's end in UTF-8 chunks that go to a temporary file past a bound (as
 * `ViolationBlocks` keeps its records), read back as lines: `-o json`'s results, whose summary comes
 * first but counts every row.
 */
import { HeldChunks, type SpillOptions } from './held-chunks.js';

export type { SpillOptions } from './held-chunks.js';

export class SpilledText {
  readonly #chunkBytes: number;
  readonly #kept: HeldChunks;
  #chunk: { bytes: Buffer; used: number };
  #read = false;

  constructor(options: SpillOptions = {}) {
    this.#kept = new HeldChunks(options);
    this.#chunkBytes = Math.max(16, options.chunkBytes ?? 1 << 16);
    this.#chunk = { bytes: Buffer.allocUnsafe(this.#chunkBytes), used: 0 };
  }

  /** Appends `text`; a piece is never cut between chunks, so each chunk decodes on its own. */
  add(text: string): void {
    if (this.#read) throw new Error('text added after it was read');
    const length = Buffer.byteLength(text);
    if (this.#chunk.used + length > this.#chunk.bytes.length) {
      this.#kept.keep(this.#chunk.bytes.subarray(0, this.#chunk.used));
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
      for (const bytes of this.#kept.chunks(this.#chunk.bytes.subarray(0, this.#chunk.used))) {
        const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString().split('\n');
        lines[0] = pending + lines[0]!;
        pending = lines.pop()!;
        yield* lines;
      }
      yield pending;
    } finally {
      this.#kept.close();
    }
  }
}
