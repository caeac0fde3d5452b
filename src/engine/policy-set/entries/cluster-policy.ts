/**
 * @module ClusterPolicy / Policy in the set. Compiled once and split by rule type once. Kyverno's CLI
 * runs the mutate and verifyImages rules of policies with mutate rules first (each sees the object
 * the previous one patched), then those of the others, then every policy's validate rules on the
 * object they all left; generate rules run last, on the object as every mutating kind left it. The `admission` profile runs verifyImages
 * verification with the mutate rules (the mutating webhook) and the validate rules and verifyImages
 * checks in the validating phase, on the fully mutated object, as Kyverno's webhooks see it.
 * Mutate-existing rules run only in the `mutate-existing` phase there (the background controller's).
 */

import {
  type CompiledPolicy,
  compilePolicy,
  type EvaluatePolicyOptions,
  evaluatePolicy,
} from '../../kinds/cluster-policy/evaluate-policy.js';
import { failureActionForRule } from '../../kinds/cluster-policy/failure-action.js';
import { EMPTIED_RESOURCE } from '../../kinds/cluster-policy/mutate/emptied-resource.js';
import type { FailureAction, KyvernoPolicy, MatchResources, Rule } from '../../kinds/cluster-policy/types.js';
import {
  hasVerifyImageChecks,
  hasVerifyImages,
} from '../../kinds/cluster-policy/verify-images/image-verification.js';
import { legacyWebhookNeeds } from '../../leader/legacy-webhook-needs.js';
import { parseKindSelector } from '../../match/kind-selector.js';
import type { KubeObject } from '../../model/kube-object.js';
import { runtimeForPolicy } from '../../namespace-confinement.js';
import type { PolicyResponse } from '../../verdict/types.js';
import { legacyEvaluationRequest } from '../request.js';
import { policyRefOf, warningFor, withPolicy } from '../results.js';
import type { AdmissionState, IndexTargets, Phase, PolicyResult } from '../types.js';
import { defineKind } from '../types.js';

/** A compiled legacy policy with its rules split by type (each part shares the compiled rules). */
export interface LegacyPolicy {
  readonly compiled: CompiledPolicy;
  /** It has mutate rules: Kyverno's CLI runs it first and hands its result on. */
  readonly hasMutate: boolean;
  /** It has verifyImages rules, which may pin digests and annotate the object. */
  readonly hasVerifyImages: boolean;
  /** Every rule but the generate and validate rules: Kyverno's CLI mutate and verifyImages passes. */
  readonly cliFirst?: CompiledPolicy;
  /** The validate rules: Kyverno's CLI validates once every policy has mutated and verified. */
  readonly cliValidate?: CompiledPolicy;
  /** Mutate rules but mutate-existing ones, and verifyImages rules (the mutating webhook). */
  readonly mutate?: CompiledPolicy;
  /** Mutate-existing rules (`mutate.targets`): the background controller's, never admission's. */
  readonly existing?: CompiledPolicy;
  /** The mutate-existing rules a DELETE triggers: those whose match names DELETE (Kyverno's rule). */
  readonly existingOnDelete?: CompiledPolicy;
  /** Validate rules and verifyImages rules with checks (the validating webhook). */
  readonly validate?: CompiledPolicy;
  /** Validate and verifyImages rules (background scans). */
  readonly scanned?: CompiledPolicy;
  readonly generate?: CompiledPolicy;
  /** `spec.background` (default true): background scans evaluate its validate rules. */
  readonly background: boolean;
}

const isMutateExisting = (r: Rule): boolean =>
  r.mutate !== undefined && Array.isArray(r.mutate.targets) && r.mutate.targets.length > 0;

/** Kyverno's `MatchDeleteOperation`: the rule's match lists DELETE among its operations. */
function namesDelete(r: Rule): boolean {
  const m = r.match;
  if (m === undefined) return false;
  const filters = [...(m.any ?? []), ...(m.all ?? []), ...(m.resources !== undefined ? [m] : [])];
  return filters.some((f) => (f.resources?.operations ?? []).includes('DELETE'));
}

function part(compiled: CompiledPolicy, keep: (r: Rule) => boolean): CompiledPolicy | undefined {
  const rules = compiled.rules.filter(keep);
  if (rules.length === 0) return undefined;
  // The whole policy keeps its identity: the engine caches per-policy rule tables by object.
  return rules.length === compiled.rules.length ? compiled : { ...compiled, rules };
}

