/**
 * @module ClusterPolicy / Policy in the set. Compiled once and split by rule type once. Kyverno's CLI
 * runs policies with mutate rules first (each sees the object the previous one patched), then the
 * others, validate rules with their policy's mutate rules; generate rules run last, on the object as
 * every mutating kind left it. The `admission` profile runs the validate rules in the validating
 * phase instead, on the fully mutated object, as Kyverno's validating webhook sees it.
 */

import {
  type CompiledPolicy,
  compilePolicy,
  evaluatePolicy,
} from '../../kinds/cluster-policy/evaluate-policy.js';
import { failureActionForRule } from '../../kinds/cluster-policy/failure-action.js';
import type { FailureAction, KyvernoPolicy, MatchResources, Rule } from '../../kinds/cluster-policy/types.js';
import { parseKindSelector } from '../../match/kind-selector.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { PolicyResponse } from '../../verdict/types.js';
import { legacyEvaluationRequest } from '../request.js';
import { policyRefOf, warningFor, withPolicy } from '../results.js';
import type { AdmissionState, IndexTargets, Phase } from '../types.js';
import { defineKind } from '../types.js';

/** A compiled legacy policy with its rules split by type (each part shares the compiled rules). */
export interface LegacyPolicy {
  readonly compiled: CompiledPolicy;
  /** It has mutate rules: Kyverno's CLI runs it first and hands its result on. */
  readonly hasMutate: boolean;
  /** Every rule but the generate rules. */
  readonly main?: CompiledPolicy;
  readonly mutate?: CompiledPolicy;
  readonly validate?: CompiledPolicy;
  readonly generate?: CompiledPolicy;
  /** `spec.background` (default true): background scans evaluate its validate rules. */
  readonly background: boolean;
}

function part(compiled: CompiledPolicy, keep: (r: Rule) => boolean): CompiledPolicy | undefined {
  const rules = compiled.rules.filter(keep);
  if (rules.length === 0) return undefined;
  // The whole policy keeps its identity: the engine caches per-policy rule tables by object.
  return rules.length === compiled.rules.length ? compiled : { ...compiled, rules };
}

function split(compiled: CompiledPolicy): LegacyPolicy {
  const main = part(compiled, (r) => r.generate === undefined);
  const mutate = part(compiled, (r) => r.mutate !== undefined);
  const validate = part(compiled, (r) => r.validate !== undefined);
  const generate = part(compiled, (r) => r.generate !== undefined);
  return {
    compiled,
    hasMutate: (compiled.policy.spec.rules ?? []).some((r) => r.mutate !== undefined),
    ...(main !== undefined ? { main } : {}),
    ...(mutate !== undefined ? { mutate } : {}),
    ...(validate !== undefined ? { validate } : {}),
    ...(generate !== undefined ? { generate } : {}),
    background: compiled.policy.spec.background !== false,
  };
}

function kindsOf(match: MatchResources | undefined): string[] | undefined {
  if (match === undefined) return undefined;
  const filters = [...(match.any ?? []), ...(match.all ?? [])];
  if (match.resources !== undefined) filters.push({ resources: match.resources });
  if (filters.length === 0) return undefined;
  const kinds: string[] = [];
  for (const f of filters) {
    const list = f.resources?.kinds;
    if (list === undefined || list.length === 0) return undefined;
    kinds.push(...list);
  }
  return kinds;
}

/** The kinds the policy's rules (autogen ones included) match; any wildcard makes it unindexable. */
function targets(p: LegacyPolicy): IndexTargets {
  const kinds = new Set<string>();
  for (const rule of p.compiled.rules) {
    const list = kindsOf(rule.match);
    if (list === undefined) return { any: true };
    for (const selector of list) {
      const kind = parseKindSelector(selector).kind;
      if (kind === '' || /[*?]/.test(kind)) return { any: true };
      kinds.add(kind);
    }
  }
  return { kinds: [...kinds], resources: [] };
}

