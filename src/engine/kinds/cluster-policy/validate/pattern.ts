/** @module `validate.pattern` and `validate.anyPattern` rule handlers. */
import type { JsonContext } from '../../../context/json-context.js';
import type { FieldPath } from '../../../diagnostics/diagnostic.js';
import { validatePattern } from '../../../pattern/validate-pattern.js';
import { substituteReferences, substituteVariables } from '../../../variables/substitute.js';
import { templateMarks } from '../../../variables/template.js';
import { ruleError, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { Rule } from '../types.js';
import { anyPatternFailureMessage, patternFailureMessage } from './message.js';

export interface PatternTarget {
  readonly rule: Rule;
  readonly ctx: JsonContext;
  readonly resource: unknown;
  readonly operation: string;
}

/**
 * Kyverno's `/spec/containers/0/image/` as a field path. Keys holding `/` (label and annotation
 * keys) are ambiguous in that form, so segments are rejoined where the resource has such a key.
 */
export function kyvernoPathToFieldPath(kyvernoPath: string, resource: unknown): FieldPath {
  const segs = kyvernoPath.split('/').filter((s) => s !== '');
  const out: (string | number)[] = [];
  let node: unknown = resource;
  for (let i = 0; i < segs.length; ) {
    const seg = segs[i] as string;
    if (Array.isArray(node) && isDigits(seg)) {
      const n = Number(seg);
      out.push(n);
      node = node[n];
      i++;
      continue;
    }
    const map = typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
    // The longest run of segments from here that, joined with `/`, is a key of the map; else one.
    let j = i + 1;
    let key = seg;
    // Only a map with a key holding `/` can have a longer key: most maps have none, and a joined
    // string is a new key to hash per segment.
    if (map !== undefined && i + 1 < segs.length && hasSlashKey(map)) {
      let joined = seg;
      for (let k = i + 1; k < segs.length; k++) {
        joined = `${joined}/${segs[k] as string}`;
        if (Object.hasOwn(map, joined)) {
          j = k + 1;
          key = joined;
        }
      }
    }
    out.push(key);
    node = map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
    i = j;
  }
  return out;
}

/** Whether an own key of `map` holds `/`. */
function hasSlashKey(map: Record<string, unknown>): boolean {
  for (const key in map) if (key.includes('/') && Object.hasOwn(map, key)) return true;
  return false;
}

/** `/^\d+$/` without a regex: one or more ASCII digits. */
function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The pattern with variables and references resolved; its parts without any are the pattern's own. */
function substitutePattern(pattern: unknown, t: PatternTarget): unknown {
  if (templateMarks(pattern) === 0) return pattern;
  return substituteVariables(substituteReferences(pattern, t.ctx.meter, { share: true }), t.ctx, {
    operation: t.operation,
    patternRoot: 'request.object',
    share: true,
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
  const outcome = validatePattern(t.resource, substituted, t.ctx.memo.patterns);
  switch (outcome.status) {
    case 'pass':
      return ruleResult(rule.name, 'Validation', 'pass', `validation rule '${rule.name}' passed.`);
    case 'skip':
      return ruleResult(rule.name, 'Validation', 'skip', outcome.message);
    case 'fail': {
      // ruleResult's keys then the path, as a literal (a spread of it is V8's slow path).
      const message = patternFailureMessage(rule, t.ctx, outcome.path, outcome.message);
      return {
        name: rule.name,
        type: 'Validation',
        status: 'fail',
        message,
        path: kyvernoPathToFieldPath(outcome.path, t.resource),
      };
    }
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
  let firstPath: string | undefined;
  for (const [idx, pattern] of substituted.entries()) {
    const outcome = validatePattern(t.resource, pattern, t.ctx.memo.patterns);
    if (outcome.status === 'pass') {
      return ruleResult(
        rule.name,
        'Validation',
        'pass',
        `validation rule '${rule.name}' anyPattern[${idx}] passed.`,
      );
    }
    if (outcome.status === 'skip') skipped.push(`rule ${rule.name}[${idx}] skipped: ${outcome.message}`);
    else if (outcome.status === 'fail') {
      failed.push(`rule ${rule.name}[${idx}] failed at path ${outcome.path}`);
      firstPath ??= outcome.path;
    } else failed.push(`rule ${rule.name}[${idx}] failed: ${outcome.message}`);
  }
  if (skipped.length > 0 && failed.length === 0) {
    return ruleResult(rule.name, 'Validation', 'skip', skipped.join(' '));
  }
  if (failed.length > 0) {
    const message = anyPatternFailureMessage(rule, failed);
    return firstPath !== undefined
      ? {
          name: rule.name,
          type: 'Validation',
          status: 'fail',
          message,
          path: kyvernoPathToFieldPath(firstPath, t.resource),
        }
      : ruleResult(rule.name, 'Validation', 'fail', message);
  }
  return ruleResult(rule.name, 'Validation', 'pass', rule.validate?.message ?? '');
}
