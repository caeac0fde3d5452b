/**
 * @module kyverno.io PolicyExceptions indexed by the policy they name, as Kyverno's exceptions
 * controller keeps them (pkg/controllers/exceptions: policy key → rule name → exceptions), so that
 * a rule looks up its own exceptions instead of scanning every exception on every request.
 * `policyName` is an exact key; `ruleNames` are wildcards, resolved once per (policy, rule) pair.
 */
import { BoundedMemo } from '../../units/bounded-memo.js';
import { getOrCreate } from '../../units/get-or-create.js';
import { RecentMemo } from '../../units/recent-memo.js';
import type { PolicyException } from '../cluster-policy/types.js';
import { exceptionCoversRule } from './match-exception.js';

export interface ExceptionIndex {
  /** Every exception of the index, in the order given. */
  readonly all: readonly PolicyException[];
  /** The exceptions naming this policy key and rule (before match and conditions), in order. */
  forRule(policyKey: string, ruleName: string): readonly PolicyException[];
}

/** What a rule reads its exceptions from: an index (a policy set) or a plain list (direct calls). */
export type ExceptionSource = ExceptionIndex | readonly PolicyException[];

// (policy, rule) pairs are bounded by the set's rules; the bound guards callers that invent names.
const MAX_CACHED_RULES = 4096;

/** Indexes `exceptions` by the policy names in their `spec.exceptions[]`. */
export function indexExceptions(exceptions: readonly PolicyException[]): ExceptionIndex {
  const byPolicy = new Map<string, PolicyException[]>();
  for (const e of exceptions) {
    const names = new Set((e.spec?.exceptions ?? []).map((x) => x.policyName));
    for (const name of names) {
      const list = byPolicy.get(name);
      if (list === undefined) byPolicy.set(name, [e]);
      else list.push(e);
    }
  }
  const cache = new BoundedMemo<string, readonly PolicyException[]>(MAX_CACHED_RULES);
  return {
    all: exceptions,
    forRule(policyKey, ruleName) {
      const candidates = byPolicy.get(policyKey);
      if (candidates === undefined) return NO_EXCEPTIONS;
      const key = `${policyKey}\u0000${ruleName}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const found = candidates.filter((e) => exceptionCoversRule(e, policyKey, ruleName));
      cache.set(key, found);
      return found;
    },
  };
}

/** The exceptions of `source` naming this policy key and rule, in order. */
// A request without exceptions asks per rule: one frozen empty list answers.
const NO_EXCEPTIONS: readonly PolicyException[] = Object.freeze([]);

export function exceptionsNaming(
  source: ExceptionSource | undefined,
  policyKey: string,
  ruleName: string,
): readonly PolicyException[] {
  if (source === undefined) return NO_EXCEPTIONS;
  if (isExceptionList(source)) return source.filter((e) => exceptionCoversRule(e, policyKey, ruleName));
  return source.forRule(policyKey, ruleName);
}

function isExceptionList(source: ExceptionSource): source is readonly PolicyException[] {
  return Array.isArray(source);
}

// One combined index per (set index, request list): a run reuses its extra exceptions per request.
const combined = new WeakMap<ExceptionIndex, RecentMemo<readonly PolicyException[], ExceptionIndex>>();

/** `index` plus `extra` (exceptions a request brings), indexed once per pair. */
export function withExtraExceptions(
  index: ExceptionIndex,
  extra: readonly PolicyException[],
): ExceptionIndex {
  if (extra.length === 0) return index;
  // Per request list: the last few (see RecentMemo; the lists are as short-lived as their requests).
  const perIndex = getOrCreate(
    combined,
    index,
    () => new RecentMemo<readonly PolicyException[], ExceptionIndex>(4),
  );
  return getOrCreate(perIndex, extra, () => indexExceptions([...index.all, ...extra]));
}
