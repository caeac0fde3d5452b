/**
 * @module A large resource file cut into pieces of whole documents without holding its text: a first
 * pass over its bytes, a block at a time, finds the document starts and checks what would make
 * `documentChunks` refuse to cut it (a guard, a directive, an invalid byte); then each piece is read
 * from the file when it is asked for. The pieces are `documentChunks`' of the file's text, byte for
 * byte (file-chunks.test.ts holds both to that), so a consumer cannot tell them apart; the command's
 * thread then holds a piece or a few, not the file's text and its bytes (~2 × 24 MB for 10,000 workloads).
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../yaml/limits.js';
import type { DocumentChunk } from '../yaml/load-documents.js';

/** Bytes read at a time by the first pass (grown for a longer line). Mutable for the tests only. */
export const scanning = { blockBytes: 1 << 20 };

/** Where a piece starts in the text: its byte offset, first document index and line ends before it. */
interface Cut {
  readonly byte: number;
  readonly firstIndex: number;
  readonly linesBefore: number;
}

/**
 * The file's pieces of `split.documents` documents (read as they are iterated), or undefined when it
 * must be read whole, exactly where `documentChunks` of its text would say so (a character the guards
 * refuse, a directive, a `...` line, a line separator, a second byte-order mark, fewer than
 * `split.minDocuments` documents, a piece not starting after a LF), or where `readText` would fail
 * (not a regular file, cannot be opened, larger than `maxBytes`, not UTF-8): the reader of the whole
 * file then says what is wrong, as before. A file changed between the passes is read as found.
 */
export function readFileChunks(
  path: string,
  file: string,
  split: { readonly documents: number; readonly minDocuments: number },
  maxBytes = DEFAULT_LIMITS.maxFileBytes,
): Generator<DocumentChunk, void, void> | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  let scan: ReturnType<typeof scanFile>;
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size <= maxBytes) scan = scanFile(fd, split);
  } catch {
    scan = undefined;
  }
  if (scan === undefined) {
    closeSync(fd);
    return undefined;
  }
  return pieces(fd, file, scan);
}

function* pieces(
  fd: number,
  file: string,
  { cuts, bom, size }: { cuts: readonly Cut[]; bom: number; size: number },
): Generator<DocumentChunk, void, void> {
  // One buffer for all pieces: a new one per piece is garbage the collector is pressed to reclaim.
  let bytes = Buffer.allocUnsafe(0);
  try {
    for (const [k, cut] of cuts.entries()) {
      const length = (cuts[k + 1]?.byte ?? size) - cut.byte;
      if (bytes.length < length) bytes = Buffer.allocUnsafe(Math.max(length, bytes.length * 2));
      let got = 0;
      while (got < length) {
        const n = readSync(fd, bytes, got, length - got, bom + cut.byte + got);
        if (n === 0) break;
        got += n;
      }
      yield {
        file,
        text: bytes.toString('utf8', 0, got),
        place: { firstIndex: cut.firstIndex, linesBefore: cut.linesBefore },
      };
    }
  } finally {
    closeSync(fd);
  }
}

/** Why the first pass stops: the file must be read whole. */
const WHOLE = Symbol('whole');

/** The first pass: the pieces' starts (in the text: after a byte-order mark), or undefined. */
function scanFile(
  fd: number,
  split: { readonly documents: number; readonly minDocuments: number },
): { cuts: Cut[]; bom: number; size: number } | undefined {
  const scanner = new Scanner();
  let buf = Buffer.allocUnsafe(Math.max(scanning.blockBytes, 3));
  // The text starts after a byte-order mark, as `decodeUtf8` drops it.
  const head = readSync(fd, buf, 0, 3, 0);
  const bom = head === 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let have = 0;
  let offset = 0;
  for (;;) {
    if (have === buf.length) {
      const grown = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(grown, 0, 0, have);
      buf = grown;
    }
    const n = readSync(fd, buf, have, buf.length - have, bom + offset + have);
    const last = n === 0;
    have += n;
    // Whole lines only (a valid UTF-8 sequence never holds a LF), but at the end of the file.
    const upTo = last ? have : buf.lastIndexOf(0x0a, have - 1) + 1;
    if (upTo > 0) {
      const block = buf.subarray(0, upTo);
      if (!isUtf8(block) || scanner.block(block, offset, last) === WHOLE) return undefined;
      buf.copy(buf, 0, upTo, have);
      have -= upTo;
      offset += upTo;
    }
    if (last) break;
  }
  const cuts = scanner.cuts(split);
  return cuts === undefined ? undefined : { cuts, bom, size: offset };
}

