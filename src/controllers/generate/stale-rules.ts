/**
 * @module Which synchronized generators no longer apply to a trigger, from the engine's answer for
 * it as it is now (Kyverno pkg/engine/background.go filterRule and the generation handler's
 * syncTriggerAction: a trigger that matched and no longer does makes the rule "fail", and a
 * synchronized rule then deletes that trigger's downstream; an unsynchronized one keeps it). A rule
 * no longer applies when it has no result (match or exclude left it out) or was skipped for unmet
 * preconditions; one skipped by an exception, in error, or left out by `applyRules: One` after an
 * earlier rule applied, still does. A GeneratingPolicy no longer applies when it has no result at
 * all (Kyverno's CEL generate controller: "trigger no longer matches the policy").
 */
import type { GenerateRuleInfo } from './generate-rules.js';

export interface RuleOutcome {
  readonly name: string;
  readonly status: string;
  readonly exceptions?: readonly string[];
}

export interface StaleOptions {
  /** The generators are a GeneratingPolicy's (one, named `''`). */
  readonly generatingPolicy: boolean;
  /** The policy's `applyRules: One`. */
  readonly applyOne: boolean;
}

export function staleGenerators(
  generators: readonly GenerateRuleInfo[],
  results: readonly RuleOutcome[],
  options: StaleOptions,
): GenerateRuleInfo[] {
  const candidates = generators.filter((g) => g.synchronize && g.rematchable);
  if (options.generatingPolicy) return results.length === 0 ? candidates : [];
  if (options.applyOne && results.some((r) => r.status === 'pass')) return [];
  return candidates.filter((g) => {
    const r = results.find((x) => x.name === g.name);
    return r === undefined || (r.status === 'skip' && (r.exceptions ?? []).length === 0);
  });
}
