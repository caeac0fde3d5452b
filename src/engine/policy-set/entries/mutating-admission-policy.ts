/**
 * @module Kubernetes MutatingAdmissionPolicies (+ bindings) in the set: each sees the object the
 * previous one left. Kyverno's CLI asks them for a CREATE whatever the request says (`cli` profile);
 * a policy that did not apply leaves no response.
 */
import {
  type CompiledMutatingAdmissionPolicy,
  compileMutatingAdmissionPolicy,
  evaluateMutatingAdmissionPolicy,
} from '../../kinds/mutating-admission-policy/mutating-admission-policy.js';
import type { MutatingAdmissionPolicy } from '../../kinds/mutating-policy/types.js';
import { celAdmissionInput } from '../request.js';
import { appendRulelessResult, policyRefOf } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { celTargets } from './cel-targets.js';

function evaluate(policies: readonly CompiledMutatingAdmissionPolicy[], state: AdmissionState): void {
  const { request, profile } = state;
  const deleting = request.operation === 'DELETE';
  for (const c of policies) {
    const input = celAdmissionInput(
      request,
      {
        object: deleting ? null : state.object,
        ...(profile === 'cli' ? { operation: 'CREATE' as const } : {}),
      },
      profile,
    );
    const r = evaluateMutatingAdmissionPolicy(c, input, state.celRuntime);
    if (r.rules.length === 0) continue;
    if (r.patched !== undefined) state.object = r.patched;
    appendRulelessResult(
      state,
      { policy: c.policy, key: c.policy.metadata.name },
      { rules: r.rules, enforce: false, patched: state.object },
    );
  }
}

export const mutatingAdmissionPolicyKind = defineKind<
  MutatingAdmissionPolicy,
  CompiledMutatingAdmissionPolicy
>({
  name: 'mutating-admission-policy',
  group: 'admissionregistration.k8s.io',
  kinds: ['MutatingAdmissionPolicy'],
  compile: (policy, ctx) => compileMutatingAdmissionPolicy(policy, ctx.mapBindings),
  phases: ['mutating-admission'],
  evaluate: (policies, _phase, state) => evaluate(policies, state),
  ref: (c) => policyRefOf(c.policy),
  targets: (c) => celTargets([c.policy.spec?.matchConstraints]),
  scanSkip: () =>
    'MutatingAdmissionPolicies are not background-scanned (Kyverno reports them only with --mutatingAdmissionPolicyReports, off by default)',
});
