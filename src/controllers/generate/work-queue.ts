/**
 * @module A bounded work queue with one entry per key (client-go's rate-limited workqueue, in
 * small): adding a key already waiting keeps one entry with the newest item; a key added while it
 * is being processed runs once more after; a failed item comes back after a doubling delay until
 * its attempts run out. When full, new keys are refused (the caller's resync finds them again).
 */
export interface WorkQueueOptions {
  readonly capacity: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  /** Monotonic milliseconds (tests pass a fake). */
  readonly now?: () => number;
}

export interface WorkEntry<T> {
  readonly key: string;
  readonly item: T;
  /** 1 for the first try. */
  readonly attempt: number;
}

interface Waiting<T> {
  item: T;
  attempt: number;
  notBefore: number;
}

export class WorkQueue<T> {
  readonly #waiting = new Map<string, Waiting<T>>();
  readonly #active = new Map<string, { again?: T }>();
  readonly #options: WorkQueueOptions;
  readonly #now: () => number;
  #wake: (() => void) | undefined;

  constructor(options: WorkQueueOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.#waiting.size + this.#active.size;
  }

  /** Queues `item` under `key`; false when the queue is full and the key is new. */
  add(key: string, item: T): boolean {
    const active = this.#active.get(key);
    if (active !== undefined) {
      active.again = item;
      return true;
    }
    const waiting = this.#waiting.get(key);
    if (waiting !== undefined) {
      waiting.item = item;
      return true;
    }
    if (this.size >= this.#options.capacity) return false;
    this.#waiting.set(key, { item, attempt: 1, notBefore: this.#now() });
    this.#wake?.();
    return true;
  }

  /** The oldest entry that is due, now being processed; undefined when none is. */
  take(): WorkEntry<T> | undefined {
    const now = this.#now();
    for (const [key, w] of this.#waiting) {
      if (w.notBefore > now) continue;
      this.#waiting.delete(key);
      this.#active.set(key, {});
      return { key, item: w.item, attempt: w.attempt };
    }
    return undefined;
  }

  /** Milliseconds until the next waiting entry is due (undefined: none waits). */
  dueInMs(): number | undefined {
    let min: number | undefined;
    for (const w of this.#waiting.values()) min = Math.min(min ?? Number.POSITIVE_INFINITY, w.notBefore);
    return min === undefined ? undefined : Math.max(0, min - this.#now());
  }

  /** The entry succeeded (or is given up on): forget it, unless it was added again meanwhile. */
  done(entry: WorkEntry<T>): void {
    const again = this.#active.get(entry.key)?.again;
    this.#active.delete(entry.key);
    if (again !== undefined) this.add(entry.key, again);
  }

  /** The entry failed: try it again after a backoff; false when its attempts are used up (dropped). */
  retry(entry: WorkEntry<T>): boolean {
    const again = this.#active.get(entry.key)?.again;
    this.#active.delete(entry.key);
    if (again !== undefined) {
      this.add(entry.key, again);
      return true;
    }
    if (entry.attempt >= this.#options.maxAttempts) return false;
    const delay = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** (entry.attempt - 1));
    this.#waiting.set(entry.key, {
      item: entry.item,
      attempt: entry.attempt + 1,
      notBefore: this.#now() + delay,
    });
    return true;
  }

  /** Resolves when an entry is added or after `ms`, whichever is first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.#wake === done) self.#wake = undefined;
        resolve();
      }
      this.#wake = done;
    });
  }
}
