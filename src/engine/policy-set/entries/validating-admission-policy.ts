/**
 * @module Kubernetes ValidatingAdmissionPolicies (+ bindings, params from the `admissionParams` port)
 * in the set, on the object the mutating kinds left. Kyverno's CLI keeps every policy's response,
 * empty when nothing matched (rows read `Excluded`), and asks for a CREATE unless a test row names
 * the operation (`cli` profile).
 */
import {
  type CompiledValidatingAdmissionPolicy,
  compileValidatingAdmissionPolicy,
  evaluateValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicy,
} from '../../kinds/validating-admission-policy/validating-admission-policy.js';
import { celAdmissionInput } from '../request.js';
import { appendRulelessResult, policyRefOf } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { celTargets } from './cel-targets.js';

function evaluate(policies: readonly CompiledValidatingAdmissionPolicy[], state: AdmissionState): void {
  const { request, profile } = state;
  const cli = profile === 'cli';
  const operation = cli && request.context?.operationFromValues === true ? 'CREATE' : request.operation;
  const view = cli ? { object: state.object, operation, identityOf: state.object } : { object: state.object };
  const input = celAdmissionInput(request, view, profile);
  for (const c of policies) {
    const outcome = evaluateValidatingAdmissionPolicy(c, input, state.celRuntime);
    if (!outcome.matched && !cli) continue;
    appendRulelessResult(
      state,
      { policy: c.policy, key: c.policy.metadata.name },
      {
        rules: outcome.matched ? outcome.rules : [],
        enforce: !outcome.matched || outcome.actions.includes('Deny'),
        patched: state.object,
        failurePolicy: c.failurePolicy,
        warn: outcome.matched && outcome.actions.includes('Warn'),
      },
    );
  }
}

export const validatingAdmissionPolicyKind = defineKind<
  ValidatingAdmissionPolicy,
  CompiledValidatingAdmissionPolicy
>({
  name: 'validating-admission-policy',
  group: 'admissionregistration.k8s.io',
  kinds: ['ValidatingAdmissionPolicy'],
  compile: (policy, ctx) => compileValidatingAdmissionPolicy(policy, ctx.vapBindings),
  phases: ['validating'],
  evaluate: (policies, _phase, state) => evaluate(policies, state),
  ref: (c) => policyRefOf(c.policy),
  traits: (c) => ({ failurePolicy: c.failurePolicy, background: true }),
  targets: (c) => celTargets([c.policy.spec?.matchConstraints]),
  scan: evaluate,
  scanSkip: () => undefined,
});
