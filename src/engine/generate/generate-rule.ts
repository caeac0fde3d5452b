/** @module Generate rule handler (stub until the generation work lands). */
import type { RuleEnv } from '../validate/rule-env.js';
import type { RuleResult } from '../verdict/types.js';

/** Computes the objects a generate rule wants; never throws and never writes. */
export function generateRule(_env: RuleEnv): RuleResult | undefined {
  return undefined;
}
