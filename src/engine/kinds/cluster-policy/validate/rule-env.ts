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
export function ruleContextEnv(
  rule: Rule,
  request: EvaluationRequest,
  policyNamespace: string | undefined,
): ContextLoadEnv {
  const ruleValues = valuesForRule(request.values?.rules, rule.name);
  // Built field by field (no conditional spreads, V8's slow path): this runs once per rule.
  const env: { -readonly [K in keyof ContextLoadEnv]: ContextLoadEnv[K] } = { ports: request.ports };
  if (policyNamespace !== undefined) env.policyNamespace = policyNamespace;
  if (ruleValues !== undefined) env.ruleValues = { ...ruleValues };
  return env;
}