/** The first pass's state across blocks: document starts, line ends, what precedes the first `---`. */
class Scanner {
  /** Byte offsets of `---` markers, the line ends before each, and whether a LF precedes it. */
  readonly #markers: number[] = [];
  readonly #markerLines: number[] = [];
  readonly #afterLf: boolean[] = [];
  #lines = 0;
  /** Whether the text before the first marker holds anything but blank and comment lines. */
  #prefixContent = false;

  /**
   * Checks a block of whole lines (valid UTF-8, at `base` in the file). Line starts are those of
   * `documentRanges`: after LF or CR; characters are those the guards refuse (`isForbidden`).
   */
  block(b: Buffer, base: number, last: boolean): typeof WHOLE | undefined {
    const n = b.length;
    // A second byte-order mark: the text starts with one, which `documentRanges` leaves to the full parser.
    if (base === 0 && n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return WHOLE;
    // A block starts a line: the file's start, or after the LF that ended the previous block.
    if (this.#lineStart(b, 0, base, last) === WHOLE) return WHOLE;
    for (let i = 0; i < n; i++) {
      const c = b[i]!;
      if (c >= 0x20 && c < 0x7f) continue;
      if (c === 0x0a || c === 0x0d) {
        if (c === 0x0a) this.#lines++;
        if (i + 1 < n && this.#lineStart(b, i + 1, base, last) === WHOLE) return WHOLE;
        continue;
      }
      if (c === 0x09) continue;
      if (c < 0x80) return WHOLE; // C0 controls, DEL
      // Valid UTF-8: a lead byte's continuation bytes are in the block (no sequence holds a LF).
      if (c === 0xc2 && b[i + 1]! <= 0x9f && b[i + 1] !== 0x85) return WHOLE; // C1 controls
      if (c === 0xe2 && b[i + 1] === 0x80 && (b[i + 2] === 0xa8 || b[i + 2] === 0xa9)) return WHOLE;
      if (c === 0xef && b[i + 1] === 0xbf && (b[i + 2] === 0xbe || b[i + 2] === 0xbf)) return WHOLE;
    }
    return undefined;
  }

  /** A line starting at `i`: a directive or `...` (read whole), a `---` marker, or prefix content. */
  #lineStart(b: Buffer, i: number, base: number, last: boolean): typeof WHOLE | undefined {
    const n = b.length;
    if (i >= n) return undefined;
    const c = b[i];
    if (c === 0x25) return WHOLE; // %
    if (c === 0x2e && b[i + 1] === 0x2e && b[i + 2] === 0x2e && i + 2 < n) return WHOLE; // ...
    if (c === 0x2d && i + 2 < n && b[i + 1] === 0x2d && b[i + 2] === 0x2d) {
      // The block ends a line (or the file), so a marker's next byte is in it, or it ends the file.
      const after = i + 3 < n ? b[i + 3] : undefined;
      if (after === undefined ? last : after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d) {
        this.#markers.push(base + i);
        this.#markerLines.push(this.#lines);
        // A block starts after the LF that ended the previous one.
        this.#afterLf.push(i > 0 ? b[i - 1] === 0x0a : base > 0);
        return undefined;
      }
    }
    if (this.#markers.length === 0 && !this.#prefixContent) {
      let j = i;
      while (j < n && (b[j] === 0x20 || b[j] === 0x09)) j++;
      if (j < n && b[j] !== 0x0a && b[j] !== 0x0d && b[j] !== 0x23) this.#prefixContent = true;
    }
    return undefined;
  }

  /** The pieces' starts, as `documentChunks` cuts the documents of `documentRanges`. */
  cuts(split: { readonly documents: number; readonly minDocuments: number }): Cut[] | undefined {
    const starts = this.#markers;
    const lines = this.#markerLines;
    const prefix = starts.length === 0 || this.#prefixContent ? 1 : 0;
    const documents = starts.length + prefix;
    if (documents < split.minDocuments) return undefined;
    const cuts: Cut[] = [];
    for (let first = 0; first < documents; first += split.documents) {
      const m = first - prefix;
      const byte = m < 0 ? 0 : starts[m]!;
      // A piece starts a line after a LF (not a CR alone), as `documentChunks` requires.
      if (m >= 0 && byte > 0 && !this.#afterLf[m]!) return undefined;
      cuts.push({ byte, firstIndex: first, linesBefore: m < 0 ? 0 : lines[m]! });
    }
    return cuts;
  }
}
