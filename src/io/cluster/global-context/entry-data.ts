/**
 * @module What one GlobalContextEntry answers, as Kyverno's store entries do
 * (`pkg/globalcontext/k8sresource`, `externalapi`): the whole data for `entry`, a named projection's
 * result for `entry.projection`. Projections are JMESPath over the data, computed once per change
 * of the data (a collection that changes often is projected only when read).
 */
import { CompileMemo, searchJmespath } from '../../../engine/index.js';

export type EntryAnswer =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly error: string };

export interface EntryData {
  get(projection: string): EntryAnswer;
  stop(): void;
}

export interface Projection {
  readonly name: string;
  readonly jmesPath: string;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Projections of one value, computed on first read after each change. */
export class Projector {
  readonly #projections: readonly Projection[];
  readonly #memo = new CompileMemo();
  #results: Map<string, EntryAnswer> | undefined;

  constructor(projections: readonly Projection[]) {
    this.#projections = projections;
  }

  /** The data changed: projections are computed again when next read. */
  invalidate(): void {
    this.#results = undefined;
  }

  /** `projection` of `data`, or undefined when the entry declares no such projection. */
  project(projection: string, data: () => unknown): EntryAnswer | undefined {
    if (this.#results === undefined) {
      const value = data();
      this.#results = new Map();
      for (const p of this.#projections) {
        try {
          this.#results.set(p.name, {
            ok: true,
            data: searchJmespath(p.jmesPath, value, { memo: this.#memo }),
          });
        } catch (err) {
          this.#results.set(p.name, {
            ok: false,
            error: `failed to apply projection "${p.name}": ${text(err)}`,
          });
        }
      }
    }
    return this.#results.get(projection);
  }
}
