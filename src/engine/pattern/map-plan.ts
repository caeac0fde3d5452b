/**
 * @module What validating against one pattern map needs that depends on the map alone: its keys in
 * checking order with their anchors parsed (key-order.ts), the anchor keys whose presence is recorded
 * (anchor-presence.ts), and whether metadata wildcard expansion could change it (wildcard-keys.ts).
 * A policy's patterns are planned once when it is compiled (`planPatterns`, kept by its memo); a
 * pattern built during evaluation is planned when it is checked.
 */

import { isPlainMap } from '../anchors/handler.js';
import { type Anchor, parseAnchor } from '../anchors/parse.js';
import { BoundedMemo } from '../units/bounded-memo.js';
import { orderPatternKeys } from './key-order.js';
import { compileQuickPass, type QuickPass } from './quick-pass.js';
import { expandWithKeys, expansionKeys, mayExpandMetadataWildcards } from './wildcard-keys.js';

type JsonMap = Readonly<Record<string, unknown>>;

export interface PlannedKey {
  readonly key: string;
  /** The key's anchor, when it is one. */
  readonly anchor: Anchor | undefined;
  /**
   * The plan of the key's value in the planned map, when that value is a map: found on first use
   * and kept here, so a walk follows plans without a lookup per map (a plan belongs to one map
   * object, and pattern maps are never changed, so the value is always the same).
   */
  valuePlan: MapPlan | undefined;
  /** The same for the map that every element of the key's array value is checked against. */
  elementPlan: MapPlan | undefined;
}

export interface MapPlan {
  /** Condition, existence, equality and negation anchors: Kyverno's first phase. */
  readonly anchors: readonly PlannedKey[];
  /** The other keys, in checking order. */
  readonly others: readonly PlannedKey[];
  /** Condition, existence and negation anchors, in key order (Kyverno's AnchorMap records these). */
  readonly recorded: readonly PlannedKey[];
  /** Expanding metadata wildcards against some resource could give a different map. */
  readonly expandsMetadata: boolean;
}

const RECORDED = new Set(['condition', 'existence', 'negation']);

function planned(key: string): PlannedKey {
  return { key, anchor: parseAnchor(key), valuePlan: undefined, elementPlan: undefined };
}

export function planMap(pattern: JsonMap): MapPlan {
  const { anchors, others } = orderPatternKeys(pattern);
  const recorded: PlannedKey[] = [];
  for (const key of Object.keys(pattern)) {
    const p = planned(key);
    if (p.anchor !== undefined && RECORDED.has(p.anchor.modifier)) recorded.push(p);
  }
  return {
    anchors: anchors.map(planned),
    others: others.map(planned),
    recorded,
    expandsMetadata: mayExpandMetadataWildcards(pattern),
  };
}

/** Plans of the pattern maps one owner (a compiled policy set, or a policy) validates with. */
export class PatternPlans {
  readonly #plans = new WeakMap<object, MapPlan>();

  /** Plans every map of `pattern` (bounded depth: deeper maps are planned when checked). */
  add(pattern: unknown, depth = 0): void {
    if (depth > 512 || typeof pattern !== 'object' || pattern === null) return;
    if (Array.isArray(pattern)) {
      for (const item of pattern) this.add(item, depth + 1);
      return;
    }
    if (!isPlainMap(pattern) || this.#plans.has(pattern)) return;
    this.#plans.set(pattern, planMap(pattern));
    for (const value of Object.values(pattern)) this.add(value, depth + 1);
  }

  // Per pattern planned with its policy: its compiled pass check, or null when it has none.
  readonly #quick = new WeakMap<object, QuickPass | null>();

  /**
   * The compiled pass check (quick-pass.ts) of a pattern planned with its policy, made on first use;
   * undefined for a pattern built during evaluation (a substituted one: compiling it would cost more
   * than one walk) and for one the walker alone decides.
   */
  quickPass(pattern: unknown): QuickPass | undefined {
    if (typeof pattern !== 'object' || pattern === null || !this.#plans.has(pattern)) return undefined;
    let quick = this.#quick.get(pattern);
    if (quick === undefined) {
      quick = compileQuickPass(pattern, (map) => this.of(map)) ?? null;
      this.#quick.set(pattern, quick);
    }
    return quick ?? undefined;
  }

  /** The map's plan: kept when it was planned with its policy, else made for this check only. */
  of(pattern: JsonMap): MapPlan {
    return this.#plans.get(pattern) ?? planMap(pattern);
  }

  // Per pattern whose metadata has wildcard keys: its expansions by the resource keys they read.
  readonly #expansions = new WeakMap<object, BoundedMemo<string, Expansion>>();

  /**
   * `pattern` with its metadata wildcard keys expanded for `resource`, and the plan of the result.
   * Expansions depend only on the resource's label and annotation keys, so the last few are kept per
   * pattern with their plans (and the plans of their maps) instead of being rebuilt per check.
   */
  expanded(pattern: JsonMap, resource: JsonMap): Expansion {
    const keys = expansionKeys(pattern, resource);
    if (keys === undefined) return { pattern, plan: this.of(pattern) };
    let byKeys = this.#expansions.get(pattern);
    if (byKeys === undefined) {
      byKeys = new BoundedMemo(MAX_EXPANSIONS);
      this.#expansions.set(pattern, byKeys);
    }
    const signature = JSON.stringify(keys);
    let hit = byKeys.get(signature);
    if (hit === undefined) {
      const expanded = expandWithKeys(pattern, keys);
      if (expanded === pattern) hit = { pattern, plan: this.of(pattern) };
      else {
        this.add(expanded);
        hit = { pattern: expanded, plan: this.of(expanded) };
      }
      byKeys.set(signature, hit);
    }
    return hit;
  }
}

/** A pattern as checked against one resource, with its plan. */
export interface Expansion {
  readonly pattern: JsonMap;
  readonly plan: MapPlan;
}

/** Expansions kept per pattern (key sets differ by container name, so they may churn). */
const MAX_EXPANSIONS = 16;
