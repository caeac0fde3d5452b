/** @module Which kyverno.io PolicyExceptions apply to a rule and resource (reference §1.1). */
import { evaluateConditions } from '../../conditions/evaluate.js';
import type { JsonContext } from '../../context/json-context.js';
import type { MatchInput } from '../../match/match-input.js';
import type { PolicyException } from '../cluster-policy/types.js';
import { exceptionApplies } from './match-exception.js';

export function exceptionKey(e: PolicyException): string {
  const ns = e.metadata.namespace;
  return ns !== undefined && ns !== '' ? `${ns}/${e.metadata.name}` : e.metadata.name;
}

/** Exceptions naming this policy and rule whose match and conditions hold; a failing condition excludes. */
export function matchingExceptions(
  exceptions: readonly PolicyException[] | undefined,
  policyKey: string,
  ruleName: string,
  input: MatchInput,
  ctx: JsonContext,
  operation: string,
): PolicyException[] {
  const out: PolicyException[] = [];
  for (const e of exceptions ?? []) {
    if (!exceptionApplies(e, policyKey, ruleName, input)) continue;
    if (e.spec.conditions !== undefined) {
      try {
        if (!evaluateConditions(e.spec.conditions, ctx, { operation }).met) continue;
      } catch {
        continue;
      }
    }
    out.push(e);
  }
  return out;
}
