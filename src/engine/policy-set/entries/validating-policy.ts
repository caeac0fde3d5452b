/**
 * @module ValidatingPolicy / NamespacedValidatingPolicy in the set: one response per policy variant
 * (the policy, then its autogen variants) on the object the mutating kinds left. An unmatched variant
 * is dropped only when its constraints are a single plain resource rule (Kyverno's CLI processor
 * `hasSelector`; the `admission` profile drops every unmatched variant). JSON-mode policies answer
 * for resources in the `cli` profile and for JSON payloads; Envoy- and HTTP-mode policies answer
 * authorization requests only.
 */

import { autogenVariants } from '../../kinds/cel-shared/autogen.js';
import { isSingleRuleMatch } from '../../kinds/cel-shared/match-constraints.js';
import type { ValidatingPolicy } from '../../kinds/cel-shared/types.js';
import { evaluateValidatingPolicyAuthz } from '../../kinds/validating-policy/authz-evaluation.js';
import {
  type CompiledValidatingPolicy,
  compileValidatingPolicy,
  evaluateValidatingPolicy,
  evaluateValidatingPolicyJson,
} from '../../kinds/validating-policy/validating-policy.js';
import { celWebhookNeeds } from '../../leader/cel-webhook-needs.js';
import { runtimeForPolicy } from '../../namespace-confinement.js';
import type { RuleResult } from '../../verdict/types.js';
import { celAdmissionInput } from '../request.js';
import { appendRulelessResult } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { BACKGROUND_DISABLED, backgroundEnabled } from './background.js';
import { celKindParts } from './cel-kind.js';

function push(c: CompiledValidatingPolicy, state: AdmissionState, rules: readonly RuleResult[]): void {
  appendRulelessResult(state, c, {
    rules,
    enforce: c.actions.includes('Deny'),
    patched: state.object,
    failurePolicy: c.failurePolicy,
    warn: c.actions.includes('Warn'),
  });
}

function evaluate(policies: readonly CompiledValidatingPolicy[], state: AdmissionState): void {
  const cli = state.profile === 'cli';
  const input = celAdmissionInput(
    state.request,
    // No spread: once per policy when the webhook times each one.
    cli ? { object: state.object, identityOf: state.original } : { object: state.object },
    state.profile,
  );
  for (const c of policies) {
    if (c.mode === 'JSON') {
      // JSON-mode policies see the resource as a raw payload; only results are reported.
      if (!cli) continue;
      for (const v of evaluateValidatingPolicyJson(
        c,
        state.object,
        runtimeForPolicy(state.celRuntime, c.namespace),
      )) {
        if (v.rules.length > 0) push(c, state, v.rules);
      }
      continue;
    }
    if (c.mode !== 'Kubernetes') continue;
    for (const v of evaluateValidatingPolicy(c, input, runtimeForPolicy(state.celRuntime, c.namespace))) {
      if (v.rules.length === 0 && (!cli || isSingleRuleMatch(v.matchConstraints))) continue;
      push(c, state, v.rules);
    }
  }
}

export const validatingPolicyKind = defineKind<ValidatingPolicy, CompiledValidatingPolicy>({
  name: 'validating-policy',
  kinds: ['ValidatingPolicy', 'NamespacedValidatingPolicy'],
  ...celKindParts(compileValidatingPolicy, (c) => c.variants.map((v) => v.matchConstraints)),
  phases: ['validating'],
  evaluate: (policies, _phase, state) => evaluate(policies, state),
  traits: (c) => ({ failurePolicy: c.failurePolicy, background: backgroundEnabled(c.policy.spec) }),
  // JSON-mode (and HTTP, Envoy) policies judge no Kubernetes requests.
  webhooks: (c) =>
    c.mode !== 'Kubernetes'
      ? []
      : celWebhookNeeds({
          family: c.namespace !== undefined ? 'nvpol' : 'vpol',
          failurePolicy: c.failurePolicy,
          spec: c.policy.spec,
          constraints: c.variants.map((v) => v.matchConstraints),
          namespaced: c.namespace !== undefined,
          ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
          autogen: () =>
            autogenVariants(c.policy.spec ?? {}).map((v) => ({
              config: v.family,
              targets: v.targets,
              ...(v.spec.matchConditions !== undefined ? { matchConditions: v.spec.matchConditions } : {}),
            })),
        }),
  scan: (policies, state) =>
    evaluate(
      policies.filter((c) => backgroundEnabled(c.policy.spec) && c.mode === 'Kubernetes'),
      state,
    ),
  scanSkip: (c) =>
    !backgroundEnabled(c.policy.spec)
      ? BACKGROUND_DISABLED
      : c.mode !== 'Kubernetes'
        ? `evaluation mode ${c.mode} validates payloads, not cluster objects`
        : undefined,
  // Kyverno's CLI keeps every JSON-mode response for a payload, even an empty one.
  payload: (policies, state) => {
    for (const c of policies) {
      if (c.mode !== 'JSON') continue;
      for (const v of evaluateValidatingPolicyJson(
        c,
        state.object,
        runtimeForPolicy(state.celRuntime, c.namespace),
      ))
        push(c, state, v.rules);
    }
  },
  authz: (policies, state, mode) => {
    for (const c of policies) {
      if (c.mode === mode)
        push(c, state, [
          evaluateValidatingPolicyAuthz(
            c,
            mode,
            state.object,
            runtimeForPolicy(state.celRuntime, c.namespace),
          ),
        ]);
    }
  },
});
