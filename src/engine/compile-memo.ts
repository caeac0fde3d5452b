/**
 * @module The compiled artifacts of one owner: a compiled policy set (`compilePolicySet` creates one
 * and every policy of the set compiles into it), or one policy compiled on its own. What compile time
 * knows is pinned here then (JMESPath of the policy text, regex literals, kind selectors, the CEL
 * programs of legacy `validate.cel` rules); what only evaluation knows (an expression built by
 * substitution, a pattern read from data) is compiled on first use and kept in a bounded region. The
 * artifacts go when their owner goes: no module holds any. `misses` counts the compile work
 * evaluation caused, so a test can show that evaluating a set compiles nothing per request.
 */
import { RE2JS } from 're2js';
import { type CompiledJmespath, compileJmespath } from './jmespath/evaluate.js';
import { type KindSelector, parseKindSelector } from './match/kind-selector.js';

/** Compile work done for lookups nothing had pinned, per kind of artifact. */
export interface CompileCounts {
  readonly jmespath: number;
  readonly regex: number;
  readonly kindSelector: number;
  readonly cel: number;
}

/** A compiled value, or what compiling it threw (thrown again on every use, never retried). */
type Outcome<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly error: unknown };

function attempt<V>(build: () => V): Outcome<V> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    return { ok: false, error };
  }
}

function unwrap<V>(outcome: Outcome<V>): V {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}

/** Evaluation-time entries kept per table; pinned entries are not counted (policy text bounds them). */
const RECENT_LIMIT = 512;

/** One kind of artifact: pinned entries, then a bounded oldest-first region for the rest. */
class Table<V> {
  #pinned: Map<string, Outcome<V>> | undefined;
  #recent: Map<string, Outcome<V>> | undefined;
  misses = 0;

  pin(key: string, build: () => V): Outcome<V> {
    this.#pinned ??= new Map();
    let outcome = this.#pinned.get(key);
    if (outcome === undefined) {
      outcome = this.#recent?.get(key) ?? attempt(build);
      this.#pinned.set(key, outcome);
    }
    return outcome;
  }

  get(key: string, build: () => V): V {
    const pinned = this.#pinned?.get(key);
    if (pinned !== undefined) return unwrap(pinned);
    this.#recent ??= new Map();
    let outcome = this.#recent.get(key);
    if (outcome === undefined) {
      this.misses++;
      outcome = attempt(build);
      if (this.#recent.size >= RECENT_LIMIT) {
        const oldest = this.#recent.keys().next();
        if (oldest.done !== true) this.#recent.delete(oldest.value);
      }
      this.#recent.set(key, outcome);
    }
    return unwrap(outcome);
  }
}

export class CompileMemo {
  readonly #jmespath = new Table<CompiledJmespath>();
  readonly #regex = new Table<RE2JS>();
  readonly #kindSelector = new Table<KindSelector>();
  readonly #cel = new Table<unknown>();

  /** Compiles a JMESPath expression (and its literal regex patterns) for the owner's lifetime. */
  pinJmespath(expression: string): void {
    const outcome = this.#jmespath.pin(expression, () => compileJmespath(expression));
    if (outcome.ok) for (const pattern of outcome.value.regexLiterals) this.pinRegex(pattern);
  }

  /** The compiled expression; throws what `compileJmespath` throws. */
  jmespath(expression: string): CompiledJmespath {
    return this.#jmespath.get(expression, () => compileJmespath(expression));
  }

  pinRegex(pattern: string): void {
    this.#regex.pin(pattern, () => RE2JS.compile(pattern));
  }

  /** The compiled RE2 pattern; throws re2js's error for an invalid one (callers word it). */
  regex(pattern: string): RE2JS {
    return this.#regex.get(pattern, () => RE2JS.compile(pattern));
  }

  pinKindSelector(selector: string): void {
    this.#kindSelector.pin(selector, () => parseKindSelector(selector));
  }

  kindSelector(selector: string): KindSelector {
    return this.#kindSelector.get(selector, () => parseKindSelector(selector));
  }

  /**
   * Compiles a CEL program under `key` (expression and environment shape) for the owner's lifetime.
   * `build` is the caller's, so that this module does not load CEL.
   */
  pinCelProgram(key: string, build: () => unknown): void {
    this.#cel.pin(key, build);
  }

  /** The CEL program under `key`, built by `build` when missing; throws what `build` threw. */
  celProgram<P>(key: string, build: () => P): P {
    return this.#cel.get(key, build) as P;
  }

  /** Compile work evaluation caused so far (lookups of artifacts nothing pinned). */
  get misses(): CompileCounts {
    return {
      jmespath: this.#jmespath.misses,
      regex: this.#regex.misses,
      kindSelector: this.#kindSelector.misses,
      cel: this.#cel.misses,
    };
  }
}
