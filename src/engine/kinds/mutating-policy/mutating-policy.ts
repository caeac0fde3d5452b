/**
 * @module MutatingPolicy / NamespacedMutatingPolicy: compile once (CEL programs for the policy and
 * its pod-controller autogen variants, plus the CEL PolicyExceptions that name it), then evaluate
 * per request with Kyverno's pipeline (reference §1.4; pkg/cel/policies/mpol): matchConstraints →
 * exceptions → lazy variables → matchConditions → mutations in order (each sees the object patched
 * by the previous one). Each variant answers with at most one rule result and its patched object.
 */
import type { CelProgram } from '../../cel/compile.js';
import { type CelActivation, toCel, toCelActivation } from '../../cel/values.js';
import type { Result } from '../../diagnostics/diagnostic.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { ruleError, ruleResult } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import {
  buildAdmissionRequest,
  type CelAdmissionInput,
  evaluateVariants,
} from '../cel-shared/admission-evaluation.js';
import type { AutogenFamily } from '../cel-shared/autogen.js';
import {
  type CelKindShape,
  type CelPolicyCompileOptions,
  type CompiledCelPolicyCore,
  type CompiledVariantCore,
  compileCelPolicy,
  compilePrograms,
  compileVariants,
} from '../cel-shared/compile-cel-policy-core.js';
import {
  bindLazyVariables,
  compileField,
  type FieldCompiler,
  matchAllConditions,
  variableNames,
  withDeclaredVariables,
} from '../cel-shared/compile-fields.js';
import { type CompiledMutation, compileMutations } from '../cel-shared/compile-mutations.js';
import { applyMutationResult } from '../cel-shared/mutation-patchers.js';
import type { TypeSchemas } from '../cel-shared/typed/schema.js';
import type { CelPolicyException, MatchConstraints } from '../cel-shared/types.js';
import { exceptionResult, isFullExemption } from '../policy-exception/cel-exception.js';
import { VALIDATING_POLICY_VARIABLES } from '../validating-policy/validating-policy.js';
import { mutatingAutogenVariants } from './autogen.js';
import type { MutatingPolicy, MutatingPolicySpec } from './types.js';

/** CEL variables declared for MutatingPolicy expressions (the same set as ValidatingPolicies). */
export const MUTATING_POLICY_VARIABLES = VALIDATING_POLICY_VARIABLES;

export interface CompileMutatingPolicyOptions extends CelPolicyCompileOptions {
  /**
   * The type schemas ApplyConfiguration mutations convert and merge with (Kyverno's CLI: the
   * Kubernetes 1.32 builtins, or `--crd` files first). Absent: the untyped merge (merge-keys tables).
   */
  readonly typeSchemas?: TypeSchemas;
}

const SHAPE: CelKindShape = {
  celKind: 'mutating',
  variables: MUTATING_POLICY_VARIABLES,
  namespacedKind: 'NamespacedMutatingPolicy',
};

export type { CompiledMutation } from '../cel-shared/compile-mutations.js';

export interface CompiledMutatingVariant extends CompiledVariantCore {
  readonly mutations: readonly CompiledMutation[];
}

/** How a mutate-existing policy finds and filters its targets (reference §1.4). */
export interface CompiledMutateExistingTarget {
  /**
   * True when `targetMatchConstraints` names targets (resource rules or an expression): targets are
   * then filtered by `targetMatchConditions`; otherwise the policy's own `matchConditions` apply.
   */
  readonly explicit: boolean;
  /** `targetMatchConstraints` when it has resource rules, else the policy's `matchConstraints`. */
  readonly constraints?: MatchConstraints;
  /** `targetMatchConstraints.expression`: evaluated with the trigger as `object`. */
  readonly expression?: CelProgram;
  readonly matchConditions: readonly CelProgram[];
}

export interface CompiledMutatingPolicy extends CompiledCelPolicyCore<MutatingPolicy> {
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** `evaluation.mutateExisting.enabled`: such policies also mutate existing targets. */
  readonly mutateExisting: boolean;
  readonly variants: readonly CompiledMutatingVariant[];
  /** Target selection for mutate-existing (compiled whenever the policy sets target fields). */
  readonly target: CompiledMutateExistingTarget;
  /** See CompileMutatingPolicyOptions.typeSchemas. */
  readonly typeSchemas?: TypeSchemas;
}

/** What one variant answered: no rules when it did not match; `patched` when it mutated. */
export interface MutatingVariantResponse {
  readonly autogen?: AutogenFamily;
  readonly matchConstraints?: MatchConstraints;
  readonly rules: readonly RuleResult[];
  readonly patched?: KubeObject;
}

/**
 * Compiles a MutatingPolicy (and its autogen variants) with the exceptions that refer to it.
 * Never throws: CEL compile errors come back as `cel/compile-error` diagnostics naming the policy
 * and the field path (e.g. `spec.mutations[0].applyConfiguration.expression`).
 */
