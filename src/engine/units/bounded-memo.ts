/**
 * @module A memo by key that is emptied when full: for values derived from a small, mostly fixed set
 * of keys (texts and names from policies, a handful of operations or queries) that a long-running
 * process could nevertheless be fed without end. Emptying, rather than evicting the oldest entry,
 * keeps a hit to one Map lookup and a miss to one insertion; after a reset the working set is simply
 * computed again, so what is memoised must be a pure function of its key.
 */
export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #limit: number;

  /** `limit`: the most entries held; storing one more new key first empties the memo. */
  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Whether `key` is held: for memos whose values may themselves be undefined. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Stores `value` for `key`; a new key when the memo is full first empties it. */
  set(key: K, value: V): this {
    const entries = this.#entries;
    if (entries.size >= this.#limit && !entries.has(key)) entries.clear();
    entries.set(key, value);
    return this;
  }

  clear(): void {
    this.#entries.clear();
  }
}
