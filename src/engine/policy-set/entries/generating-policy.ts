/**
 * @module GeneratingPolicy / NamespacedGeneratingPolicy in the set: evaluated on the object the
 * mutating kinds left; Kyverno's CLI asks them for a CREATE (`cli` profile). An unmatched policy
 * leaves no response. Generated objects are returned, never written.
 */
import {
  type CompiledGeneratingPolicy,
  compileGeneratingPolicy,
  evaluateGeneratingPolicy,
  type GeneratingPolicy,
} from '../../kinds/generating-policy/generating-policy.js';
import { celWebhookNeeds } from '../../leader/cel-webhook-needs.js';
import { runtimeForPolicy } from '../../namespace-confinement.js';
import { celAdmissionInput } from '../request.js';
import { appendRulelessResult } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { celKindParts } from './cel-kind.js';

function evaluate(policies: readonly CompiledGeneratingPolicy[], state: AdmissionState): void {
  const cli = state.profile === 'cli';
  const view = cli
    ? { object: state.object, operation: 'CREATE' as const, identityOf: state.object }
    : { object: state.object };
  const input = celAdmissionInput(state.request, view, state.profile);
  for (const c of policies) {
    // In the cluster (not in Kyverno's CLI) a clone is labelled with its source's uid.
    const outcome = evaluateGeneratingPolicy(c, input, runtimeForPolicy(state.celRuntime, c.namespace), {
      labelSources: !cli,
    });
    if (!outcome.matched) continue;
    appendRulelessResult(state, c, { rules: outcome.rules, enforce: true, patched: state.object });
  }
}

export const generatingPolicyKind = defineKind<GeneratingPolicy, CompiledGeneratingPolicy>({
  name: 'generating-policy',
  kinds: ['GeneratingPolicy', 'NamespacedGeneratingPolicy'],
  ...celKindParts(compileGeneratingPolicy, (c) => [c.policy.spec.matchConstraints]),
  phases: ['validating'],
  evaluate: (policies, _phase, state) => evaluate(policies, state),
  scanSkip: () =>
    'GeneratingPolicies produce no validation report: they generate on admission and on their triggers, not in background scans',
  webhooks: (c) =>
    celWebhookNeeds({
      family: c.namespace !== undefined ? 'ngpol' : 'gpol',
      failurePolicy:
        (c.policy.spec as { failurePolicy?: string }).failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      spec: c.policy.spec,
      constraints: [c.policy.spec.matchConstraints],
      namespaced: c.namespace !== undefined,
      ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
      allOperations: true,
      conditionsOnCreateOnly: c.policy.spec.evaluation?.synchronize?.enabled === true,
    }),
});
