/**
 * @module The steps every rule type shares before its handler: rule values, context entries,
 * preconditions and PolicyExceptions (reference §2.1). Pushes a context checkpoint that the caller
 * pops with `ctx.reset()` once the rule is done.
 */
import { evaluateConditions } from '../../conditions/evaluate.js';
import type { JsonContext } from '../../context/json-context.js';
import { loadContextEntries } from '../../context/load-context.js';
import type { MatchInput } from '../../match/match-input.js';
import { type EvaluationRequest, valuesForRule } from '../../request.js';
import { ruleError, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult, RuleType } from '../../verdict/types.js';
import { exceptionKey, matchingExceptions } from '../policy-exception/rule-exceptions.js';
import type { PolicyException, Rule } from './types.js';
import { ruleContextEnv } from './validate/rule-env.js';

export type PreparedRule =
  | { readonly done: true; readonly result: RuleResult }
  | { readonly done: false; readonly exceptions: readonly PolicyException[] };

/** What a rule with no matching exception is prepared to: one shared answer, not one per rule and resource. */
const READY: PreparedRule = Object.freeze({
  done: false,
  exceptions: Object.freeze([]) as readonly PolicyException[],
});

// Condition options per operation (a handful), not one object per rule and resource.
const conditionOptions = new Map<string, { readonly operation: string }>();

function conditionOptionsFor(operation: string): { readonly operation: string } {
  let options = conditionOptions.get(operation);
  if (options === undefined) {
    options = Object.freeze({ operation });
    // Operations are Kubernetes' four (and what tests pass): bounded all the same.
    if (conditionOptions.size < 64) conditionOptions.set(operation, options);
  }
  return options;
}

export function prepareRule(
  policyKey: string,
  rule: Rule,
  type: RuleType,
  ctx: JsonContext,
  request: EvaluationRequest,
  input: MatchInput,
): PreparedRule {
  const ruleValues = valuesForRule(request.values?.rules, rule.name);
  const policyNamespace = input.policyNamespace;
  ctx.checkpoint();
  if (ruleValues != null) for (const [k, v] of Object.entries(ruleValues)) ctx.setVariable(k, v);
  // Most rules have no context entries: nothing to build their loading environment for.
  if (rule.context != null && rule.context.length > 0) {
    try {
      loadContextEntries(rule.context, ctx, ruleContextEnv(rule, request, policyNamespace));
    } catch (err) {
      return { done: true, result: ruleError(rule.name, type, 'failed to load context', err) };
    }
  }
  try {
    const pre = evaluateConditions(rule.preconditions, ctx, conditionOptionsFor(request.operation));
    if (!pre.met) {
      const msg = pre.message === '' ? 'preconditions not met' : `preconditions not met; ${pre.message}`;
      return { done: true, result: ruleResult(rule.name, type, 'skip', msg) };
    }
  } catch (err) {
    return { done: true, result: ruleError(rule.name, type, 'failed to evaluate preconditions', err) };
  }
  const exceptions = matchingExceptions(
    request.exceptions,
    policyKey,
    rule.name,
    input,
    ctx,
    request.operation,
  );
  if (exceptions.length === 0) return READY;
  // podSecurity rules turn exceptions with podSecurity entries into exclusions instead of a skip.
  const isPss = rule.validate?.podSecurity !== undefined;
  const skipping = isPss ? exceptions.filter((e) => (e.spec.podSecurity ?? []).length === 0) : exceptions;
  if (skipping.length > 0) {
    const keys = (isPss ? skipping.slice(0, 1) : skipping).map(exceptionKey);
    const message = isPss
      ? `rule is skipped due to policy exception ${keys.join(', ')}`
      : `rule is skipped due to policy exceptions${keys.join(', ')}`;
    return { done: true, result: { ...ruleResult(rule.name, type, 'skip', message), exceptions: keys } };
  }
  return { done: false, exceptions };
}
