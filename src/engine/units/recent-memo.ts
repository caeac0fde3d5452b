/**
 * @module A memo of the last few keys, by identity, held strongly: for values derived from one
 * request's objects (its CEL conversion, its JSON context document, its image list). A module-level
 * WeakMap keyed by such short-lived objects costs more than it saves: V8's scavenger keeps the values
 * of an old-space WeakMap alive until the next full GC, so everything derived from every request was
 * copied and promoted (slow scavenges, an old space growing to ~100 MB between full GCs). Here only
 * the last `size` keys keep their values; an older key is simply computed again, so what is memoised
 * must be a pure function of its key.
 */
export class RecentMemo<K extends object, V> {
  readonly #keys: (K | undefined)[];
  readonly #values: (V | undefined)[];
  #next = 0;

  constructor(size: number) {
    this.#keys = new Array<K | undefined>(Math.max(1, size)).fill(undefined);
    this.#values = new Array<V | undefined>(Math.max(1, size)).fill(undefined);
  }

  get(key: K): V | undefined {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.#values[i];
    return undefined;
  }

  /** Stores `value` for `key`, replacing its entry or, for a new key, the oldest one. */
  set(key: K, value: V): this {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++)
      if (keys[i] === key) {
        this.#values[i] = value;
        return this;
      }
    keys[this.#next] = key;
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % keys.length;
    return this;
  }

  /** Drops every entry (nothing is kept alive by the memo afterwards). */
  clear(): void {
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
    this.#next = 0;
  }
}
