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
import { PatternPlans } from './pattern/map-plan.js';
import { parseTemplate, type TemplateVariable } from './variables/template.js';

/** Compile work done for lookups nothing had pinned, per kind of artifact. */
export interface CompileCounts {
  readonly jmespath: number;
  readonly regex: number;
  readonly kindSelector: number;
  readonly cel: number;
}

/** A compiled value, or what compiling it threw (thrown again on every use, never retried). */
type Outcome<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly error: unknown };

function attempt<V>(key: string, build: (key: string) => V): Outcome<V> {
  try {
    return { ok: true, value: build(key) };
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
  /** Pinned successes: a hit, the common case on every query's path, is one lookup. */
  readonly #pinned = new Map<string, V>();
  #pinnedFailures: Map<string, Outcome<V>> | undefined;
  #recent: Map<string, Outcome<V>> | undefined;
  readonly #build: (key: string) => V;
  misses = 0;

  constructor(build: (key: string) => V) {
    this.#build = build;
  }

  pin(key: string, build: (key: string) => V = this.#build): Outcome<V> {
    const hit = this.#pinned.get(key);
    if (hit !== undefined) return { ok: true, value: hit };
    let outcome = this.#pinnedFailures?.get(key);
    if (outcome !== undefined) return outcome;
    outcome = this.#recent?.get(key) ?? attempt(key, build);
    if (outcome.ok) this.#pinned.set(key, outcome.value);
    else {
      this.#pinnedFailures ??= new Map();
      this.#pinnedFailures.set(key, outcome);
    }
    return outcome;
  }

  get(key: string): V {
    const hit = this.#pinned.get(key);
    return hit !== undefined ? hit : this.#lookup(key, this.#build);
  }

  getWith(key: string, build: (key: string) => V): V {
    const hit = this.#pinned.get(key);
    return hit !== undefined ? hit : this.#lookup(key, build);
  }

  #lookup(key: string, build: (key: string) => V): V {
    let outcome = this.#pinnedFailures?.get(key) ?? this.#recent?.get(key);
    if (outcome === undefined) {
      this.misses++;
      outcome = attempt(key, build);
      this.#recent ??= new Map();
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
  readonly #jmespath = new Table<CompiledJmespath>(compileJmespath);
  readonly #regex = new Table<RE2JS>((pattern) => RE2JS.compile(pattern));
  readonly #kindSelector = new Table<KindSelector>(parseKindSelector);
  readonly #kindLists = new WeakMap<readonly string[], readonly KindSelector[]>();
  readonly #templates = new Table<readonly TemplateVariable[]>(parseTemplate);
  readonly #cel = new Table<unknown>(() => undefined);
  /** Validate patterns planned with their policy (key order, anchors): see pattern/map-plan.ts. */
  readonly patterns = new PatternPlans();

  /** Compiles a JMESPath expression (and its literal regex patterns) for the owner's lifetime. */
  pinJmespath(expression: string): void {
    const outcome = this.#jmespath.pin(expression);
    if (outcome.ok) for (const pattern of outcome.value.regexLiterals) this.pinRegex(pattern);
  }

  /** The compiled expression; throws what `compileJmespath` throws. */
  jmespath(expression: string): CompiledJmespath {
    return this.#jmespath.get(expression);
  }

  /** Parses the `{{ }}` variables of a text of the owner's policies for its lifetime. */
  pinTemplate(text: string): void {
    this.#templates.pin(text);
  }

  /** The variables of `text`, parsed (not compile work: not counted in `misses`). */
  template(text: string): readonly TemplateVariable[] {
    return this.#templates.get(text);
  }

  pinRegex(pattern: string): void {
    this.#regex.pin(pattern);
  }

  /** The compiled RE2 pattern; throws re2js's error for an invalid one (callers word it). */
  regex(pattern: string): RE2JS {
    return this.#regex.get(pattern);
  }

  pinKindSelector(selector: string): void {
    this.#kindSelector.pin(selector);
  }

  kindSelector(selector: string): KindSelector {
    return this.#kindSelector.get(selector);
  }

  /** A `kinds` list parsed, kept per list object (a rule's list is matched on every request). */
  kindSelectors(kinds: readonly string[]): readonly KindSelector[] {
    let parsed = this.#kindLists.get(kinds);
    if (parsed === undefined) {
      parsed = kinds.map((k) => this.kindSelector(String(k)));
      this.#kindLists.set(kinds, parsed);
    }
    return parsed;
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
    return this.#cel.getWith(key, build) as P;
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
