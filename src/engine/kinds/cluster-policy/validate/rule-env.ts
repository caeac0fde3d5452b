/** @module What a rule handler works with while evaluating one rule. */
import type { JsonContext } from '../../../context/json-context.js';
import type { ContextLoadEnv } from '../../../context/load-context.js';
import { type EvaluationRequest, valuesForRule } from '../../../request.js';
import type { Rule } from '../types.js';

export interface RuleEnv {
  readonly rule: Rule;
  readonly ctx: JsonContext;
  readonly request: EvaluationRequest;
  /** The object validated: the new object, or the old one on DELETE. */
  readonly resource: unknown;
  readonly policyNamespace?: string;
  /** `metadata.name` of the policy (generate rules label their objects with it). */
  readonly policyName?: string;
}

/** What loading this rule's context entries needs: ports, the policy namespace and the rule's values. */
export function ruleContextEnv(env: Pick<RuleEnv, 'rule' | 'request' | 'policyNamespace'>): ContextLoadEnv {
  const ruleValues = valuesForRule(env.request.values?.rules, env.rule.name);
  return {
    ports: env.request.ports,
    ...(env.policyNamespace !== undefined ? { policyNamespace: env.policyNamespace } : {}),
    ...(ruleValues !== undefined ? { ruleValues: { ...ruleValues } } : {}),
  };
}
