/**
 * @module The values one evaluation runs with. The I/O namespaces (`resource`, `http`,
 * `globalContext`, `image`, `time`) are CEL variables whose values carry the evaluation's runtime,
 * as Kyverno binds its library contexts per request; so a compiled program, shared by every
 * request, never holds ports, and two evaluations running at once each see their own. Activations
 * themselves hold no runtime: a program that names a namespace gets it bound per evaluation.
 */
import type { EvaluationRuntime } from '../runtime.js';
import type { CelContextVariable } from './libs/types.js';
import { type CelActivation, isCelActivation, toCelActivation } from './values.js';

/**
 * The CEL values for one evaluation with `runtime`: the activation's own when the program names no
 * I/O namespace (the common case costs nothing), else a view of them with those namespaces bound.
 */
export function evaluationValues(
  activation: Readonly<Record<string, unknown>> | CelActivation,
  runtime: EvaluationRuntime,
  namespaces: readonly CelContextVariable[],
): Readonly<Record<string, unknown>> {
  const values = isCelActivation(activation) ? activation.values : toCelActivation(activation).values;
  if (namespaces.length === 0) return values;
  // The activation's entries stay where they are (its prototype); only the namespaces are added.
  const view: Record<string, unknown> = Object.create(values);
  for (const v of namespaces) view[v.name] = new v.ctor(runtime);
  return view;
}
