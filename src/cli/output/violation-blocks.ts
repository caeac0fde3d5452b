/**
 * @module Kyverno's `policy p -> resource r failed:` blocks, built a row at a time and kept compact:
 * a run of 100,000 resources holds hundreds of thousands of violations until its header (which counts
 * the resources) can be printed, so each is a few numbers (its strings are kept once each) and the
 * lines are made only as they are written.
 */
import type { ApplyResultRow } from './apply-report.js';

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

export function resourceLabel(o: ApplyResultRow['resource']): string {
  const ns = o.metadata?.namespace;
  return `${ns !== undefined && ns !== '' ? `${ns}/` : ''}${o.kind ?? ''}/${o.metadata?.name ?? ''}`;
}

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

/** Fields per violation: policy, label, audit warning, rule, message, file (-1: no position), line, column. */
const FIELDS = 8;

/**
 * Rows of one policy and resource form one block, numbered in arrival order, wherever the later ones
 * come from (two documents with one identity): blocks are printed in the order they first appeared.
 */
export class ViolationBlocks {
  readonly #policies = new Strings();
  readonly #labels = new Strings();
  readonly #texts = new Strings();
  /** For `idAmong`: the policies, rules per policy, messages per rule and files last seen. */
  readonly #recentPolicies: number[] = [];
  readonly #recentRules: number[][] = [];
  readonly #recentMessages: number[][] = [];
  readonly #recentFiles: number[] = [];
  #data = new Int32Array(1024);
  #count = 0;
  /** Policies of the current run of one resource's rows. */
  #runPolicies = new Set<number>();
  /**
   * Whether a block may have come back after another began: its rows are then grouped when written.
   * Found without a key per block: a resource label seen before (two documents with one identity), or
   * a policy seen before in the current resource's run, after another.
   */
  #scattered = false;

  add(r: BlockRow): void {
    if (!isViolation(r)) return;
    const policy = this.#policies.idAmong(r.policy, this.#recentPolicies, 16);
    const labels = this.#labels.list.length;
    const last = this.#count - 1;
    // A resource's rows come together: its label is most often the last row's.
    const text = 'label' in r ? r.label : resourceLabel(r.resource);
    const prev = last >= 0 ? this.#at(last, 1) : -1;
    const label = prev >= 0 && this.#labels.list[prev] === text ? prev : this.#labels.id(text);
    const sameLabel = last >= 0 && this.#at(last, 1) === label;
    if (!sameLabel) {
      if (label < labels) this.#scattered = true;
      this.#runPolicies = new Set([policy]);
    } else if (this.#at(last, 0) !== policy) {
      if (this.#runPolicies.has(policy)) this.#scattered = true;
      this.#runPolicies.add(policy);
    }
    if ((this.#count + 1) * FIELDS > this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    // Where to look: the offending field (or the resource's first line) in its file.
    const at =
      r.location !== undefined && r.status !== 'pass' && r.status !== 'skip' ? r.location : undefined;
    const o = this.#count++ * FIELDS;
    this.#data[o] = policy;
    this.#data[o + 1] = label;
    this.#data[o + 2] = r.auditWarning ? 1 : 0;
    const rule = this.#texts.idAmong(r.rule, recentOf(this.#recentRules, policy), 8);
    this.#data[o + 3] = rule;
    // A rule's messages vary with the fields that failed.
    this.#data[o + 4] = this.#texts.idAmong(r.message, recentOf(this.#recentMessages, rule), 8);
    this.#data[o + 5] = at !== undefined ? this.#texts.idAmong(at.file, this.#recentFiles, 4) : -1;
    this.#data[o + 6] = at?.line ?? 0;
    this.#data[o + 7] = at?.column ?? 0;
  }

  #at(i: number, field: number): number {
    return this.#data[i * FIELDS + field]!;
  }

  /** The blocks' lines, made as they are read. */
  *lines(): Generator<string> {
    for (const block of this.#order()) {
      const first = block[0]!;
      const verb = this.#at(first, 2) === 1 ? 'failed as audit warning' : 'failed';
      const policy = this.#policies.list[this.#at(first, 0)]!;
      yield `policy ${policy} -> resource ${this.#labels.list[this.#at(first, 1)]!} ${verb}:`;
      for (const [n, i] of block.entries()) {
        const text = this.#texts.list;
        yield `${n + 1}. ${text[this.#at(i, 3)]!}: ${text[this.#at(i, 4)]!}`;
        const file = this.#at(i, 5);
        // Not `at …`: that reads as a stack frame to people and to tools.
        if (file >= 0) yield `   in ${text[file]!}:${this.#at(i, 6)}:${this.#at(i, 7)}`;
      }
      yield '';
    }
  }

  /** The violations of each block, blocks in order of first appearance. */
  *#order(): Generator<number[]> {
    if (!this.#scattered) {
      // Every block's rows came together: blocks are runs of one (policy, label).
      let block: number[] = [];
      for (let i = 0; i < this.#count; i++) {
        if (block.length > 0 && !this.#same(block[0]!, i)) {
          yield block;
          block = [];
        }
        block.push(i);
      }
      if (block.length > 0) yield block;
      return;
    }
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < this.#count; i++) {
      const key = `${this.#at(i, 0)}:${this.#at(i, 1)}`;
      const block = blocks.get(key);
      if (block === undefined) blocks.set(key, [i]);
      else block.push(i);
    }
    yield* blocks.values();
  }

  #same(a: number, b: number): boolean {
    return this.#at(a, 0) === this.#at(b, 0) && this.#at(a, 1) === this.#at(b, 1);
  }
}
