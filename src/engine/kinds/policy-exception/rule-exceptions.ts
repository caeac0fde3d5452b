/** @module Which kyverno.io PolicyExceptions apply to a rule and resource (reference §1.1). */
import { evaluateConditions } from '../../conditions/evaluate.js';
import type { JsonContext } from '../../context/json-context.js';
import type { MatchInput } from '../../match/match-input.js';
import type { PolicyException } from '../cluster-policy/types.js';
import { type ExceptionSource, exceptionsNaming } from './exception-index.js';
import { exceptionMatchesResource } from './match-exception.js';

export function exceptionKey(e: PolicyException): string {
  const ns = e.metadata.namespace;
  return ns !== undefined && ns !== '' ? `${ns}/${e.metadata.name}` : e.metadata.name;
}

const NONE: readonly PolicyException[] = Object.freeze([]);

/**
 * Exceptions naming this policy and rule (looked up in an index, or filtered from a list) whose
 * match and conditions hold; a condition that fails to evaluate excludes.
 */
export function matchingExceptions(
  exceptions: ExceptionSource | undefined,
  policyKey: string,
  ruleName: string,
  input: MatchInput,
  ctx: JsonContext,
  operation: string,
): readonly PolicyException[] {
  const naming = exceptionsNaming(exceptions, policyKey, ruleName);
  // Most rules have no exception naming them: no list of their own per rule and resource.
  if (naming.length === 0) return NONE;
  const out: PolicyException[] = [];
  for (const e of naming) {
    if (!exceptionMatchesResource(e, input)) continue;
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