function inKyvernoOrder(policies: readonly LegacyPolicy[]): LegacyPolicy[] {
  return [...policies.filter((p) => p.hasMutate), ...policies.filter((p) => !p.hasMutate)];
}

/** The failure action of each failed or errored rule (rule-level overrides win over the policy's). */
function ruleActions(p: LegacyPolicy, response: PolicyResponse, state: AdmissionState) {
  let out: Record<string, FailureAction> | undefined;
  for (const r of response.rules) {
    if (r.status !== 'fail' && r.status !== 'error') continue;
    const rule = p.compiled.rules.find((x) => x.name === r.name);
    const labels = state.request.context?.namespaceLabels;
    out ??= {};
    out[r.name] = failureActionForRule(p.compiled.policy, rule, state.request.namespace, labels);
  }
  return out;
}

function evaluatePart(
  p: LegacyPolicy,
  compiled: CompiledPolicy,
  object: KubeObject,
  state: AdmissionState,
): PolicyResponse {
  const { request, runtime, profile } = state;
  const name = p.compiled.policy.metadata.name;
  const req = legacyEvaluationRequest(request, name, object, state.exceptions, runtime, profile);
  const response = evaluatePolicy(compiled, req);
  const ref = policyRefOf(p.compiled.policy, p.compiled.namespace);
  const failurePolicy = p.compiled.policy.spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail';
  const actions = profile === 'admission' ? ruleActions(p, response, state) : undefined;
  state.results.push(withPolicy(response, ref, failurePolicy, actions));
  if (p.compiled.policy.spec.emitWarning === true) {
    for (const r of response.rules) {
      const audit = (actions?.[r.name] ?? response.validationFailureAction) === 'Audit';
      const mutated = r.type === 'Mutation' && r.status === 'pass';
      const failed = (r.status === 'fail' || r.status === 'error' || r.status === 'warn') && audit;
      if (mutated || failed) state.warnings.push(warningFor(ref, r));
    }
  }
  return response;
}

/** Mutate (and, for the CLI, validate) pass: hands the patched object on. */
function runFirstPass(policies: readonly LegacyPolicy[], state: AdmissionState): void {
  let current = state.object;
  for (const p of inKyvernoOrder(policies)) {
    const compiled = state.profile === 'cli' ? p.main : p.mutate;
    if (compiled === undefined) continue;
    const response = evaluatePart(p, compiled, current, state);
    if (p.hasMutate && Object.keys(response.patchedResource).length > 0) current = response.patchedResource;
  }
  state.object = current;
}

function evaluate(policies: readonly LegacyPolicy[], phase: Phase, state: AdmissionState): void {
  if (phase === 'legacy') runFirstPass(policies, state);
  else if (phase === 'validating' && state.profile === 'admission') {
    for (const p of policies) if (p.validate !== undefined) evaluatePart(p, p.validate, state.object, state);
  } else if (phase === 'legacy-generate') {
    for (const p of inKyvernoOrder(policies)) {
      if (p.generate !== undefined) evaluatePart(p, p.generate, state.object, state);
    }
  }
}

export const clusterPolicyKind = defineKind<KyvernoPolicy, LegacyPolicy>({
  name: 'cluster-policy',
  group: 'kyverno.io',
  kinds: ['ClusterPolicy', 'Policy'],
  compile: (policy, ctx) => {
    const r = compilePolicy(policy, { memo: ctx.memo });
    return r.ok ? { ok: true, value: split(r.value), warnings: r.warnings } : r;
  },
  phases: ['legacy', 'validating', 'legacy-generate'],
  evaluate,
  ref: (p) => policyRefOf(p.compiled.policy, p.compiled.namespace),
  targets,
  ruleCount: (p) => p.compiled.rules.length,
  scan: (policies, state) => {
    for (const p of policies) {
      if (p.background && p.validate !== undefined) evaluatePart(p, p.validate, state.object, state);
    }
  },
});
