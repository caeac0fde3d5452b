/** @module What a validate handler works with while evaluating one rule. */
import type { JsonContext } from '../context/json-context.js';
import type { Rule } from '../policy/types.js';
import type { EvaluationRequest } from '../request.js';

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
