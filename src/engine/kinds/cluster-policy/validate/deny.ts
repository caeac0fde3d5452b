/** @module `validate.deny`: the rule fails when its conditions hold. */
import { type ConditionsResult, evaluateConditions } from '../../../conditions/evaluate.js';
import type { JsonContext } from '../../../context/json-context.js';
import { ruleError, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { Conditions, Rule } from '../types.js';
import { denyMessage } from './message.js';

export function validateWithDeny(
  deny: { conditions?: Conditions },
  rule: Rule,
  ctx: JsonContext,
  operation: string,
): RuleResult {
  let outcome: ConditionsResult;
  try {
    outcome = evaluateConditions(deny.conditions, ctx, { operation });
  } catch (err) {
    return ruleError(rule.name, 'Validation', 'failed to check deny conditions', err);
  }
  if (!outcome.met)
    return ruleResult(rule.name, 'Validation', 'pass', `validation rule '${rule.name}' passed.`);
  return ruleResult(rule.name, 'Validation', 'fail', denyMessage(rule, ctx, outcome.messages));
}
