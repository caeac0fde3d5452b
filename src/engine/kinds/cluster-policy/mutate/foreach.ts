/**
 * @module `mutate.foreach` (Kyverno `pkg/engine/handlers/mutation/common.go`): for each entry, the
 * list is evaluated, then every element is patched in turn on the same resource copy, with
 * `element`/`elementIndex` (and `element<N>`/`elementIndex<N>` for nesting depth N) in the context,
 * per-element context entries and preconditions. Strategic-merge entries run in Descending order
 * unless `order` says otherwise (kustomize reverses patch order); `elementIndex` keeps the index.
 */

import { evaluateConditions } from '../../../conditions/evaluate.js';
import { deepEqualJson } from '../../../conditions/operators/_deep-equal.js';
import { evaluateForeachList, setForeachElement } from '../../../context/foreach-element.js';
import { loadContextEntries } from '../../../context/load-context.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { valuesForRule } from '../../../request.js';
import { errorMessage } from '../../../verdict/rule-result.js';
import type { Conditions, ContextEntry } from '../types.js';
import { type RuleEnv, ruleContextEnv } from '../validate/rule-env.js';
import { type PatchOutcome, patchError, patchResource } from './patch-resource.js';

/** Where the mutated object lives in the JSON context: the admission object or a mutate target. */
export type MutatedObjectVariable = 'request.object' | 'target';

export interface ForEachEnv extends RuleEnv {
  /** Context variable refreshed with the patched object after each foreach entry. */
  readonly objectVariable: MutatedObjectVariable;
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Runs a list of foreach entries against `resource`. `pass` carries the patched resource; the
 * message is Kyverno's (`<n> elements processed` on skip); never throws.
 */
export function mutateForEach(
  entries: unknown,
  env: ForEachEnv,
  resource: KubeObject,
  nesting: number,
): PatchOutcome {
  if (!Array.isArray(entries)) {
    return patchError(
      'invalid foreach',
      new Error(`foreach must be a list of entries, got ${typeName(entries)}`),
    );
  }
  let current = resource;
  let applied = 0;
  for (const [i, raw] of entries.entries()) {
    if (!isMap(raw) || typeof raw.list !== 'string') {
      return patchError('invalid foreach', new Error(`foreach[${i}] must be a map with a string list`));
    }
    let elements: unknown[];
    try {
      elements = evaluateForeachList(raw.list, env.ctx, env.request.operation);
    } catch (err) {
      return patchError(`failed to evaluate list ${raw.list}`, err);
    }
    const outcome = mutateElements(raw, elements, env, current, nesting);
    if (outcome.status === 'error')
      return patchError('failed to mutate elements', new Error(outcome.message));
    if (outcome.status === 'skip') continue;
    applied++;
    current = outcome.resource;
    // Kyverno's CLI decodes the patched object with Go integers (jmespath/go-int.ts).
    if (env.request.goIntegers === true) env.ctx.setPatched(env.objectVariable, current);
    else env.ctx.set(env.objectVariable, current);
  }
  if (applied === 0) return { status: 'skip', resource, message: `${applied} elements processed` };
  return { status: 'pass', resource: current, message: `${applied} elements processed` };
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  return v === null ? 'null' : typeof v;
}

function descending(entry: JsonMap): boolean {
  if (entry.order === 'Descending') return true;
  if (entry.order === 'Ascending') return false;
  return entry.patchStrategicMerge !== undefined && entry.patchStrategicMerge !== null;
}

function mutateElements(
  entry: JsonMap,
  elements: readonly unknown[],
  env: ForEachEnv,
  resource: KubeObject,
  nesting: number,
): PatchOutcome {
  const { ctx, rule } = env;
  const foreachValues = valuesForRule(env.request.values?.foreachValues, rule.name);
  const indices = elements.map((_, i) => i);
  if (descending(entry)) indices.reverse();
  let patched = resource;
  ctx.checkpoint();
  try {
    for (const index of indices) {
      const element = elements[index];
      if (element === null || element === undefined) continue;
      ctx.restore();
      setForeachElement(ctx, element, index, nesting, foreachValues, elements);
      try {
        loadContextEntries(
          entry.context as ContextEntry[] | undefined,
          ctx,
          ruleContextEnv(env.rule, env.request, env.policyNamespace),
        );
      } catch (err) {
        return patchError(`failed to load to mutate.foreach[${index}].context`, err);
      }
      try {
        const pre = evaluateConditions(entry.preconditions as Conditions | undefined, ctx, {
          operation: env.request.operation,
        });
        if (!pre.met) continue;
      } catch (err) {
        return patchError(`failed to evaluate mutate.foreach[${index}].preconditions`, err);
      }
      const outcome =
        entry.foreach !== undefined
          ? mutateForEach(entry.foreach, env, patched, nesting + 1)
          : patchResource(entry, ctx, patched, {
              operation: env.request.operation,
              basePath: `/mutate/foreach/${index}`,
            });
      if (outcome.status === 'error') return outcome;
      if (outcome.status === 'pass') patched = outcome.resource;
    }
  } catch (err) {
    return patchError('failed to mutate elements', errorMessage(err));
  } finally {
    ctx.reset();
  }
  if (!deepEqualJson(patched, resource)) return { status: 'pass', resource: patched, message: '' };
  return { status: 'skip', resource, message: 'no patches applied' };
}