function split(compiled: CompiledPolicy): LegacyPolicy {
  const cliFirst = part(compiled, (r) => r.generate === undefined && r.validate === undefined);
  const cliValidate = part(compiled, (r) => r.validate !== undefined);
  const mutate = part(
    compiled,
    (r) => (r.mutate !== undefined && !isMutateExisting(r)) || hasVerifyImages(r),
  );
  const existing = part(compiled, isMutateExisting);
  const existingOnDelete = part(compiled, (r) => isMutateExisting(r) && namesDelete(r));
  const validate = part(compiled, (r) => r.validate !== undefined || hasVerifyImageChecks(r));
  const scanned = part(compiled, (r) => r.validate !== undefined || hasVerifyImages(r));
  const generate = part(compiled, (r) => r.generate !== undefined);
  return {
    compiled,
    hasMutate: (compiled.policy.spec.rules ?? []).some((r) => r.mutate !== undefined),
    hasVerifyImages: compiled.rules.some(hasVerifyImages),
    ...(cliFirst !== undefined ? { cliFirst } : {}),
    ...(cliValidate !== undefined ? { cliValidate } : {}),
    ...(mutate !== undefined ? { mutate } : {}),
    ...(existing !== undefined ? { existing } : {}),
    ...(existingOnDelete !== undefined ? { existingOnDelete } : {}),
    ...(validate !== undefined ? { validate } : {}),
    ...(scanned !== undefined ? { scanned } : {}),
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

/**
 * Policies with mutate rules first, each group in its order (a stable partition). A list already in
 * that order (one policy: how `admit` calls a timed webhook's policies; none or all mutating) is
 * returned as it is, without copies.
 */
export function inKyvernoOrder(policies: readonly LegacyPolicy[]): readonly LegacyPolicy[] {
  let other = false;
  let partitioned = true;
  for (const p of policies) {
    if (!p.hasMutate) other = true;
    else if (other) {
      partitioned = false;
      break;
    }
  }
  if (partitioned) return policies;
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
  options: EvaluatePolicyOptions = {},
): PolicyResponse {
  const { request, runtime, profile } = state;
  const name = p.compiled.policy.metadata.name;
  // A namespaced Policy reads through ports confined to its namespace.
  const rt = runtimeForPolicy(runtime, p.compiled.namespace);
  let req = legacyEvaluationRequest(
    state.legacyRequests,
    request,
    name,
    object,
    state.exceptions,
    rt,
    profile,
  );
  // Image signatures come from where the CEL kinds read image data (the CLI's Context file).
  const registry = state.celRuntime.ports.imageData;
  if (p.hasVerifyImages && registry !== undefined) req = { ...req, imageRegistry: registry };
  const response = evaluatePolicy(compiled, req, options);
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

/**
 * The object a policy's mutate/verifyImages response hands to the next policy: Kyverno's empty
 * object after a mutate rule's error, the patched object when the policy can patch, else `current`.
 */
function handedOn(p: LegacyPolicy, patched: KubeObject, current: KubeObject): KubeObject {
  if (patched === EMPTIED_RESOURCE) return EMPTIED_RESOURCE;
  return (p.hasMutate || p.hasVerifyImages) && Object.keys(patched).length > 0 ? patched : current;
}

/** The mutating webhook's pass (mutate and verifyImages rules): hands the patched object on. */
function runFirstPass(policies: readonly LegacyPolicy[], state: AdmissionState): void {
  if (state.profile === 'cli') {
    runCliPasses(policies, state);
    return;
  }
  let current = state.object;
  // The last object a mutation produced: what admission patches to and validates (a mutate rule's
  // error leaves EMPTIED_RESOURCE to the next mutating policies only; its patches are never sent).
  let kept = current;
  for (const p of inKyvernoOrder(policies)) {
    if (p.mutate === undefined) continue;
    const response = evaluatePart(p, p.mutate, current, state, { imageChecks: false });
    current = handedOn(p, response.patchedResource, current);
    if (current !== EMPTIED_RESOURCE) kept = current;
  }
  state.object = kept;
}

// Per list of policies: whether no policy runs a first pass and none is listed twice. Then every
// policy answers once, in the order evaluated, and `keep`'s regrouping would put each result back
// where it was pushed: the validate pass alone says the same.
const answeredInPlace = new WeakMap<readonly LegacyPolicy[], boolean>();

function validatesOnly(policies: readonly LegacyPolicy[]): boolean {
  let plain = answeredInPlace.get(policies);
  if (plain === undefined) {
    plain = policies.every((p) => p.cliFirst === undefined) && new Set(policies).size === policies.length;
    answeredInPlace.set(policies, plain);
  }
  return plain;
}

/** Off: every CLI evaluation regroups its results through `keep` (tests compare the two). */
export const cliPassesInPlace = { enabled: true };

/**
 * Kyverno's CLI order of work (processor/policy_processor.go): every policy's mutate rules, each on
 * the object the previous one patched, then verifyImages (here with each rule's own checks, see
 * docs/compat.md), then every policy's validate rules on the object all of them left. A policy's
 * parts are answered as one response, in the order the policies ran, as before the split.
 */
function runCliPasses(policies: readonly LegacyPolicy[], state: AdmissionState): void {
  if (cliPassesInPlace.enabled && validatesOnly(policies)) {
    for (const p of inKyvernoOrder(policies))
      if (p.cliValidate !== undefined) evaluatePart(p, p.cliValidate, state.object, state);
    return;
  }
  const start = state.results.length;
  const answered = new Map<LegacyPolicy, PolicyResult>();
  const keep = (p: LegacyPolicy): void => {
    const result = state.results.pop() as PolicyResult;
    const before = answered.get(p);
    if (before === undefined) {
      answered.set(p, result);
      return;
    }
    const rules = [...before.response.rules, ...result.response.rules];
    answered.set(p, { ...before, response: { ...before.response, rules } });
  };
  const ordered = inKyvernoOrder(policies);
  let current = state.object;
  for (const p of ordered) {
    if (p.cliFirst === undefined) continue;
    const response = evaluatePart(p, p.cliFirst, current, state);
    keep(p);
    current = handedOn(p, response.patchedResource, current);
  }
  for (const p of ordered) {
    if (p.cliValidate === undefined) continue;
    evaluatePart(p, p.cliValidate, current, state);
    keep(p);
  }
  state.results.length = start;
  for (const p of ordered) {
    const result = answered.get(p);
    if (result !== undefined) state.results.push(result);
  }
  state.object = current;
}

function evaluate(policies: readonly LegacyPolicy[], phase: Phase, state: AdmissionState): void {
  if (phase === 'legacy') runFirstPass(policies, state);
  else if (phase === 'validating' && state.profile === 'admission') {
    for (const p of policies)
      if (p.validate !== undefined)
        evaluatePart(p, p.validate, state.object, state, { imageVerification: false });
  } else if (phase === 'legacy-generate') {
    for (const p of inKyvernoOrder(policies)) {
      if (p.generate !== undefined) evaluatePart(p, p.generate, state.object, state);
    }
  } else if (phase === 'mutate-existing' && state.profile !== 'cli') {
    // The CLI ran them in its first pass, with the other mutations.
    const onDelete = state.request.operation === 'DELETE';
    for (const p of policies) {
      const rules = onDelete ? p.existingOnDelete : p.existing;
      if (rules !== undefined) evaluatePart(p, rules, state.object, state);
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
  phases: ['legacy', 'validating', 'legacy-generate', 'mutate-existing'],
  evaluate,
  ref: (p) => policyRefOf(p.compiled.policy, p.compiled.namespace),
  targets,
  ruleCount: (p) => p.compiled.rules.length,
  webhooks: (p) => legacyWebhookNeeds(p.compiled),
  traits: (p) => ({
    failurePolicy: p.compiled.policy.spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    background: p.background,
  }),
  scan: (policies, state) => {
    for (const p of policies) {
      // Kyverno's scanner reports verification, not the admission-time checks, for verifyImages rules.
      if (p.background && p.scanned !== undefined)
        evaluatePart(p, p.scanned, state.object, state, { imageChecks: false });
    }
  },
  scanSkip: (p) =>
    !p.background
      ? 'spec.background is false'
      : p.scanned === undefined
        ? 'it has no validate or verifyImages rule (background scans report only those; mutate and generate rules run on admission and their triggers)'
        : undefined,
});
