/**
 * @module The policy set the server answers with. A new set replaces the old one in a single
 * assignment; a request takes the set once, when it starts, and finishes on it whatever is swapped
 * in meanwhile. Until the first set arrives the server is not ready and never answers `allowed`.
 */
import type { PolicySet } from '../engine/index.js';

export interface LoadedSet {
  readonly set: PolicySet;
  readonly policyCount: number;
  /** 1 for the first set, then one more per swap. */
  readonly generation: number;
}

export class PolicyStore {
  #current: LoadedSet | undefined;

  /** The set to answer a request with; undefined until the first one is loaded (not ready). */
  current(): LoadedSet | undefined {
    return this.#current;
  }

  get ready(): boolean {
    return this.#current !== undefined;
  }

  /** Makes `set` the one new requests are answered with; returns its generation. */
  swap(set: PolicySet, policyCount: number): LoadedSet {
    const next = { set, policyCount, generation: (this.#current?.generation ?? 0) + 1 };
    this.#current = next;
    return next;
  }
}
