/**
 * @module `validate.foreach`: runs a nested validator per list element with `element`/`elementIndex`
 * in the context; the first element that does not pass decides the rule (reference §3.3).
 */

import { evaluateConditions } from '../../../conditions/evaluate.js';
import { evaluateForeachList, setForeachElement } from '../../../context/foreach-element.js';
import { loadContextEntries } from '../../../context/load-context.js';
import { queryErrorMessage } from '../../../context/query-error.js';
import type { FieldPath } from '../../../diagnostics/diagnostic.js';
import { JmespathError } from '../../../jmespath/evaluate.js';
import { LimitExceededError } from '../../../limits.js';
import { isMap } from '../../../model/json-map.js';
import { valuesForRule } from '../../../request.js';
import { errorMessage, ruleError, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { ForEachValidation } from '../types.js';
import { validateWithDeny } from './deny.js';
import { validateWithAnyPattern, validateWithPattern } from './pattern.js';
import { type RuleEnv, ruleContextEnv } from './rule-env.js';

/** The parts a validator runs: the top-level validate block or one foreach entry. */
export interface ValidatorSpec {
  readonly context?: ForEachValidation['context'];
  readonly preconditions?: ForEachValidation['preconditions'];
  readonly pattern?: unknown;
  readonly anyPattern?: unknown[];
  readonly deny?: ForEachValidation['deny'];
  readonly foreach?: readonly ForEachValidation[];
}

/** The element a nested validator applies to, and where it sits in the resource when that is known. */
interface ScopedElement {
  readonly value: Record<string, unknown>;
  readonly path?: FieldPath;
}

/**
 * Where the element at `index` of a foreach `list` sits in the resource: known for a plain field
 * path under `request.object` (`request.object.spec.containers`) or under the enclosing element.
 */
function elementPath(list: string, index: number, outer: ScopedElement | undefined): FieldPath | undefined {
  const m = /^(request\.object|element\d*)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/.exec(list.trim());
  if (m === null) return undefined;
  const segments = (m[2] ?? '').slice(1).split('.');
  const base = m[1] === 'request.object' ? [] : outer?.path;
  return base === undefined ? undefined : [...base, ...segments, index];
}

/**
 * An element's preconditions that could not be evaluated (a variable naming an absent field): Kyverno
 * (validate_resource.go validateElements) skips the element, at any nesting, as if they were unmet.
 */
const UNEVALUABLE_PRECONDITIONS = 'unevaluable-preconditions';

/** Runs a rule's validator (the top level: its context and preconditions were handled by the rule). */
export function runValidator(spec: ValidatorSpec, env: RuleEnv): RuleResult | undefined {
  return validateWith(spec, env, 0, undefined);
}

/** Runs a foreach entry on one element: its own context and preconditions first. */
function runElement(
  spec: ValidatorSpec,
  env: RuleEnv,
  nesting: number,
  element: ScopedElement | undefined,
): RuleResult | undefined | typeof UNEVALUABLE_PRECONDITIONS {
  const { rule, ctx } = env;
  try {
    loadContextEntries(spec.context, ctx, ruleContextEnv(env.rule, env.request, env.policyNamespace));
  } catch (err) {
    return ruleError(rule.name, 'Validation', 'failed to load context', err);
  }
  try {
    const pre = evaluateConditions(spec.preconditions, ctx, { operation: env.request.operation });
    if (!pre.met) return ruleResult(rule.name, 'Validation', 'skip', 'preconditions not met');
  } catch {
    return UNEVALUABLE_PRECONDITIONS;
  }
  return validateWith(spec, env, nesting, element);
}

/** Runs one validator; `element` is the scoped element patterns apply to, when there is one. */
function validateWith(
  spec: ValidatorSpec,
  env: RuleEnv,
  nesting: number,
  element: ScopedElement | undefined,
): RuleResult | undefined {
  const { rule, ctx } = env;
  const operation = env.request.operation;
  if (spec.deny !== undefined) return validateWithDeny(spec.deny, rule, ctx, operation);
  if (spec.pattern !== undefined || spec.anyPattern !== undefined) {
    const scoped = element !== undefined && Object.keys(element.value).length > 0;
    if (!scoped && operation === 'DELETE') return undefined;
    const target = { rule, ctx, resource: scoped ? element.value : env.resource, operation };
    const result =
      spec.pattern !== undefined
        ? validateWithPattern(spec.pattern, target)
        : validateWithAnyPattern(spec.anyPattern, target);
    // A scoped pattern reports paths inside the element; anchor them in the resource when we can.
    if (!scoped || result.path === undefined) return result;
    const { path, ...rest } = result;
    return element.path !== undefined ? { ...rest, path: [...element.path, ...path] } : rest;
  }
  if (spec.foreach !== undefined) return validateForEach(spec.foreach, env, nesting, element);
  return undefined;
}

function validateForEach(
  entries: readonly ForEachValidation[],
  env: RuleEnv,
  nesting: number,
  outerElement: ScopedElement | undefined,
): RuleResult | undefined {
  let applied = 0;
  let listError: string | undefined;
  for (const entry of entries) {
    let elements: unknown[];
    try {
      elements = evaluateForeachList(entry.list, env.ctx, env.request.operation);
    } catch (err) {
      // Kyverno skips a list naming an absent field (`Unknown key`) and remembers any other
      // failure (a function given a value of the wrong type): an error if no entry applied.
      const message = listErrorMessage(entry.list, err);
      if (message !== undefined && !message.includes('Unknown key')) listError = message;
      continue;
    }
    const { result, count } = validateElements(entry, elements, env, nesting, outerElement);
    if (result.status !== 'pass') return result;
    applied += count;
  }
  // Applied to no element (no list, an empty or all-null one, every element's preconditions unmet):
  // no rule result at all, as Kyverno has done since v1.12, rather than `skip`.
  if (applied === 0) {
    return listError !== undefined
      ? ruleError(env.rule.name, 'Validation', 'failed to evaluate list', listError)
      : undefined;
  }
  return ruleResult(env.rule.name, 'Validation', 'pass', 'rule passed');
}

/** How Kyverno words a failed list query; undefined for a limit (the meter reports those). */
function listErrorMessage(list: string, err: unknown): string | undefined {
  if (err instanceof LimitExceededError) return undefined;
  return err instanceof JmespathError ? queryErrorMessage(list, err) : errorMessage(err);
}

function validateElements(
  entry: ForEachValidation,
  elements: readonly unknown[],
  env: RuleEnv,
  nesting: number,
  outerElement: ScopedElement | undefined,
): { result: RuleResult; count: number } {
  const { ctx, rule } = env;
  const foreachValues = valuesForRule(env.request.values?.foreachValues, rule.name);
  let count = 0;
  ctx.checkpoint();
  try {
    for (const [index, element] of elements.entries()) {
      if (element === null || element === undefined) continue;
      ctx.restore();
      setForeachElement(ctx, element, index, nesting, foreachValues, elements);
      let scoped = isMap(element);
      if (entry.elementScope !== undefined) {
        if (entry.elementScope && !isMap(element)) {
          const err = new Error(
            `cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got type=${Array.isArray(element) ? '[]interface {}' : typeof element}`,
          );
          return { result: ruleError(rule.name, 'Validation', 'failed to process foreach', err), count };
        }
        scoped = entry.elementScope;
      }
      let nextElement = outerElement;
      if (scoped && isMap(element)) {
        const path = elementPath(entry.list, index, outerElement);
        nextElement = path !== undefined ? { value: element, path } : { value: element };
      }
      const r = runElement(entry, env, nesting + 1, nextElement);
      if (r === undefined || r === UNEVALUABLE_PRECONDITIONS || r.status === 'skip') continue;
      if (r.status !== 'pass') {
        // Any error, like a failure, is the rule's verdict at once, whichever element it is.
        const failure = ruleResult(rule.name, 'Validation', r.status, `validation failure: ${r.message}`);
        return { result: r.path !== undefined ? { ...failure, path: r.path } : failure, count };
      }
      count++;
    }
    return { result: ruleResult(rule.name, 'Validation', 'pass', ''), count };
  } finally {
    ctx.reset();
  }
}
