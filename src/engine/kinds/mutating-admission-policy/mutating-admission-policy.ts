/**
 * @module Kubernetes MutatingAdmissionPolicy (+Binding) as Kyverno's CLI evaluates it offline
 * (pkg/admissionpolicy/mutate.go): without bindings the policy's matchConstraints select the
 * request; with bindings every binding whose `matchResources` (if any) match is applied in order,
 * each on the object the previous one left, with the params it selects (`selectParams`) — the
 * policy's own constraints are not consulted then, and the last binding's response is reported.
 * Each pass: matchConditions (they see no params; false → skip "match conditions aren't met"),
 * then the mutations in order, with the deduced schema (every list atomic). The rule result is
 * named after the policy.
 */
import type { CelProgram } from '../../cel/compile.js';
import { type CelActivation, CelLazyMap, toCel, toCelActivation } from '../../cel/values.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import { buildAdmissionRequest, type CelAdmissionInput } from '../cel-shared/admission-evaluation.js';
import {
  compileCelFields,
  compileNamedPrograms,
  compilePrograms,
} from '../cel-shared/compile-cel-policy-core.js';
import type { NamedProgram } from '../cel-shared/compile-fields.js';
import { type CompiledMutation, compileMutations } from '../cel-shared/compile-mutations.js';
import { matchConstraints } from '../cel-shared/match-constraints.js';
import { applyMutationResult } from '../cel-shared/mutation-patchers.js';
import type { MutatingAdmissionPolicy, MutatingAdmissionPolicyBinding } from '../mutating-policy/types.js';
import {
  applicableBindings,
  requestNamespaceObject,
  selectParams,
} from '../validating-admission-policy/admission-binding.js';
import { VAP_VARIABLES } from '../validating-admission-policy/validating-admission-policy.js';

/**
 * CEL variables of MutatingAdmissionPolicy expressions: the ValidatingAdmissionPolicy set
 * (`authorizer` is not offered offline).
 */
export const MUTATING_ADMISSION_POLICY_VARIABLES = VAP_VARIABLES;

export interface CompiledMutatingAdmissionPolicy {
  readonly policy: MutatingAdmissionPolicy;
  /** Bindings whose `policyName` names this policy, in the order given. */
  readonly bindings: readonly MutatingAdmissionPolicyBinding[];
  readonly matchConditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
  readonly mutations: readonly CompiledMutation[];
}

/** What the policy answered: no rules when it did not apply; `patched` when it mutated. */
export interface MutatingAdmissionPolicyResponse {
  readonly rules: readonly RuleResult[];
  readonly patched?: KubeObject;
  /** The binding of the reported (last) evaluation. */
  readonly binding?: MutatingAdmissionPolicyBinding;
  /** Why nothing was reported (Kyverno's CLI logs these and moves on). */
  readonly error?: string;
}

/**
 * Compiles a MutatingAdmissionPolicy with the bindings that name it. Never throws: CEL compile
 * errors come back as `cel/compile-error` diagnostics with the field path.
 */
export function compileMutatingAdmissionPolicy(
  policy: MutatingAdmissionPolicy,
  bindings: readonly MutatingAdmissionPolicyBinding[],
): Result<CompiledMutatingAdmissionPolicy> {
  const name = policy.metadata.name;
  const shape = { celKind: 'mutating', variables: MUTATING_ADMISSION_POLICY_VARIABLES } as const;
  return compileCelFields(name, shape, {}, (c) => {
    const spec = policy.spec ?? {};
    return {
      policy,
      bindings: bindings.filter((b) => b.spec?.policyName === name),
      matchConditions: compilePrograms(c, spec.matchConditions, 'matchConditions'),
      variables: compileNamedPrograms(c, spec.variables, 'variables'),
      mutations: compileMutations(c, spec.mutations),
    };
  });
}

class MatchConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchConditionError';
  }
}

/** Kubernetes matchConditions: any false → no match; errors fail the request (failurePolicy Fail). */
function conditionsMatch(
  compiled: CompiledMutatingAdmissionPolicy,
  activation: CelActivation,
  runtime: EvaluationRuntime,
): boolean {
  const errors: string[] = [];
  for (const p of compiled.matchConditions) {
    try {
      const out = p.evaluate(activation, runtime);
      if (out === false) return false;
      if (out !== true) errors.push('expected a bool result');
    } catch (e) {
      errors.push(errorMessage(e));
    }
  }
  if (errors.length === 0) return true;
  if (compiled.policy.spec?.failurePolicy === 'Ignore') return false;
  throw new MatchConditionError(errors.join('; '));
}

