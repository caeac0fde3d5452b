/**
 * @module What every `foreach` (validate, mutate, generate) shares: the list query (Kyverno's
 * EvaluateList) and the element variables set in the context for each element.
 */

import { substituteVariables } from '../variables/substitute.js';
import type { JsonContext } from './json-context.js';

/**
 * Evaluates a foreach `list` query; `{{ }}` in it is substituted first. A non-list result is
 * returned as is (callers decide: Kyverno's validate/mutate wrap it as one element). Throws on
 * substitution or query errors, and `LimitExceededError` for a list longer than `maxForeachElements`.
 */
export function queryForeachList(list: string, ctx: JsonContext, operation: string): unknown {
  const expr = list.trim();
  const substituted = expr.includes('{{') ? substituteVariables(expr, ctx, { operation }) : expr;
  const value = typeof substituted === 'string' ? ctx.query(substituted.trim()) : substituted;
  if (Array.isArray(value) && value.length > ctx.meter.limits.maxForeachElements)
    ctx.meter.exceed('maxForeachElements', `the foreach list ${list.trim()} has ${value.length} elements`);
  return value;
}

/** Kyverno's EvaluateList: the list query, with a non-list result wrapped as a single element. */
export function evaluateForeachList(list: string, ctx: JsonContext, operation: string): unknown[] {
  const value = queryForeachList(list, ctx, operation);
  return Array.isArray(value) ? value : [value];
}

/**
 * Sets `element`/`elementIndex` and, for nesting depth N, `element<N>`/`elementIndex<N>`, plus the
 * values file's `foreachValues` for this index.
 */
export function setForeachElement(
  ctx: JsonContext,
  element: unknown,
  index: number,
  nesting: number,
  foreachValues?: Readonly<Record<string, readonly unknown[]>>,
): void {
  // Once per element: nested lists multiply, so each element is a point to look at the clock.
  ctx.meter.checkTime();
  ctx.set('element', element);
  ctx.set('elementIndex', index);
  ctx.set(`element${nesting}`, element);
  ctx.set(`elementIndex${nesting}`, index);
  for (const [name, values] of Object.entries(foreachValues ?? {})) {
    if (index < values.length) ctx.set(name, values[index]);
  }
}
