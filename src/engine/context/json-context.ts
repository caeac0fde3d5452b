/**
 * @module The JSON evaluation context of a rule (Kyverno `pkg/engine/context`): one JSON document
 * (`request`, `images`, context entries, `element`...) queried with JMESPath, with a stack of
 * checkpoints so foreach elements and rules can roll their additions back. The document is
 * persistent: `set` copies the maps along its path instead of changing them, so a checkpoint is just
 * a reference to an earlier root and costs nothing to take or restore.
 */
import { CompileMemo } from '../compile-memo.js';
import { searchJmespath } from '../jmespath/evaluate.js';
import type { FunctionContext } from '../jmespath/functions/types.js';
import { fromGoInts } from '../jmespath/go-int.js';
import { jsonSize, LimitMeter } from '../limits.js';
import { goIntView } from './patched-objects.js';
import { splitVariableKey } from './variable-key.js';

export interface JsonContextOptions {
  /** Clock/randomness for time_now*()/random(); absent → those functions error. */
  readonly functionContext?: FunctionContext;
  /**
   * Adopt `root` as it is instead of deep-copying it. For callers that build a fresh root around data
   * nothing changes during the evaluation (the request context shares the resource: copying a Pod per
   * policy was the largest per-resource cost). The context itself never changes data in place.
   */
  readonly adoptRoot?: boolean;
  /** The limits this context's queries, substitutions and additions are charged to; default limits otherwise. */
  readonly meter?: LimitMeter;
  /**
   * Where queries and regex patterns are compiled and kept: the compiled policy's (its expressions are
   * pinned there). Absent: a memo of this context's own.
   */
  readonly memo?: CompileMemo | undefined;
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

/** Top-level keys holding the request being evaluated, which `maxContextSize` does not count. */
const UNCOUNTED = new Set(['request', 'images']);

/** A context entry that could not be loaded: its error is the answer of any query naming it. */
interface UnloadedEntry {
  readonly name: string;
  /** Kyverno's deferred-loader matcher: the name as a word, not after a `.` (`x` in `x.y`, not `y.x`). */
  readonly named: RegExp;
  readonly error: Error;
}

interface Checkpoint {
  readonly root: JsonMap;
  readonly size: number | undefined;
  readonly unloaded: readonly UnloadedEntry[];
  readonly goInts: boolean;
  readonly goIndex: boolean;
}

const NONE: readonly UnloadedEntry[] = [];

export class JsonContext {
  #root: JsonMap;
  /** JSON size of `#root`, measured on the first addition (most rules never add anything). */
  #size: number | undefined;
  readonly #checkpoints: Checkpoint[] = [];
  #unloaded: readonly UnloadedEntry[] = NONE;
  /** Whether the document holds Go integers (jmespath/go-int.ts): query results are then turned back into numbers. */
  #goInts = false;
  /** Whether `elementIndex` is set (a Go integer): only a result that can hold it is turned back. */
  #goIndex = false;
  readonly #functionContext: FunctionContext;
  readonly meter: LimitMeter;
  readonly memo: CompileMemo;

  constructor(root?: Record<string, unknown>, options: JsonContextOptions = {}) {
    this.meter = options.meter ?? new LimitMeter();
    this.memo = options.memo ?? new CompileMemo();
    this.#root = root === undefined ? {} : options.adoptRoot === true ? root : cloneJson(root);
    // Built field by field: an object spread followed by more fields takes V8's slow path, and a
    // context is made per policy and request.
    const given = options.functionContext;
    const functionContext: { -readonly [K in keyof FunctionContext]: FunctionContext[K] } = {};
    if (given?.now !== undefined) functionContext.now = given.now;
    if (given?.random !== undefined) functionContext.random = given.random;
    functionContext.meter = this.meter;
    functionContext.memo = this.memo;
    this.#functionContext = functionContext;
  }

  /** The current JSON document. Treat as read-only; write through `set`. */
  get root(): Record<string, unknown> {
    return this.#root;
  }

  /** Clock, randomness, the meter and the memo, for JMESPath searches over other data (context entry loaders). */
  get functionContext(): FunctionContext {
    return this.#functionContext;
  }

  /**
   * Stores `value` at a dotted path (`request.object.metadata.name`, `cm`), creating maps on the
   * way and replacing whatever was there (including non-map intermediates). Throws
   * `LimitExceededError` (maxContextSize) before copying a value that would make the context too large.
   */
  set(path: string, value: unknown): void {
    this.setKeys(path.split('.'), value, path);
  }

  /**
   * `set` for an object a patch produced, when Kyverno's CLI is followed: its integers are held as
   * Go integers for JMESPath (Kyverno decodes the patched JSON with int64s, see jmespath/go-int.ts).
   */
  setPatched(path: string, value: unknown): void {
    this.setKeys(path.split('.'), value, path, true);
  }

  /** Records that the document (as adopted) holds Go integers. */
  markGoInts(): void {
    this.#goInts = true;
  }

  /** Sets the foreach `elementIndex` variables: Go integers (Kyverno's AddElement adds an int64). */
  setElementIndex(nesting: number, index: number): void {
    const value = BigInt(index);
    this.setKeys(['elementIndex'], value, 'elementIndex');
    this.setKeys([`elementIndex${nesting}`], value, `elementIndex${nesting}`);
    this.#goIndex = true;
  }

