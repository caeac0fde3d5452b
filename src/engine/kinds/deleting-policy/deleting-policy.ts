/**
 * @module DeletingPolicy / NamespacedDeletingPolicy (reference §1.1, §1.4; Kyverno
 * pkg/cel/policies/dpol): would the cleanup controller delete this resource? matchConstraints
 * (operations ignored: candidates are listed, not admitted; skipped for a JSON payload without
 * apiVersion/kind), CEL PolicyExceptions (a match spares
 * the resource), then `conditions` over `object` with lazy `variables`. As in Kyverno's CLI the
 * answer is one rule named after the policy: pass "resource matched" / fail "resource did not
 * match", or error. The cron `schedule` is checked when the policy is loaded.
 */
import type { CelProgram } from '../../cel/compile.js';
import { type CelActivation, toCelActivation } from '../../cel/values.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import type { KubeObject, ObjectMeta } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import {
  type CelKindShape,
  type CelPolicyCompileOptions,
  type CompiledCelPolicyCore,
  compileCelPolicy,
  compiledOnly,
  compilePrograms,
} from '../cel-shared/compile-cel-policy-core.js';
import {
  bindLazyVariables,
  compileDeclaredVariables,
  matchAllConditions,
  type NamedProgram,
  variableNames,
  withDeclaredVariables,
} from '../cel-shared/compile-fields.js';
import { type AdmissionAttributes, matchConstraints } from '../cel-shared/match-constraints.js';
import type { MatchConstraints, NamedExpression } from '../cel-shared/types.js';

export interface DeletingPolicySpec {
  schedule: string;
  matchConstraints?: MatchConstraints;
  conditions?: NamedExpression[];
  variables?: NamedExpression[];
  deletionPropagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

export type DeletingPolicyKind = 'DeletingPolicy' | 'NamespacedDeletingPolicy';

export interface DeletingPolicy {
  apiVersion: string;
  kind: DeletingPolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: DeletingPolicySpec;
}

export interface CompiledDeletingPolicy extends CompiledCelPolicyCore<DeletingPolicy> {
  readonly conditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
}

/** CEL variables of DeletingPolicy expressions. */
export const DELETING_POLICY_VARIABLES = ['object', 'namespaceObject', 'variables'] as const;

const SHAPE: CelKindShape = {
  celKind: 'deleting',
  variables: DELETING_POLICY_VARIABLES,
  namespacedKind: 'NamespacedDeletingPolicy',
};

/** Compiles a DeletingPolicy. Never throws. */
export function compileDeletingPolicy(
  policy: DeletingPolicy,
  options: CelPolicyCompileOptions = {},
): Result<CompiledDeletingPolicy> {
  // Kyverno compiles the variables first, then the conditions, which may read all of them.
  return compileCelPolicy(policy, SHAPE, options, (c, spec) => ({
    conditions: compilePrograms(
      withDeclaredVariables(c, variableNames(spec.variables)),
      spec.conditions,
      'conditions',
    ),
    variables: compiledOnly(compileDeclaredVariables(c, spec.variables)),
  }));
}

/** True when the cleanup controller would delete the resource. Throws on evaluation errors. */
function wouldDelete(
  compiled: CompiledDeletingPolicy,
  resource: KubeObject,
  namespaceObject: KubeObject | null,
  runtime: EvaluationRuntime,
): boolean {
  const base = toCelActivation({ object: resource, namespaceObject });
  for (const e of compiled.exceptions) if (matchAllConditions(e.conditions, base, runtime)) return false;
  const values: Record<string, unknown> = { ...base.values };
  const activation: CelActivation = { celActivation: true, values };
  bindLazyVariables(values, compiled.variables, activation, runtime);
  return matchAllConditions(compiled.conditions, activation, runtime);
}

/**
 * Evaluates the policy against one existing resource, with the ports of `runtime`; `undefined`
 * when matchConstraints do not select it (none do without matchConstraints): Kyverno's CLI gives
 * such a resource no row, as for the other CEL kinds, and the controller leaves it. A namespaced
 * policy's namespace is not checked here: Kyverno's CLI does not, and the controller lists only
 * that namespace. Never throws.
 */
export function evaluateDeletingPolicy(
  compiled: CompiledDeletingPolicy,
  attributes: Omit<AdmissionAttributes, 'operation'>,
  namespaceObject: KubeObject | null,
  runtime: EvaluationRuntime,
): RuleResult | undefined {
  const name = compiled.policy.metadata.name;
  const resource = attributes.object ?? {};
  try {
    let matches: boolean;
    // A document without apiVersion and kind (a JSON payload) is not matched by kind, only by the
    // conditions (Kyverno's engine skips matchConstraints for it).
    const typed =
      typeof resource.apiVersion === 'string' &&
      resource.apiVersion !== '' &&
      typeof resource.kind === 'string' &&
      resource.kind !== '';
    if (!typed) matches = wouldDelete(compiled, resource, namespaceObject, runtime);
    else {
      const constraints = compiled.policy.spec.matchConstraints;
      if (constraints === undefined) return undefined;
      // Candidates are listed by the controller, so any operation matches.
      const anyOperation = {
        ...constraints,
        resourceRules: (constraints.resourceRules ?? []).map((r) => ({
          ...r,
          operations: ['*' as const],
        })),
      };
      const m = matchConstraints(anyOperation, { ...attributes, operation: 'CREATE' }, namespaceObject);
      if (m.error !== undefined) throw new Error(m.error);
      if (!m.matches) return undefined;
      matches = wouldDelete(compiled, resource, namespaceObject, runtime);
    }
    return matches
      ? ruleResult(name, 'Validation', 'pass', 'resource matched')
      : ruleResult(name, 'Validation', 'fail', 'resource did not match');
  } catch (e) {
    return ruleResult(name, 'Validation', 'error', errorMessage(e));
  }
}
