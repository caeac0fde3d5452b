/**
 * @module The activation of one evaluation, bound to its runtime. The I/O namespaces (`resource`,
 * `http`, `globalContext`, `image`, `time`) are CEL variables whose values carry the runtime, as
 * Kyverno binds its library contexts per request; so a compiled program, shared by every request,
 * never holds ports, and two evaluations running at once each see their own.
 */
import type { EvaluationRuntime } from '../runtime.js';
import { CONTEXT_VARIABLES } from './environment.js';
import { type CelActivation, isCelActivation, toCelActivation } from './values.js';

/** Where an activation records the runtime it is bound to (a symbol: no CEL expression can name it). */
const RUNTIME: unique symbol = Symbol('palisade.runtime');

type Values = Record<PropertyKey, unknown>;

/**
 * Sets the runtime and the namespace values on `values` (mutated and returned). A value the caller
 * put under a namespace's name stays (a policy variable of that name wins, as at compile time);
 * one bound for another runtime is replaced.
 */
function bindRuntime(values: Values, runtime: EvaluationRuntime): Values {
  values[RUNTIME] = runtime;
  for (const v of CONTEXT_VARIABLES) {
    const current = values[v.name];
    if (current === undefined || current instanceof v.ctor) values[v.name] = new v.ctor(runtime);
  }
  return values;
}

/**
 * Plain JSON-like values as the activation of evaluations with `runtime`. Build it once per request
 * and share it between that request's expressions: spreading its `values` keeps the binding.
 */
export function celActivation(
  activation: Readonly<Record<string, unknown>>,
  runtime: EvaluationRuntime,
): CelActivation {
  return { celActivation: true, values: bindRuntime(toCelActivation(activation).values, runtime) };
}

/** The CEL values to evaluate with: `activation`'s own when bound to `runtime`, else a bound copy. */
export function activationValues(
  activation: Readonly<Record<string, unknown>> | CelActivation,
  runtime: EvaluationRuntime,
): Readonly<Record<string, unknown>> {
  if (!isCelActivation(activation)) return bindRuntime(toCelActivation(activation).values, runtime);
  const values = activation.values as Readonly<Values>;
  if (values[RUNTIME] === runtime) return activation.values;
  return bindRuntime(Object.assign(Object.create(null), values), runtime);
}