  /** Whether Go integers were put in the document (foreach elements taken from it keep theirs). */
  get goInts(): boolean {
    return this.#goInts;
  }

  /**
   * Stores a values-file variable: its name is split as Kyverno's AddVariable splits it (quoted
   * parts keep their dots); a name whose quoting is malformed is split at every dot.
   */
  setVariable(name: string, value: unknown): void {
    this.setKeys(splitVariableKey(name) ?? name.split('.'), value, name);
  }

  private setKeys(path: readonly string[], value: unknown, display: string, goInts = false): void {
    const keys = [...path];
    const last = keys.pop();
    if (last === undefined || last === '') return;
    this.#chargeSize(keys, last, display, value);
    const root: JsonMap = { ...this.#root };
    let node = root;
    for (const key of keys) {
      const next = node[key];
      const copy: JsonMap = isMap(next) ? { ...next } : {};
      node[key] = copy;
      node = copy;
    }
    if (goInts) {
      node[last] = goIntView(value);
      this.#goInts = true;
    } else node[last] = cloneJson(value);
    this.#root = root;
  }

  /**
   * Measures the context as it would be after `set`, before anything is copied. What the evaluation
   * adds is counted (values, context entries, foreach elements); the request and its images are the
   * input itself, bounded when it was read, and a mutated `request.object` replaces it.
   */
  #chargeSize(keys: readonly string[], last: string, path: string, value: unknown): void {
    const top = keys[0] ?? last;
    if (UNCOUNTED.has(top)) return;
    const limit = this.meter.limits.maxContextSize;
    if (this.#size === undefined) {
      let size = 2;
      for (const [k, v] of Object.entries(this.#root))
        if (!UNCOUNTED.has(k)) size += jsonSize(v, limit) + k.length + 4;
      this.#size = size;
    }
    let node: unknown = this.#root;
    for (const key of keys) node = isMap(node) ? node[key] : undefined;
    const old = isMap(node) ? node[last] : undefined;
    // The replaced value was admitted before, so measuring it is bounded too.
    const oldSize = old === undefined ? 0 : jsonSize(old) + last.length + 4;
    const room = limit - this.#size + oldSize;
    const added = jsonSize(value, room) + last.length + 4;
    if (added > room)
      this.meter.exceed('maxContextSize', `the context with ${path} added (${added} more characters)`);
    this.#size = this.#size - oldSize + added;
  }

  /** Remembers the current state (a reference: roots are never changed in place). */
  checkpoint(): void {
    this.#checkpoints.push({
      root: this.#root,
      size: this.#size,
      unloaded: this.#unloaded,
      goInts: this.#goInts,
      goIndex: this.#goIndex,
    });
  }

  /** Returns to the last checkpoint, keeping it on the stack (for the next foreach element). */
  restore(): void {
    const top = this.#checkpoints[this.#checkpoints.length - 1];
    if (top !== undefined) {
      this.#root = top.root;
      this.#size = top.size;
      this.#unloaded = top.unloaded;
      this.#goInts = top.goInts;
      this.#goIndex = top.goIndex;
    }
  }

  /** How many checkpoints are taken; with `unwind`, lets a caller undo what an interrupted rule left. */
  get depth(): number {
    return this.#checkpoints.length;
  }

  /** Pops checkpoints until `depth` remain, returning to the oldest one popped. */
  unwind(depth: number): void {
    while (this.#checkpoints.length > depth) this.reset();
  }

  /** Pops the last checkpoint and returns to it. */
  reset(): void {
    const top = this.#checkpoints.pop();
    if (top !== undefined) {
      this.#root = top.root;
      this.#size = top.size;
      this.#unloaded = top.unloaded;
      this.#goInts = top.goInts;
      this.#goIndex = top.goIndex;
    }
  }

  /**
   * Records that context entry `name` could not be loaded (Kyverno's deferred loading, on by
   * default: an entry is loaded when a query first names it, so its failure is an error only for
   * the queries that name it). Until the next reset, every query naming it throws `error`.
   */
  setUnloaded(name: string, error: Error): void {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const named = new RegExp(`(?:^|\\s|[^.0-9A-Za-z])${escaped}\\b`);
    this.#unloaded = [...this.#unloaded, { name, named, error }];
  }

  /** Evaluates a JMESPath expression over the document; throws `JmespathError`, or the load error of an entry it names. */
  query(expression: string): unknown {
    const result = this.queryKeepingGoInts(expression);
    if (this.#goInts) return fromGoInts(result);
    if (!this.#goIndex) return result;
    // Only the index itself, or a structure built from an expression naming it, can hold it.
    if (typeof result === 'bigint') return Number(result);
    return typeof result === 'object' && result !== null && expression.includes('elementIndex')
      ? fromGoInts(result)
      : result;
  }

  /** `query`, with the Go integers of the document kept in the result (a foreach list's elements). */
  queryKeepingGoInts(expression: string): unknown {
    for (const entry of this.#unloaded) if (entry.named.test(expression)) throw entry.error;
    return searchJmespath(expression, this.#root, this.#functionContext);
  }
}
