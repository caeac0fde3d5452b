/**
 * @module `generate.foreach` (Kyverno generator.go generateForeach/generateElements): each entry's
 * `list` is a JMESPath query; every non-null element runs the entry's own context, preconditions and
 * pattern with `element`/`elementIndex` (and `element0`/`elementIndex0`) in the context. Errors
 * of every entry and element are collected and reported together.
 */
import { evaluateConditions } from '../../../conditions/evaluate.js';
import { queryForeachList, setForeachElement } from '../../../context/foreach-element.js';
import { loadContextEntries } from '../../../context/load-context.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { errorMessage } from '../../../verdict/rule-result.js';
import type { Conditions, ContextEntry } from '../types.js';
import { GenerateError } from './errors.js';
import { generatePattern, type PatternEnv } from './generate-pattern.js';
import { isMap, patternOf } from './types.js';

export interface ForeachEnv extends PatternEnv {
  readonly contextEnv: Parameters<typeof loadContextEntries>[2];
  /** `foreachValues` of the values file for this rule: one value per element index. */
  readonly foreachValues?: Readonly<Record<string, readonly unknown[]>>;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (isMap(v)) return 'object';
  return typeof v;
}

/** The elements of a foreach `list`; a missing value means no elements, any other non-list is an error. */
export function evaluateForeachList(list: unknown, env: ForeachEnv): unknown[] {
  if (typeof list !== 'string' || list.trim() === '') {
    throw new GenerateError('foreach.list must be a non-empty JMESPath expression');
  }
  const value = queryForeachList(list, env.ctx, env.operation);
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new GenerateError(`foreach.list "${list}" must evaluate to a list, got ${typeName(value)}`);
  }
  return value;
}

function runElement(
  entry: Record<string, unknown>,
  elements: readonly unknown[],
  index: number,
  env: ForeachEnv,
): KubeObject[] {
  const { ctx } = env;
  setForeachElement(ctx, elements[index], index, 0, env.foreachValues, elements);
  try {
    loadContextEntries(entry.context as ContextEntry[] | undefined, ctx, env.contextEnv);
  } catch (err) {
    throw new GenerateError(`failed to load context: ${errorMessage(err)}`, { cause: err });
  }
  let met: boolean;
  try {
    met = evaluateConditions(entry.preconditions as Conditions | undefined, ctx, {
      operation: env.operation,
    }).met;
  } catch (err) {
    throw new GenerateError(`failed to evaluate preconditions: ${errorMessage(err)}`, { cause: err });
  }
  if (!met) return [];
  return generatePattern(patternOf(entry), env);
}

/** Runs every foreach entry; throws one GenerateError listing every failure. */
export function generateForeach(entries: unknown, ruleName: string, env: ForeachEnv): KubeObject[] {
  if (!Array.isArray(entries))
    throw new GenerateError(`generate.foreach must be a list, got ${typeName(entries)}`);
  const errors: string[] = [];
  const created: KubeObject[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!isMap(entry)) {
      errors.push(`failed to process ${i} foreach in rule ${ruleName}: entry must be an object`);
      continue;
    }
    let elements: unknown[];
    try {
      elements = evaluateForeachList(entry.list, env);
    } catch (err) {
      errors.push(`failed to evaluate ${i} foreach list: ${errorMessage(err)}`);
      continue;
    }
    const elementErrors: string[] = [];
    env.ctx.checkpoint();
    try {
      for (const [index, element] of elements.entries()) {
        if (element === null || element === undefined) continue;
        env.ctx.restore();
        try {
          created.push(...runElement(entry, elements, index, env));
        } catch (err) {
          elementErrors.push(`failed to process ${index} element: ${errorMessage(err)}`);
        }
      }
    } finally {
      env.ctx.reset();
    }
    if (elementErrors.length > 0) {
      errors.push(`failed to process ${i} foreach in rule ${ruleName}: ${elementErrors.join('; ')}`);
    }
  }
  if (errors.length > 0) throw new GenerateError(errors.join('; '));
  return created;
}
