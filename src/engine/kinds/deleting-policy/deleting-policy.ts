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
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import type { KubeObject, ObjectMeta } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import {
  bindLazyVariables,
  type CompiledCelException,
  compileExceptions,
  compileExpressions,
  compileNamedExpressions,
  fieldCompiler,
  matchAllConditions,
  type NamedProgram,
  policyScope,
} from '../cel-shared/compile-fields.js';
import { type AdmissionAttributes, matchConstraints } from '../cel-shared/match-constraints.js';
import type { CelPolicyException, MatchConstraints, NamedExpression } from '../cel-shared/types.js';
import type { CelCompile } from '../validating-policy/validating-policy.js';

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

export interface CompiledDeletingPolicy {
  readonly policy: DeletingPolicy;
  readonly key: string;
  readonly namespace?: string;
  readonly conditions: readonly CelProgram[];
  readonly variables: readonly NamedProgram[];
  readonly exceptions: readonly CompiledCelException[];
}

/** CEL variables of DeletingPolicy expressions. */
export const DELETING_POLICY_VARIABLES = ['object', 'namespaceObject', 'variables'] as const;

/** Compiles a DeletingPolicy. Never throws. */
export function compileDeletingPolicy(
  policy: DeletingPolicy,
  options: {
    readonly compile?: CelCompile;
    readonly exceptions?: readonly CelPolicyException[];
  } = {},
): Result<CompiledDeletingPolicy> {
  const issues: Diagnostic[] = [];
  const spec = policy.spec ?? ({} as DeletingPolicySpec);
  const name = policy.metadata.name;
  const c = fieldCompiler('deleting', DELETING_POLICY_VARIABLES, name, issues, options);
  const conditions = compileExpressions(c, spec.conditions, 'conditions');
  const variables = compileNamedExpressions(c, spec.variables, 'variables');
  const exceptions = compileExceptions(c, policy, options.exceptions);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    warnings: [],
    value: {
      policy,
      ...policyScope(policy, 'NamespacedDeletingPolicy'),
      conditions: conditions as CelProgram[],
      variables: variables as NamedProgram[],
      exceptions,
    },
  };
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

/** Evaluates the policy against one existing resource, with the ports of `runtime`. Never throws. */
export function evaluateDeletingPolicy(
  compiled: CompiledDeletingPolicy,
  attributes: Omit<AdmissionAttributes, 'operation'>,
  namespaceObject: KubeObject | null,
  runtime: EvaluationRuntime,
): RuleResult {
  const name = compiled.policy.metadata.name;
  const resource = attributes.object ?? {};
  try {
    let matches = compiled.namespace === undefined || attributes.namespace === compiled.namespace;
    // A document without apiVersion and kind (a JSON payload) is not matched by kind, only by the
    // conditions; a Kubernetes object without matchConstraints matches nothing (Kyverno's engine).
    const typed =
      typeof resource.apiVersion === 'string' &&
      resource.apiVersion !== '' &&
      typeof resource.kind === 'string' &&
      resource.kind !== '';
    if (matches && !typed) matches = wouldDelete(compiled, resource, namespaceObject, runtime);
    else if (matches) {
      // Candidates are listed by the controller, so any operation matches.
      const constraints = compiled.policy.spec.matchConstraints;
      const anyOperation =
        constraints === undefined
          ? undefined
          : {
              ...constraints,
              resourceRules: (constraints.resourceRules ?? []).map((r) => ({
                ...r,
                operations: ['*' as const],
              })),
            };
      const m = matchConstraints(anyOperation, { ...attributes, operation: 'CREATE' }, namespaceObject);
      if (m.error !== undefined) throw new Error(m.error);
      matches = m.matches && wouldDelete(compiled, resource, namespaceObject, runtime);
    }
    return matches
      ? ruleResult(name, 'Validation', 'pass', 'resource matched')
      : ruleResult(name, 'Validation', 'fail', 'resource did not match');
  } catch (e) {
    return ruleResult(name, 'Validation', 'error', errorMessage(e));
  }
}
