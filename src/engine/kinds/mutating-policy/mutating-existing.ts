/**
 * @module Mutate-existing MutatingPolicies (`evaluation.mutateExisting.enabled`; reference §1.4,
 * Kyverno pkg/background/mpol and the mpol engine's `Evaluate`): an admitted trigger makes the
 * policy patch other, existing objects. Targets are named by `targetMatchConstraints` (resource
 * rules, or a CEL `expression` evaluated with the trigger as `object`) or, without it, by the
 * policy's own `matchConstraints`. Each target is evaluated with the target as `object`, the
 * trigger's request as `request`, and `targetMatchConditions` (explicit targets) or the policy's
 * `matchConditions`; policies patching the same target see each other's patches.
 */
import { type CelActivation, toCelActivation } from '../../cel/values.js';
import { isMap } from '../../model/json-map.js';
import type { KubeObject } from '../../model/kube-object.js';
import { kindForResource, objectIdentity } from '../../model/resource-kinds.js';
import type { ClusterReader } from '../../ports.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { errorMessage, ruleError } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import {
  buildAdmissionRequest,
  type CelAdmissionInput,
  outsidePolicyNamespace,
} from '../cel-shared/admission-evaluation.js';
import { bindLazyVariables, matchAllConditions } from '../cel-shared/compile-fields.js';
import { type AdmissionAttributes, matchConstraints } from '../cel-shared/match-constraints.js';
import type { MatchConstraints } from '../cel-shared/types.js';
import { type CompiledMutatingPolicy, evaluateMutations } from './mutating-policy.js';

/** The target expression failed or returned something other than an object or a list. */
export class TargetSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetSelectionError';
  }
}

/** One policy's answer for one target (no `target` when its targets could not be selected). */
export interface MutateExistingResponse {
  readonly policy: CompiledMutatingPolicy;
  readonly target?: KubeObject;
  /** One rule; a `pass` carries the target as all policies left it in `patchedTargets`. */
  readonly rules: readonly RuleResult[];
}

/** `namespace/name`, or `name` for a cluster-scoped object (Kyverno's target keys). */
export function targetKey(o: KubeObject): string {
  const ns = o.metadata?.namespace ?? '';
  const name = o.metadata?.name ?? '';
  return ns === '' ? name : `${ns}/${name}`;
}

/**
 * The objects `targetMatchConstraints.expression` returns for `trigger`: a list (`{items: [...]}`,
 * as `resource.List` answers) or a single object (`resource.Get`). Throws `TargetSelectionError`.
 */
export function expressionTargets(
  compiled: CompiledMutatingPolicy,
  trigger: KubeObject | null,
  runtime: EvaluationRuntime,
): KubeObject[] {
  const program = compiled.target.expression;
  if (program === undefined) return [];
  const values: Record<string, unknown> = {
    ...toCelActivation({ object: trigger, oldObject: null, request: null, namespaceObject: null }).values,
  };
  const activation: CelActivation = { celActivation: true, values };
  // Variables are evaluated lazily against the trigger, as for admission.
  bindLazyVariables(values, compiled.variants[0]?.variables ?? [], activation, runtime);
  let out: unknown;
  try {
    out = program.evaluate(activation, runtime);
  } catch (e) {
    throw new TargetSelectionError(
      `failed to evaluate CEL expression for policy ${compiled.policy.metadata.name}: ${errorMessage(e)}`,
    );
  }
  if (!isMap(out)) {
    throw new TargetSelectionError(
      `output type of the target selector expression must be a map for policy ${compiled.policy.metadata.name}`,
    );
  }
  if (Array.isArray(out.items)) return out.items.filter(isMap) as KubeObject[];
  return [out as KubeObject];
}

function targetAttributes(target: KubeObject): AdmissionAttributes {
  return {
    ...objectIdentity(target),
    operation: 'CREATE',
    object: target,
    oldObject: null,
  };
}

/** The constraints with every operation allowed: targets are not admission requests. */
function anyOperation(constraints: MatchConstraints): MatchConstraints {
  const widen = (rules: MatchConstraints['resourceRules']) =>
    rules?.map((r) => ({ ...r, operations: ['*' as const] }));
  const resourceRules = widen(constraints.resourceRules);
  const excludeResourceRules = widen(constraints.excludeResourceRules);
  return {
    ...constraints,
    ...(resourceRules !== undefined ? { resourceRules } : {}),
    ...(excludeResourceRules !== undefined ? { excludeResourceRules } : {}),
  };
}

/**
 * Whether `target` is one of the policy's targets: by the keys its expression selected, else by
 * its target constraints (operations ignored; no namespace object, as Kyverno matches targets).
 */
export function isMutateExistingTarget(
  compiled: CompiledMutatingPolicy,
  target: KubeObject,
  selected?: ReadonlySet<string>,
): boolean {
  if (compiled.target.expression !== undefined) return selected?.has(targetKey(target)) === true;
  const constraints = compiled.target.constraints;
  if (constraints === undefined) return false;
  return matchConstraints(anyOperation(constraints), targetAttributes(target), null).matches;
}

