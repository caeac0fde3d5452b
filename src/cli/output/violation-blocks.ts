/**
 * @module Kyverno's `policy p -> resource r failed:` blocks, built a row at a time and kept compact:
 * a run of 100,000 resources holds hundreds of thousands of violations until its header (which counts
 * the resources) can be printed, so each is a record of a few numbers (its policy, rule, message and
 * file kept once each; its resource's label written when it changes), the records go to a temporary
 * file past a bound (`spill`), and the lines are made only as they are written.
 */

import { resourceLabel } from '../../io/report/resource-label.js';
import type { ApplyResultRow } from './apply-report.js';
import { type ChunkSpill, HeldChunks, type SpillOptions } from './held-chunks.js';

/** What a block reads of a row: of its resource only the label, which may come made (`resourceLabel`). */
export type BlockRow = Pick<
  ApplyResultRow,
  'policy' | 'rule' | 'status' | 'message' | 'auditWarning' | 'location'
> &
  ({ readonly resource: ApplyResultRow['resource'] } | { readonly label: string });

/** Whether Kyverno's text output prints a row: a failure, or an audit warning with `--audit-warn`. */
export function isViolation(r: Pick<ApplyResultRow, 'status' | 'auditWarning'>): boolean {
  return r.status === 'fail' || (r.auditWarning && r.status === 'warn');
}

export { resourceLabel };

/** Strings kept once each, named by their index. */
class Strings {
  readonly #index = new Map<string, number>();
  readonly list: string[] = [];
  id(s: string): number {
    let i = this.#index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.#index.set(s, i);
    }
    return i;
  }

  /**
   * The id of `s`, trying first the ids in `recent` (kept there, at most `size`): comparing a string
   * with a few kept ones is much cheaper than hashing it, and a row's strings are fresh each time (a
   * row that crossed threads, a message built again: 105 distinct messages come ~24,000 times for
   * 10,000 workloads). The answer is `id(s)`'s: the kept strings are distinct, so an equal one is its.
   */
  idAmong(s: string, recent: number[], size: number): number {
    for (const i of recent) if (this.list[i] === s) return i;
    const i = this.id(s);
    if (recent.length < size) recent.push(i);
    else recent[i % size] = i;
    return i;
  }
}

/** The recent ids kept for `id` in `lists`, made when first asked for. */
function recentOf(lists: number[][], id: number): number[] {
  let list = lists[id];
  if (list === undefined) {
    list = [];
    lists[id] = list;
  }
  return list;
}

/** Where records go past the bound kept in memory, and how many bytes are kept. */
export type BlocksOptions = SpillOptions;
/** Where records go past the bound kept in memory: chunks appended, read back in order (`SpillFile`). */
export type ViolationSpill = ChunkSpill;

/**
 * A record, in 32-bit words: flags, policy, rule, message; then file, line, column if located; then,
 * if its label differs from the last record's, the label's length (times 2, plus 1 if its characters
 * are UTF-16 code units rather than latin1 bytes) and the label, padded to a word.
 */
const AUDIT = 1;
const LOCATED = 2;
const NEW_LABEL = 4;
/** A character past latin1 (a label with one is kept as UTF-16 code units). */
const WIDE = /[\u0100-\uffff]/;

/** A chunk of records: its words and, on the same memory, its bytes (labels). */
class Chunk {
  readonly words: Int32Array;
  readonly bytes: Buffer;
  /** Words used. */
  used = 0;
  constructor(bytes: Uint8Array, used = 0) {
    this.words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.used = used;
  }
}

/** A record as read back; one object, refilled for each record. */
interface Violation {
  policy: number;
  rule: number;
  message: number;
  /** -1: no position. */
  file: number;
  line: number;
  column: number;
  audit: boolean;
  /** Whether its label differs from the last record's. */
  newLabel: boolean;
  label: string;
}

/** 32-bit hashes of the labels seen, two per label, in an open-addressing table (0 marks a free slot). */
class LabelHashes {
  #slots = new Int32Array(1 << 12);
  #count = 0;

