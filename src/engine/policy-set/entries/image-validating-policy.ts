/**
 * @module ImageValidatingPolicy / NamespacedImageValidatingPolicy in the set. Kyverno's CLI runs them
 * outside its processor: a CREATE on the object as loaded, one response per policy, empty when it
 * does not apply (rows read `Excluded`) — the `cli` profile. `admission` evaluates the request on
 * the mutated object and keeps answers only.
 */
import {
  type CompiledImageValidatingPolicy,
  compileImageValidatingPolicy,
  evaluateImageValidatingPolicy,
  type ImageValidatingPolicy,
} from '../../kinds/image-validating-policy/image-validating-policy.js';
import { celWebhookNeeds } from '../../leader/cel-webhook-needs.js';
import { runtimeForPolicy } from '../../namespace-confinement.js';
import { celAdmissionInput } from '../request.js';
import { appendRulelessResult } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { BACKGROUND_DISABLED, backgroundEnabled } from './background.js';
import { celKindParts } from './cel-kind.js';

function evaluate(policies: readonly CompiledImageValidatingPolicy[], state: AdmissionState): void {
  const cli = state.profile === 'cli';
  const view = cli
    ? { object: state.original, operation: 'CREATE' as const, identityOf: state.original }
    : { object: state.object };
  const input = celAdmissionInput(state.request, view, state.profile);
  for (const c of policies) {
    const rule = evaluateImageValidatingPolicy(c, input, runtimeForPolicy(state.celRuntime, c.namespace));
    if (rule === undefined && !cli) continue;
    appendRulelessResult(state, c, {
      rules: rule !== undefined ? [rule] : [],
      enforce: c.actions.includes('Deny'),
      failurePolicy: c.failurePolicy,
      warn: c.actions.includes('Warn'),
    });
  }
}

export const imageValidatingPolicyKind = defineKind<ImageValidatingPolicy, CompiledImageValidatingPolicy>({
  name: 'image-validating-policy',
  kinds: ['ImageValidatingPolicy', 'NamespacedImageValidatingPolicy'],
  ...celKindParts(compileImageValidatingPolicy, (c) => [c.policy.spec.matchConstraints]),
  phases: ['validating'],
  evaluate: (policies, _phase, state) => evaluate(policies, state),
  traits: (c) => ({ failurePolicy: c.failurePolicy, background: backgroundEnabled(c.policy.spec) }),
  // Verification only: digest mutation (`/ivpol/mutate`) is not done, so it is not registered.
  webhooks: (c) =>
    celWebhookNeeds({
      family: c.namespace !== undefined ? 'nivpol' : 'ivpol',
      failurePolicy: c.failurePolicy,
      spec: c.policy.spec,
      constraints: [c.policy.spec.matchConstraints],
      namespaced: c.namespace !== undefined,
      ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
    }),
  scan: (policies, state) =>
    evaluate(
      policies.filter((c) => backgroundEnabled(c.policy.spec)),
      state,
    ),
  scanSkip: (c) => (backgroundEnabled(c.policy.spec) ? undefined : BACKGROUND_DISABLED),
});