/** One mutation pass (for one binding, or for the policy alone). */
interface MutationPass {
  readonly rules: readonly RuleResult[];
  readonly patched?: KubeObject;
  readonly error?: string;
  /** The error came from matchConditions (not from a mutation). */
  readonly inConditions?: true;
}

/**
 * Kyverno's `mutateResource`: matchConditions (they see no params), then every mutation in order on
 * the object the previous one left. A matchConditions error is an `error` (no response); a mutation
 * error yields an empty response.
 */
function mutateOnce(
  compiled: CompiledMutatingAdmissionPolicy,
  input: CelAdmissionInput,
  object: KubeObject | null,
  params: KubeObject | null,
  runtime: EvaluationRuntime,
): MutationPass {
  const name = compiled.policy.metadata.name;
  const request: CelAdmissionInput = { ...input, attributes: { ...input.attributes, object } };
  const values: Record<string, unknown> = {
    ...toCelActivation({
      object,
      oldObject: input.attributes.oldObject,
      request: buildAdmissionRequest(request),
      params: null,
      namespaceObject: input.namespaceObject,
    }).values,
  };
  const activation: CelActivation = { celActivation: true, values };
  // Kubernetes binds fresh (lazy) variables for every evaluation, so each mutation sees its input.
  const bindVariables = (): void => {
    const lazy: Record<string, () => unknown> = {};
    for (const { name: v, program } of compiled.variables)
      lazy[v] = () => program.evaluateRaw(activation, runtime);
    values.variables = new CelLazyMap(lazy).celValue;
  };
  bindVariables();
  try {
    if (!conditionsMatch(compiled, activation, runtime)) {
      return { rules: [ruleResult(name, 'Mutation', 'skip', "match conditions aren't met")] };
    }
  } catch (e) {
    return { rules: [], error: errorMessage(e), inConditions: true };
  }
  values.params = toCel(params);
  let current: KubeObject = object ?? {};
  try {
    for (const m of compiled.mutations) {
      bindVariables();
      current = applyMutationResult(
        m.patchType,
        current,
        m.program.evaluateRaw(activation, runtime),
        'deduced',
        {
          inputs: {
            object: current,
            celObject: values.object,
            others: [values.oldObject, values.request, values.namespaceObject, values.params],
          },
        },
      );
      values.object = toCel(current);
    }
  } catch (e) {
    return { rules: [], error: errorMessage(e) };
  }
  return {
    rules: [ruleResult(name, 'Mutation', 'pass', 'mutation is successfully applied')],
    patched: current,
  };
}

/**
 * Evaluates the policy (and its bindings) against one request, the way Kyverno's CLI does offline
 * (`processMAPNoBindings` / `processMAPWithoutClient`). Params are read from `paramResources` when
 * given, else from the `admissionParams` port of `runtime`. Never throws.
 */
export function evaluateMutatingAdmissionPolicy(
  compiled: CompiledMutatingAdmissionPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
  paramResources?: readonly KubeObject[],
): MutatingAdmissionPolicyResponse {
  const attrs = input.attributes;
  const namespaceObject = requestNamespaceObject(input);
  const scoped: CelAdmissionInput = { ...input, namespaceObject };
  if (compiled.bindings.length === 0) {
    const m = matchConstraints(compiled.policy.spec?.matchConstraints, attrs, namespaceObject);
    if (m.error !== undefined) return { rules: [], error: m.error };
    if (!m.matches) return { rules: [] };
    const { inConditions: _, ...pass } = mutateOnce(compiled, scoped, attrs.object, null, runtime);
    return pass;
  }
  const resources = paramResources ?? runtime.ports.admissionParams?.list() ?? [];
  // Every applicable binding mutates the object the previous one left; the last response is kept.
  let response: MutatingAdmissionPolicyResponse = { rules: [] };
  let object = attrs.object;
  for (const binding of applicableBindings(compiled.bindings, input, namespaceObject)) {
    const params = selectParams(compiled.policy.spec?.paramKind, binding.spec?.paramRef, resources);
    const pass = mutateOnce(compiled, scoped, object, params, runtime);
    // A matchConditions error drops the binding (Kyverno logs it and goes on).
    if (pass.inConditions === true) continue;
    response = {
      rules: pass.rules,
      binding,
      ...(pass.patched !== undefined ? { patched: pass.patched } : {}),
      ...(pass.error !== undefined ? { error: pass.error } : {}),
    };
    if (pass.patched !== undefined) object = pass.patched;
  }
  return response;
}