  /** Adds `s`; whether it (or a label with both its hashes) was there already. */
  add(s: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a |= 1;
    b |= 1;
    if ((this.#count + 1) * 4 > this.#slots.length) this.#grow();
    if (!this.#put(this.#slots, a, b)) return true;
    this.#count++;
    return false;
  }

  /** Puts the pair in `slots`; false if it was there. */
  #put(slots: Int32Array, a: number, b: number): boolean {
    const mask = (slots.length >> 1) - 1;
    for (let i = (a >>> 1) & mask; ; i = (i + 1) & mask) {
      const x = slots[i * 2]!;
      if (x === 0) {
        slots[i * 2] = a;
        slots[i * 2 + 1] = b;
        return true;
      }
      if (x === a && slots[i * 2 + 1] === b) return false;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.#put(this.#slots, old[i]!, old[i + 1]!);
  }
}

/** Fields per violation when a scattered run's records are grouped: policy, label, audit warning, rule, message, file, line, column. */
const FIELDS = 8;

/**
 * Rows of one policy and resource form one block, numbered in arrival order, wherever the later ones
 * come from (two documents with one identity): blocks are printed in the order they first appeared.
 */
export class ViolationBlocks {
  readonly #policies = new Strings();
  readonly #texts = new Strings();
  /** For `idAmong`: the policies, rules per policy, messages per rule and files last seen. */
  readonly #recentPolicies: number[] = [];
  readonly #recentRules: number[][] = [];
  readonly #recentMessages: number[][] = [];
  readonly #recentFiles: number[] = [];
  readonly #chunkBytes: number;
  /** Full chunks, held or spilled; then the one being written. */
  readonly #kept: HeldChunks;
  #chunk: Chunk;
  #count = 0;
  #read = false;
  #lastPolicy = -1;
  #lastLabel: string | undefined;
  /** The labels seen (to find one coming back), until the run is known to be scattered. */
  #labels: LabelHashes | undefined = new LabelHashes();
  /** Policies of the current run of one resource's rows. */
  #runPolicies = new Set<number>();
  /**
   * Whether a block may have come back after another began: its rows are then grouped when written.
   * Found without a key per block: a resource label seen before (two documents with one identity), or
   * a policy seen before in the current resource's run, after another.
   */
  #scattered = false;

  constructor(options: BlocksOptions = {}) {
    this.#kept = new HeldChunks(options);
    this.#chunkBytes = Math.max(64, (options.chunkBytes ?? 1 << 16) & ~3);
    this.#chunk = this.#newChunk(this.#chunkBytes);
  }

  add(r: BlockRow): void {
    if (!isViolation(r)) return;
    if (this.#read) throw new Error('violation added after the blocks were read');
    const policy = this.#policies.idAmong(r.policy, this.#recentPolicies, 16);
    const text = 'label' in r ? r.label : resourceLabel(r.resource);
    // A resource's rows come together: its label is most often the last row's.
    const newLabel = this.#count === 0 || this.#lastLabel !== text;
    if (newLabel) {
      if (this.#labels?.add(text) === true) this.#scattered = true;
      this.#runPolicies = new Set([policy]);
    } else if (this.#lastPolicy !== policy) {
      if (this.#runPolicies.has(policy)) this.#scattered = true;
      this.#runPolicies.add(policy);
    }
    // Once scattered the records are grouped at the end: the labels need no more checking.
    if (this.#scattered) this.#labels = undefined;
    // Where to look: the offending field (or the resource's first line) in its file.
    const at =
      r.location !== undefined && r.status !== 'pass' && r.status !== 'skip' ? r.location : undefined;
    const rule = this.#texts.idAmong(r.rule, recentOf(this.#recentRules, policy), 8);
    // A rule's messages vary with the fields that failed.
    const message = this.#texts.idAmong(r.message, recentOf(this.#recentMessages, rule), 8);
    const latin1 = newLabel && !WIDE.test(text);
    const labelBytes = newLabel ? (latin1 ? text.length : text.length * 2) : 0;
    const words = 4 + (at !== undefined ? 3 : 0) + (newLabel ? 1 + ((labelBytes + 3) >> 2) : 0);
    const c = this.#room(words);
    const w = c.words;
    let o = c.used;
    w[o++] = (r.auditWarning ? AUDIT : 0) | (at !== undefined ? LOCATED : 0) | (newLabel ? NEW_LABEL : 0);
    w[o++] = policy;
    w[o++] = rule;
    w[o++] = message;
    if (at !== undefined) {
      w[o++] = this.#texts.idAmong(at.file, this.#recentFiles, 4);
      w[o++] = at.line ?? 0;
      w[o++] = at.column ?? 0;
    }
    if (newLabel) {
      w[o++] = text.length * 2 + (latin1 ? 0 : 1);
      c.bytes.write(text, o * 4, labelBytes, latin1 ? 'latin1' : 'utf16le');
      o += (labelBytes + 3) >> 2;
      this.#lastLabel = text;
    }
    c.used = o;
    this.#lastPolicy = policy;
    this.#count++;
  }

  /** The blocks' lines, made as they are read; once (a spill is closed when they are all read). */
  *lines(): Generator<string> {
    if (this.#read) throw new Error('violation blocks read twice');
    this.#read = true;
    try {
      if (this.#scattered) {
        yield* this.#groupedLines();
        return;
      }
      // Every block's rows came together: blocks are runs of one (policy, label).
      const text = this.#texts.list;
      let n = 0;
      let policy = -1;
      for (const v of this.#records()) {
        if (n === 0 || v.newLabel || v.policy !== policy) {
          if (n > 0) yield '';
          n = 0;
          policy = v.policy;
          const verb = v.audit ? 'failed as audit warning' : 'failed';
          yield `policy ${this.#policies.list[v.policy]!} -> resource ${v.label} ${verb}:`;
        }
        yield `${++n}. ${text[v.rule]!}: ${text[v.message]!}`;
        // Not `at …`: that reads as a stack frame to people and to tools.
        if (v.file >= 0) yield `   in ${text[v.file]!}:${v.line}:${v.column}`;
      }
      if (n > 0) yield '';
    } finally {
      this.#kept.close();
    }
  }

  /** A chunk with room for `words` more words: the current one, or a new one (the full one kept or spilled). */
  #room(words: number): Chunk {
    if (this.#chunk.used + words <= this.#chunk.words.length) return this.#chunk;
    this.#kept.keep(this.#chunk.bytes.subarray(0, this.#chunk.used * 4));
    this.#chunk = this.#newChunk(Math.max(this.#chunkBytes, words * 4));
    return this.#chunk;
  }

  #newChunk(bytes: number): Chunk {
    return new Chunk(new Uint8Array(bytes));
  }

  /** The records in the order added. */
  *#records(): Generator<Violation> {
    const v: Violation = {
      policy: 0,
      rule: 0,
      message: 0,
      file: -1,
      line: 0,
      column: 0,
      audit: false,
      newLabel: false,
      label: '',
    };
    const last = this.#chunk.bytes.subarray(0, this.#chunk.used * 4);
    for (const bytes of this.#kept.chunks(last)) {
      const chunk = new Chunk(bytes, bytes.byteLength >> 2);
      const w = chunk.words;
      for (let o = 0; o < chunk.used; ) {
        const flags = w[o++]!;
        v.audit = (flags & AUDIT) !== 0;
        v.policy = w[o++]!;
        v.rule = w[o++]!;
        v.message = w[o++]!;
        if ((flags & LOCATED) !== 0) {
          v.file = w[o++]!;
          v.line = w[o++]!;
          v.column = w[o++]!;
        } else v.file = -1;
        v.newLabel = (flags & NEW_LABEL) !== 0;
        if (v.newLabel) {
          const length = w[o++]!;
          const latin1 = (length & 1) === 0;
          const bytes = latin1 ? length >> 1 : (length >> 1) * 2;
          v.label = chunk.bytes.toString(latin1 ? 'latin1' : 'utf16le', o * 4, o * 4 + bytes);
          o += (bytes + 3) >> 2;
        }
        yield v;
      }
    }
  }

  /** A scattered run's lines: its records read back and grouped per (policy, label), in memory. */
  *#groupedLines(): Generator<string> {
    const labels = new Strings();
    const data = new Int32Array(this.#count * FIELDS);
    let i = 0;
    let label = -1;
    for (const v of this.#records()) {
      if (v.newLabel) label = labels.id(v.label);
      const o = i++ * FIELDS;
      data[o] = v.policy;
      data[o + 1] = label;
      data[o + 2] = v.audit ? 1 : 0;
      data[o + 3] = v.rule;
      data[o + 4] = v.message;
      data[o + 5] = v.file;
      data[o + 6] = v.line;
      data[o + 7] = v.column;
    }
    const blocks = new Map<string, number[]>();
    for (let k = 0; k < this.#count; k++) {
      const key = `${data[k * FIELDS]}:${data[k * FIELDS + 1]}`;
      const block = blocks.get(key);
      if (block === undefined) blocks.set(key, [k]);
      else block.push(k);
    }
    const text = this.#texts.list;
    for (const block of blocks.values()) {
      const first = block[0]! * FIELDS;
      const verb = data[first + 2] === 1 ? 'failed as audit warning' : 'failed';
      const policy = this.#policies.list[data[first]!]!;
      yield `policy ${policy} -> resource ${labels.list[data[first + 1]!]!} ${verb}:`;
      for (const [n, k] of block.entries()) {
        const o = k * FIELDS;
        yield `${n + 1}. ${text[data[o + 3]!]!}: ${text[data[o + 4]!]!}`;
        const file = data[o + 5]!;
        if (file >= 0) yield `   in ${text[file]!}:${data[o + 6]}:${data[o + 7]}`;
      }
      yield '';
    }
  }
}
