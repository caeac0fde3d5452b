/**
 * @module MutatingPolicy / NamespacedMutatingPolicy in the set: every variant in turn on the object
 * the previous ones left (CEL `request` keeps describing the admitted object); every response
 * carries the final object. An unmatched variant is dropped only when its constraints are a single
 * plain resource rule (`cli` profile; `admission` drops every unmatched one). Mutate-existing
 * policies then patch the request's `mutateExistingTargets`, answered under the trigger. Background
 * scans report drift: a mutation that would still change the object fails.
 */
import fastJsonPatch from 'fast-json-patch';
import type { CelAdmissionInput } from '../../kinds/cel-shared/admission-evaluation.js';
import { isSingleRuleMatch } from '../../kinds/cel-shared/match-constraints.js';
import { mutatingAutogenVariants } from '../../kinds/mutating-policy/autogen.js';
import {
  evaluateMutateExisting,
  listMutateExistingCandidates,
  triggersMutateExisting,
} from '../../kinds/mutating-policy/mutating-existing.js';
import {
  type CompiledMutatingPolicy,
  compileMutatingPolicy,
  evaluateMutatingPolicy,
} from '../../kinds/mutating-policy/mutating-policy.js';
import type { MutatingPolicy } from '../../kinds/mutating-policy/types.js';
import { celWebhookNeeds } from '../../leader/cel-webhook-needs.js';
import { runtimeForPolicy } from '../../namespace-confinement.js';
import { ruleError } from '../../verdict/rule-result.js';
import type { RuleResult } from '../../verdict/types.js';
import { celAdmissionInput } from '../request.js';
import { appendRulelessResult, policyRefOf, type RulelessPolicy } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { BACKGROUND_DISABLED, backgroundEnabled } from './background.js';
import { celKindParts } from './cel-kind.js';

const reportedAs = new WeakMap<CompiledMutatingPolicy, RulelessPolicy>();

/**
 * The policy as its results name it. A MutatingPolicy document carrying `metadata.namespace` (the
 * kind is cluster-scoped, so only files can) is reported as `namespace/name` in a PolicyReport of
 * that namespace, as Kyverno's CLI names it from the metadata; it is not confined to that namespace.
 */
export function reportedPolicy(c: CompiledMutatingPolicy): RulelessPolicy {
  const ns = c.policy.metadata.namespace;
  if (c.namespace !== undefined || typeof ns !== 'string' || ns === '') return c;
  let out = reportedAs.get(c);
  if (out === undefined) {
    out = { policy: c.policy, key: `${ns}/${c.policy.metadata.name}`, namespace: ns };
    reportedAs.set(c, out);
  }
  return out;
}

function respond(c: CompiledMutatingPolicy, state: AdmissionState, rules: readonly RuleResult[]): void {
  appendRulelessResult(state, reportedPolicy(c), {
    rules,
    enforce: false,
    patched: state.object,
    failurePolicy: c.failurePolicy,
  });
}

function withObject(input: CelAdmissionInput, object: CelAdmissionInput['attributes']['object']) {
  return input.attributes.object === null ? input : { ...input, attributes: { ...input.attributes, object } };
}

function evaluate(policies: readonly CompiledMutatingPolicy[], state: AdmissionState): void {
  const cli = state.profile === 'cli';
  const admitted = celAdmissionInput(state.request, { object: state.object }, state.profile);
  let patched = state.object;
  const answered: { c: CompiledMutatingPolicy; rules: readonly RuleResult[] }[] = [];
  for (const c of policies) {
    for (const v of evaluateMutatingPolicy(
      c,
      withObject(admitted, patched),
      runtimeForPolicy(state.celRuntime, c.namespace),
      admitted,
    )) {
      if (v.patched !== undefined) patched = v.patched;
      if (v.rules.length === 0 && (!cli || isSingleRuleMatch(v.matchConstraints))) continue;
      answered.push({ c, rules: v.rules });
    }
  }
  state.object = patched;
  for (const { c, rules } of answered) respond(c, state, rules);
  const targets = state.request.context?.mutateExistingTargets ?? [];
  if (targets.length === 0) return;
  for (const r of evaluateMutateExisting(policies, admitted, targets, state.celRuntime))
    respond(r.policy, state, r.rules);
}

