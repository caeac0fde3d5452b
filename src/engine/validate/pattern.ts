/** @module `validate.pattern` and `validate.anyPattern` rule handlers. */
import type { JsonContext } from '../context/json-context.js';
import { validatePattern } from '../pattern/validate-pattern.js';
import type { Rule } from '../policy/types.js';
import { substituteReferences, substituteVariables } from '../variables/substitute.js';
import { ruleError, ruleResult } from '../verdict/rule-result.js';
import type { RuleResult } from '../verdict/types.js';
import { anyPatternFailureMessage, patternFailureMessage } from './message.js';

export interface PatternTarget {
  readonly rule: Rule;
  readonly ctx: JsonContext;
  readonly resource: unknown;
  readonly operation: string;
}

function substitutePattern(pattern: unknown, t: PatternTarget): unknown {
  return substituteVariables(substituteReferences(pattern), t.ctx, {
    operation: t.operation,
    patternRoot: 'request.object',
  });
}

export function validateWithPattern(pattern: unknown, t: PatternTarget): RuleResult {
  const { rule } = t;
  let substituted: unknown;
  try {
    substituted = substitutePattern(pattern, t);
  } catch (err) {
    return ruleError(rule.name, 'Validation', 'variable substitution failed', err);
  }
  const outcome = validatePattern(t.resource, substituted);
  switch (outcome.status) {
    case 'pass':
      return ruleResult(rule.name, 'Validation', 'pass', `validation rule '${rule.name}' passed.`);
    case 'skip':
      return ruleResult(rule.name, 'Validation', 'skip', outcome.message);
    case 'fail':
      return ruleResult(
        rule.name,
        'Validation',
        'fail',
        patternFailureMessage(rule, t.ctx, outcome.path, outcome.message),
      );
    case 'error':
      return ruleResult(
        rule.name,
        'Validation',
        'error',
        patternFailureMessage(rule, t.ctx, '', outcome.message),
      );
  }
}

export function validateWithAnyPattern(patterns: unknown, t: PatternTarget): RuleResult {
  const { rule } = t;
  if (!Array.isArray(patterns)) {
    return ruleError(
      rule.name,
      'Validation',
      'failed to deserialize anyPattern, expected type array',
      'not a list',
    );
  }
  let substituted: unknown[];
  try {
    substituted = substitutePattern(patterns, t) as unknown[];
  } catch (err) {
    return ruleError(rule.name, 'Validation', 'variable substitution failed', err);
  }
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const [idx, pattern] of substituted.entries()) {
    const outcome = validatePattern(t.resource, pattern);
    if (outcome.status === 'pass') {
      return ruleResult(
        rule.name,
        'Validation',
        'pass',
        `validation rule '${rule.name}' anyPattern[${idx}] passed.`,
      );
    }
    if (outcome.status === 'skip') skipped.push(`rule ${rule.name}[${idx}] skipped: ${outcome.message}`);
    else if (outcome.status === 'fail')
      failed.push(`rule ${rule.name}[${idx}] failed at path ${outcome.path}`);
    else failed.push(`rule ${rule.name}[${idx}] failed: ${outcome.message}`);
  }
  if (skipped.length > 0 && failed.length === 0) {
    return ruleResult(rule.name, 'Validation', 'skip', skipped.join(' '));
  }
  if (failed.length > 0) {
    return ruleResult(rule.name, 'Validation', 'fail', anyPatternFailureMessage(rule, failed));
  }
  return ruleResult(rule.name, 'Validation', 'pass', rule.validate?.message ?? '');
}
