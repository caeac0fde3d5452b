/** @module Builders for rule results, so every status carries Kyverno's shape and wording. */
import type { RuleResult, RuleStatus, RuleType } from './types.js';

export function ruleResult(name: string, type: RuleType, status: RuleStatus, message: string): RuleResult {
  return { name, type, status, message };
}

/** An `error` built from an underlying error reads `<text>: <error>` as Kyverno's RuleError does. */
export function ruleError(name: string, type: RuleType, text: string, cause: unknown): RuleResult {
  return { name, type, status: 'error', message: `${text}: ${errorMessage(cause)}` };
}

export function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
