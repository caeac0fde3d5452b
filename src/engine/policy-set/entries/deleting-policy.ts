/**
 * @module DeletingPolicy / NamespacedDeletingPolicy in the set: cleanup verdicts, not admission ones.
 * Kyverno's CLI evaluates each as a cleanup candidate check on the object as loaded (and on JSON
 * payloads): pass "resource matched" or fail "resource did not match", no row for a resource
 * matchConstraints do not select. `admit` runs them in the `cli` profile only.
 */
import {
  type CompiledDeletingPolicy,
  compileDeletingPolicy,
  type DeletingPolicy,
  evaluateDeletingPolicy,
} from '../../kinds/deleting-policy/deleting-policy.js';
import { objectIdentity } from '../../model/resource-kinds.js';
import { appendRulelessResult } from '../results.js';
import type { AdmissionState } from '../types.js';
import { defineKind } from '../types.js';
import { celKindParts } from './cel-kind.js';

function evaluate(policies: readonly CompiledDeletingPolicy[], state: AdmissionState): void {
  const object = state.original;
  const identity = objectIdentity(object);
  const namespaceObject = identity.namespace === '' ? null : (state.request.context?.namespaceObject ?? null);
  for (const c of policies) {
    const rule = evaluateDeletingPolicy(
      c,
      { ...identity, object, oldObject: null },
      namespaceObject,
      state.celRuntime,
    );
    if (rule !== undefined) appendRulelessResult(state, c, { rules: [rule], enforce: true });
  }
}

export const deletingPolicyKind = defineKind<DeletingPolicy, CompiledDeletingPolicy>({
  name: 'deleting-policy',
  kinds: ['DeletingPolicy', 'NamespacedDeletingPolicy'],
  ...celKindParts(compileDeletingPolicy, (c) => [c.policy.spec.matchConstraints]),
  phases: ['deleting'],
  evaluate: (policies, _phase, state) => {
    if (state.profile === 'cli') evaluate(policies, state);
  },
  payload: evaluate,
  scanSkip: () =>
    'DeletingPolicies run on their schedule in the cleanup controller, not in background scans (they produce no validation report)',
});