/**
 * Whether an admitted trigger queues mutate-existing work for this policy (Kyverno
 * `MatchesMutateExisting`): its matchConstraints and matchConditions select the request.
 */
export function triggersMutateExisting(
  compiled: CompiledMutatingPolicy,
  input: CelAdmissionInput,
  runtime: EvaluationRuntime,
): boolean {
  if (!compiled.mutateExisting || outsidePolicyNamespace(compiled, input)) return false;
  const variant = compiled.variants[0];
  if (variant === undefined) return false;
  if (!matchConstraints(variant.matchConstraints, input.attributes, input.namespaceObject).matches)
    return false;
  const values: Record<string, unknown> = {
    ...toCelActivation({
      object: input.attributes.object,
      oldObject: input.attributes.oldObject,
      request: buildAdmissionRequest(input),
      namespaceObject: input.namespaceObject,
    }).values,
  };
  const activation: CelActivation = { celActivation: true, values };
  bindLazyVariables(values, variant.variables, activation, runtime);
  try {
    return matchAllConditions(variant.matchConditions, activation, runtime);
  } catch {
    return false;
  }
}

/**
 * Candidate targets from the cluster, as the background controller lists them: the objects the
 * expression returns, else every object of the kinds the target resource rules name (wildcard
 * resources cannot be listed and are skipped; a namespaced policy lists its namespace only). Throws `TargetSelectionError` for the expression.
 */
export function listMutateExistingCandidates(
  compiled: CompiledMutatingPolicy,
  trigger: KubeObject | null,
  cluster: ClusterReader,
  runtime: EvaluationRuntime,
): KubeObject[] {
  if (compiled.target.expression !== undefined) return expressionTargets(compiled, trigger, runtime);
  const out = new Map<string, KubeObject>();
  for (const rule of compiled.target.constraints?.resourceRules ?? []) {
    for (const group of rule.apiGroups ?? []) {
      for (const version of rule.apiVersions ?? []) {
        for (const resource of rule.resources ?? []) {
          const base = resource.split('/')[0] ?? '';
          const kind = kindForResource(base);
          if (group === '*' || version === '*' || kind === undefined) continue;
          const apiVersion = group === '' ? version : `${group}/${version}`;
          // A namespaced policy never reads outside its namespace.
          for (const o of cluster.list(apiVersion, kind, compiled.namespace)) {
            out.set(`${apiVersion}/${kind}/${targetKey(o)}`, o);
          }
        }
      }
    }
  }
  return [...out.values()];
}

/**
 * Evaluates the mutate-existing policies (others are ignored) on each candidate target for one
 * trigger. Per target the policies run in order, each on the target as the previous ones left
 * it. A policy whose expression cannot select targets answers one error without a target.
 * Never throws.
 */
export function evaluateMutateExisting(
  policies: readonly CompiledMutatingPolicy[],
  trigger: CelAdmissionInput,
  candidates: readonly KubeObject[],
  runtime: EvaluationRuntime,
): MutateExistingResponse[] {
  const out: MutateExistingResponse[] = [];
  const active: { policy: CompiledMutatingPolicy; selected?: ReadonlySet<string> }[] = [];
  for (const policy of policies) {
    if (!policy.mutateExisting || policy.variants[0] === undefined) continue;
    if (policy.target.expression === undefined) {
      active.push({ policy });
      continue;
    }
    try {
      const selected = new Set(expressionTargets(policy, trigger.attributes.object, runtime).map(targetKey));
      active.push({ policy, selected });
    } catch (e) {
      out.push({ policy, rules: [ruleError('', 'Mutation', 'failed to discover CEL targets', e)] });
    }
  }
  const request = buildAdmissionRequest(trigger);
  for (const target of candidates) {
    let current = target;
    const answered: { policy: CompiledMutatingPolicy; rule: RuleResult }[] = [];
    for (const { policy, selected } of active) {
      if (policy.namespace !== undefined && (target.metadata?.namespace ?? '') !== policy.namespace) continue;
      if (!isMutateExistingTarget(policy, target, selected)) continue;
      const variant = policy.variants[0]!;
      const conditions = policy.target.explicit ? policy.target.matchConditions : variant.matchConditions;
      const r = evaluateMutations(
        policy,
        variant,
        { object: current, oldObject: null, request, namespaceObject: null },
        runtime,
        conditions,
      );
      if (r.patched !== undefined) current = r.patched;
      answered.push({ policy, rule: r.rule });
    }
    for (const { policy, rule } of answered) {
      const patched = rule.status === 'pass' ? { ...rule, patchedTargets: [current] } : rule;
      out.push({ policy, target, rules: [patched] });
    }
  }
  return out;
}
