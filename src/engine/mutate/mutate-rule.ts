/** @module Mutate rule handler (stub until the mutation work lands). */
import type { KubeObject } from '../policy/types.js';
import type { RuleEnv } from '../validate/rule-env.js';
import type { RuleResult } from '../verdict/types.js';

export interface MutateOutcome {
  /** No result when the rule does not apply (e.g. mutate-existing during admission). */
  readonly result?: RuleResult;
  /** The resource after this rule; the input when nothing changed. */
  readonly resource: KubeObject;
}

/** Applies one mutate rule to `env.resource`; never throws. */
export function mutateRule(env: RuleEnv & { readonly resource: KubeObject }): MutateOutcome {
  return { resource: env.resource };
}