export function compileMutatingPolicy(
  policy: MutatingPolicy,
  options: CompileMutatingPolicyOptions,
): Result<CompiledMutatingPolicy> {
  return compileCelPolicy(policy, SHAPE, options, (c, spec) => ({
    failurePolicy: spec.failurePolicy === 'Ignore' ? ('Ignore' as const) : ('Fail' as const),
    mutateExisting: spec.evaluation?.mutateExisting?.enabled === true,
    variants: compileVariants(
      c,
      spec,
      mutatingAutogenVariants,
      (c, spec, compile) => ({ mutations: compileMutations(c, spec.mutations, compile) }),
      true,
    ),
    // Kyverno compiles the target's expressions after the variables.
    target: compileTarget(withDeclaredVariables(c, variableNames(spec.variables)), spec),
    ...(options.typeSchemas !== undefined ? { typeSchemas: options.typeSchemas } : {}),
  }));
}

function compileTarget(c: FieldCompiler, spec: MutatingPolicySpec): CompiledMutateExistingTarget {
  const tc = spec.targetMatchConstraints;
  const hasRules = (tc?.resourceRules ?? []).length > 0;
  const hasExpression = typeof tc?.expression === 'string' && tc.expression !== '';
  const expression = hasExpression
    ? compileField(c, tc?.expression, ['spec', 'targetMatchConstraints', 'expression'])
    : undefined;
  const matchConditions = compilePrograms(c, spec.targetMatchConditions, 'targetMatchConditions');
  const constraints = hasRules ? tc : spec.matchConstraints;
  return {
    explicit: hasRules || hasExpression,
    ...(constraints !== undefined ? { constraints } : {}),
    ...(expression !== undefined ? { expression } : {}),
    matchConditions,
  };
}

// ---- evaluation ---------------------------------------------------------------------------------

/** What CEL sees during one evaluation. */
export interface MutatingEvaluationData {
  readonly object: KubeObject | null;
  readonly oldObject: unknown;
  readonly request: unknown;
  readonly namespaceObject: unknown;
}

/**
 * Exceptions, variables, `conditions`, mutations: Kyverno's mpol `Policy.evaluate` (admission:
 * `conditions` are the variant's matchConditions; a mutate-existing target: targetMatchConditions).
 */
export function evaluateMutations(
  compiled: CompiledMutatingPolicy,
  variant: CompiledMutatingVariant,
  data: MutatingEvaluationData,
  runtime: EvaluationRuntime,
  conditions: readonly CelProgram[] = variant.matchConditions,
): { rule: RuleResult; patched?: KubeObject } {
  const values: Record<string, unknown> = { ...toCelActivation({ ...data }).values };
  const activation: CelActivation = { celActivation: true, values };
  try {
    const allowedImages: string[] = [];
    const allowedValues: string[] = [];
    if (compiled.exceptions.length > 0) {
      const matched: CelPolicyException[] = [];
      let full = false;
      for (const e of compiled.exceptions) {
        let hit: boolean;
        try {
          hit = matchAllConditions(e.conditions, activation, runtime);
        } catch (err) {
          // A broken exception cannot take back an exemption already granted.
          if (full) continue;
          throw err;
        }
        if (!hit) continue;
        matched.push(e.exception);
        if (isFullExemption(e.exception)) full = true;
        else if (!full) {
          allowedImages.push(...(e.exception.spec.images ?? []));
          allowedValues.push(...(e.exception.spec.allowedValues ?? []));
        }
      }
      if (full) {
        const r = exceptionResult(matched, 'exception');
        return { rule: { ...r, type: 'Mutation' } };
      }
    }
    values.exceptions = toCel({ allowedImages, allowedValues });
    // Variables are evaluated on first use and then kept, even after a mutation changes `object`.
    bindLazyVariables(values, variant.variables, activation, runtime);
    if (!matchAllConditions(conditions, activation, runtime)) {
      return { rule: ruleResult('', 'Mutation', 'skip', 'skip') };
    }
    let current: KubeObject = data.object ?? {};
    for (const m of variant.mutations) {
      const raw = m.program.evaluateRaw(activation, runtime);
      current = applyMutationResult(m.patchType, current, raw, compiled.typeSchemas ?? 'builtin', {
        inputs: {
          object: current,
          celObject: values.object,
          others: [values.oldObject, values.request, values.namespaceObject],
        },
        serverSideApply: compiled.policy.spec?.evaluation?.useServerSideApply === true,
      });
      values.object = toCel(current);
    }
    return { rule: ruleResult('', 'Mutation', 'pass', 'success'), patched: current };
  } catch (e) {
    return { rule: ruleError('evaluation', 'Mutation', 'failed to evaluate policy', e) };
  }
}

/**
 * Evaluates a MutatingPolicy against one admission request, with the ports of `runtime`: one
 * response per variant (the policy, then its autogen variants), each on the request's object.
 * `requestInput`, when given, is the request CEL `request` describes (the admitted object before
 * earlier policies patched it). Never throws.
 */
export function evaluateMutatingPolicy(
  compiled: CompiledMutatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
  requestInput: CelAdmissionInput = input,
): MutatingVariantResponse[] {
  // When policies run one after another, `object` is the object so far but `request` stays the
  // admitted one (Kyverno builds the request value once per admission).
  const request = requestInput === input ? undefined : buildAdmissionRequest(requestInput);
  return evaluateVariants(compiled, input, 'match', (variant, data) => {
    const r = evaluateMutations(
      compiled,
      variant,
      request === undefined ? data : { ...data, request },
      runtime,
    );
    return { rules: [r.rule], ...(r.patched !== undefined ? { patched: r.patched } : {}) };
  });
}
