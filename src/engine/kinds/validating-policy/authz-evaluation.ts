/**
 * @module ValidatingPolicies in the authorization modes (`evaluation.mode: Envoy | HTTP`), evaluated
 * as kyverno-authz does (its compiled policy, as Kyverno's CLI runs it): matchConditions on the
 * request (`object`), lazy variables, then the validations in order; the first that returns a
 * response (not null) answers. One rule result named after the policy: `pass` "request allowed",
 * `fail` with the denial, `skip` "request does not match" when nothing answers, `error` when an
 * expression fails under `failurePolicy: Fail` (under `Ignore` the policy gives no answer).
 */

import { EnvoyCheckResponse, HttpCheckResponse } from '../../cel/libs/authz-check.js';
import { type CelActivation, toCelActivation } from '../../cel/values.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import { bindLazyVariables } from '../cel-shared/compile-fields.js';
import { envoyCheckRequest, httpCheckRequest } from './authz-request.js';
import type { CompiledValidatingPolicy } from './validating-policy.js';

export type AuthzMode = 'Envoy' | 'HTTP';

class Failure extends Error {}

/** The answer of one validation: a response, or undefined (null: no opinion). Throws Failure. */
function responseOf(mode: AuthzMode, out: unknown): EnvoyCheckResponse | HttpCheckResponse | undefined {
  if (out === null || out === undefined) return undefined;
  if (mode === 'Envoy' && out instanceof EnvoyCheckResponse) return out;
  if (mode === 'HTTP' && out instanceof HttpCheckResponse) return out;
  const want = mode === 'Envoy' ? 'envoy.service.auth.v3.CheckResponse' : 'http.CheckResponse';
  throw new Failure(`rule result is expected to be ${want}`);
}

function answer(
  compiled: CompiledValidatingPolicy,
  request: unknown,
  runtime: EvaluationRuntime,
  mode: AuthzMode,
) {
  const main = compiled.variants.find((v) => v.autogen === undefined);
  if (main === undefined) return undefined;
  const values = { ...toCelActivation({ object: request }).values };
  const activation: CelActivation = { celActivation: true, values };
  const errors: string[] = [];
  for (const condition of main.matchConditions) {
    let out: unknown;
    try {
      out = condition.evaluate(activation, runtime);
    } catch (e) {
      errors.push(errorMessage(e));
      continue;
    }
    if (typeof out !== 'boolean')
      errors.push(`expected a bool result, got ${out === null ? 'null' : typeof out}`);
    else if (!out) return undefined;
  }
  if (errors.length > 0) throw new Failure(errors.join('; '));
  bindLazyVariables(values, main.variables, activation, runtime);
  for (const v of main.validations) {
    let out: unknown;
    try {
      out = v.program.evaluateRaw(activation, runtime);
    } catch (e) {
      throw new Failure(errorMessage(e));
    }
    const response = responseOf(mode, out);
    if (response !== undefined) return response;
  }
  return undefined;
}

/** Evaluates an authorization-mode policy on one request given as JSON. Never throws. */
export function evaluateValidatingPolicyAuthz(
  compiled: CompiledValidatingPolicy,
  mode: AuthzMode,
  requestJson: unknown,
  runtime: EvaluationRuntime,
): RuleResult {
  const name = compiled.policy.metadata.name;
  const request = mode === 'Envoy' ? envoyCheckRequest(requestJson) : httpCheckRequest(requestJson);
  let response: EnvoyCheckResponse | HttpCheckResponse | undefined;
  try {
    response = answer(compiled, request, runtime, mode);
  } catch (e) {
    if (compiled.failurePolicy === 'Fail') return ruleResult(name, 'Validation', 'error', errorMessage(e));
    response = undefined;
  }
  if (response instanceof EnvoyCheckResponse) {
    const { ok, denied } = response.fields;
    if (ok !== undefined) return ruleResult(name, 'Validation', 'pass', 'request allowed');
    if (denied !== undefined)
      return ruleResult(name, 'Validation', 'fail', `request denied with status code ${denied.fields.code}`);
  }
  if (response instanceof HttpCheckResponse) {
    const { ok, denied } = response.fields;
    if (ok !== undefined) return ruleResult(name, 'Validation', 'pass', 'request allowed');
    if (denied !== undefined)
      return ruleResult(name, 'Validation', 'fail', `request denied, reason: ${denied.fields.reason}`);
  }
  return ruleResult(name, 'Validation', 'skip', 'request does not match');
}
