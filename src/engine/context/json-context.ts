/**
 * @module The JSON evaluation context of a rule (Kyverno `pkg/engine/context`): one JSON document
 * (`request`, `images`, context entries, `element`...) queried with JMESPath, with a stack of
 * checkpoints so foreach elements and rules can roll their additions back. The document is
 * persistent: `set` copies the maps along its path instead of changing them, so a checkpoint is just
 * a reference to an earlier root and costs nothing to take or restore.
 */
import { searchJmespath } from '../jmespath/evaluate.js';
import type { FunctionContext } from '../jmespath/functions/types.js';

export interface JsonContextOptions {
  /** Clock/randomness for time_now*()/random(); absent → those functions error. */
  readonly functionContext?: FunctionContext;
  /**
   * Adopt `root` as it is instead of deep-copying it. For callers that build a fresh root around data
   * nothing changes during the evaluation (the request context shares the resource: copying a Pod per
   * policy was the largest per-resource cost). The context itself never changes data in place.
   */
  readonly adoptRoot?: boolean;
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of JSON data (the context never shares structure with callers). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = cloneJson(v);
    return out as T;
  }
  return value;
}

export class JsonContext {
  #root: JsonMap;
  readonly #checkpoints: JsonMap[] = [];
  readonly #functionContext: FunctionContext | undefined;

  constructor(root?: Record<string, unknown>, options: JsonContextOptions = {}) {
    this.#root = root === undefined ? {} : options.adoptRoot === true ? root : cloneJson(root);
    this.#functionContext = options.functionContext;
  }

  /** The current JSON document. Treat as read-only; write through `set`. */
  get root(): Record<string, unknown> {
    return this.#root;
  }

  get functionContext(): FunctionContext | undefined {
    return this.#functionContext;
  }

  /**
   * Stores `value` at a dotted path (`request.object.metadata.name`, `cm`), creating maps on the
   * way and replacing whatever was there (including non-map intermediates).
   */
  set(path: string, value: unknown): void {
    const keys = path.split('.');
    const last = keys.pop();
    if (last === undefined || last === '') return;
    const root: JsonMap = { ...this.#root };
    let node = root;
    for (const key of keys) {
      const next = node[key];
      const copy: JsonMap = isMap(next) ? { ...next } : {};
      node[key] = copy;
      node = copy;
    }
    node[last] = cloneJson(value);
    this.#root = root;
  }

  /** Remembers the current state (a reference: roots are never changed in place). */
  checkpoint(): void {
    this.#checkpoints.push(this.#root);
  }

  /** Returns to the last checkpoint, keeping it on the stack (for the next foreach element). */
  restore(): void {
    const top = this.#checkpoints[this.#checkpoints.length - 1];
    if (top !== undefined) this.#root = top;
  }

  /** Pops the last checkpoint and returns to it. */
  reset(): void {
    const top = this.#checkpoints.pop();
    if (top !== undefined) this.#root = top;
  }

  /** Evaluates a JMESPath expression over the document; throws `JmespathError`. */
  query(expression: string): unknown {
    return searchJmespath(expression, this.#root, this.#functionContext);
  }
}
