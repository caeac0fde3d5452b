/**
 * @module What every `foreach` (validate, mutate, generate) shares: the list query (Kyverno's
 * EvaluateList) and the element variables set in the context for each element.
 */

import { fromGoInts } from '../jmespath/go-int.js';
import { substituteVariables } from '../variables/substitute.js';
import type { JsonContext } from './json-context.js';

// A list query's own result, Go integers kept (jmespath/go-int.ts), per list handed to the caller
// with numbers: Kyverno sets each element as the query gave it, so an integer of a patched object
// stays a Go integer and a number the query computed (`length(@)`) stays a number.
const withGoInts = new WeakMap<readonly unknown[], readonly unknown[]>();
// The same for a result that is not a list (an object), which the caller wraps as one element.
const objectWithGoInts = new WeakMap<object, unknown>();

function queryList(ctx: JsonContext, expression: string): unknown {
  if (!ctx.goInts) return ctx.query(expression);
  const kept = ctx.queryKeepingGoInts(expression);
  const value = fromGoInts(kept);
  if (value !== kept && typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) withGoInts.set(value, kept as unknown[]);
    else objectWithGoInts.set(value, kept);
  }
  return value;
}

/**
 * Evaluates a foreach `list` query; `{{ }}` in it is substituted first. A non-list result is
 * returned as is (callers decide: Kyverno's validate/mutate wrap it as one element). Throws on
 * substitution or query errors, and `LimitExceededError` for a list longer than `maxForeachElements`.
 */
export function queryForeachList(list: string, ctx: JsonContext, operation: string): unknown {
  const expr = list.trim();
  const substituted = expr.includes('{{') ? substituteVariables(expr, ctx, { operation }) : expr;
  const value = typeof substituted === 'string' ? queryList(ctx, substituted.trim()) : substituted;
  if (Array.isArray(value) && value.length > ctx.meter.limits.maxForeachElements)
    ctx.meter.exceed('maxForeachElements', `the foreach list ${list.trim()} has ${value.length} elements`);
  return value;
}

/** Kyverno's EvaluateList: the list query, with a non-list result wrapped as a single element. */
export function evaluateForeachList(list: string, ctx: JsonContext, operation: string): unknown[] {
  const value = queryForeachList(list, ctx, operation);
  if (Array.isArray(value)) return value;
  const wrapped = [value];
  const kept = typeof value === 'object' && value !== null ? objectWithGoInts.get(value) : undefined;
  if (kept !== undefined) withGoInts.set(wrapped, [kept]);
  return wrapped;
}

/**
 * Sets `element`/`elementIndex` and, for nesting depth N, `element<N>`/`elementIndex<N>`, plus the
 * values file's `foreachValues` for this index. `list`, the list `element` is from, gives the
 * element as the list query gave it (see withGoInts).
 */
export function setForeachElement(
  ctx: JsonContext,
  element: unknown,
  index: number,
  nesting: number,
  foreachValues?: Readonly<Record<string, readonly unknown[]>>,
  list?: readonly unknown[],
): void {
  // Once per element: nested lists multiply, so each element is a point to look at the clock.
  ctx.meter.checkTime();
  const kept = list !== undefined ? withGoInts.get(list) : undefined;
  const value = kept !== undefined ? kept[index] : element;
  ctx.set('element', value);
  ctx.set(`element${nesting}`, value);
  // Kyverno adds the index as a Go int64 (AddElement), which its JMESPath does not take for a number.
  ctx.setElementIndex(nesting, index);
  for (const [name, values] of Object.entries(foreachValues ?? {})) {
    if (index < values.length) ctx.set(name, values[index]);
  }
}