/**
 * The background controller's pass: each mutate-existing policy the trigger selects patches its
 * targets, listed from the cluster port (a namespaced policy's in its namespace only) unless the
 * request names them.
 */
function evaluateExisting(policies: readonly CompiledMutatingPolicy[], state: AdmissionState): void {
  const admitted = celAdmissionInput(state.request, { object: state.object }, state.profile);
  const given = state.request.context?.mutateExistingTargets;
  for (const c of policies) {
    const runtime = runtimeForPolicy(state.celRuntime, c.namespace);
    const cluster = runtime.ports.cluster;
    if (!c.mutateExisting || !triggersMutateExisting(c, admitted, runtime)) continue;
    let targets = given ?? [];
    if (given === undefined && cluster !== undefined) {
      try {
        targets = listMutateExistingCandidates(c, admitted.attributes.object, cluster, runtime);
      } catch (e) {
        respond(c, state, [ruleError('', 'Mutation', 'failed to discover CEL targets', e)]);
        continue;
      }
    }
    for (const r of evaluateMutateExisting([c], admitted, targets, runtime)) {
      // A target the mutation leaves as it is needs no write: reported as Kyverno's legacy rules do.
      const rules = r.rules.map((rule) => {
        const patched = rule.patchedTargets?.[0];
        if (rule.status !== 'pass' || patched === undefined || r.target === undefined) return rule;
        if (fastJsonPatch.compare(r.target, patched).length > 0) return rule;
        const { patchedTargets: _unchanged, ...rest } = rule;
        return { ...rest, status: 'skip' as const, message: 'no patches applied' };
      });
      respond(r.policy, state, rules);
    }
  }
}

/** Drift (reference §9.3): a mutation that would still change the object is not applied. */
function scan(policies: readonly CompiledMutatingPolicy[], state: AdmissionState): void {
  const input = celAdmissionInput(state.request, { object: state.object }, state.profile);
  for (const c of policies) {
    if (!backgroundEnabled(c.policy.spec)) continue;
    for (const v of evaluateMutatingPolicy(c, input, runtimeForPolicy(state.celRuntime, c.namespace))) {
      if (v.rules.length === 0) continue;
      const drifted = v.patched !== undefined && fastJsonPatch.compare(state.object, v.patched).length > 0;
      const rules = v.rules.map((r) =>
        r.status === 'pass' && drifted
          ? { ...r, status: 'fail' as const, message: 'mutation is not applied' }
          : r,
      );
      respond(c, state, rules);
    }
  }
}

export const mutatingPolicyKind = defineKind<MutatingPolicy, CompiledMutatingPolicy>({
  name: 'mutating-policy',
  kinds: ['MutatingPolicy', 'NamespacedMutatingPolicy'],
  ...celKindParts(compileMutatingPolicy, (c) => c.variants.map((v) => v.matchConstraints)),
  compile: (document, ctx) =>
    compileMutatingPolicy(document, {
      exceptions: ctx.celExceptions,
      ...(ctx.typeSchemas !== undefined ? { typeSchemas: ctx.typeSchemas } : {}),
    }),
  ref: (c) => {
    const r = reportedPolicy(c);
    return policyRefOf(r.policy, r.namespace);
  },
  phases: ['mutating', 'mutate-existing'],
  evaluate: (policies, phase, state) => {
    if (phase === 'mutating') evaluate(policies, state);
    else if (state.profile !== 'cli') evaluateExisting(policies, state);
  },
  traits: (c) => ({ failurePolicy: c.failurePolicy, background: backgroundEnabled(c.policy.spec) }),
  webhooks: (c) =>
    celWebhookNeeds({
      family: c.namespace !== undefined ? 'nmpol' : 'mpol',
      failurePolicy: c.failurePolicy,
      spec: c.policy.spec,
      constraints: c.variants.map((v) => v.matchConstraints),
      namespaced: c.namespace !== undefined,
      ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
      autogen: () =>
        mutatingAutogenVariants(c.policy.spec).map((v) => ({
          config: v.family,
          targets: v.targets,
          ...(v.spec.matchConditions !== undefined ? { matchConditions: v.spec.matchConditions } : {}),
        })),
    }),
  scan,
  scanSkip: (c) => (backgroundEnabled(c.policy.spec) ? undefined : BACKGROUND_DISABLED),
});
