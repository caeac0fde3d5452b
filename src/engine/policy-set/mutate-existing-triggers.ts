/**
 * @module Whether an admitted request is a trigger of a policy's mutate-existing work (Kyverno's
 * `ApplyBackgroundChecks` for `mutate` UpdateRequests, `MatchesMutateExisting` for MutatingPolicies):
 * the match and exclude of a ClusterPolicy/Policy's mutate-existing rules (on DELETE only the rules
 * naming DELETE), or a MutatingPolicy's matchConstraints and matchConditions. Pure and cheap: no
 * target is read, no context is loaded (preconditions are the background controller's to evaluate),
 * so admission records only what can apply.
 */
import { matchInput } from '../kinds/cluster-policy/evaluate-policy.js';
import { triggersMutateExisting } from '../kinds/mutating-policy/mutating-existing.js';
import type { CompiledMutatingPolicy } from '../kinds/mutating-policy/mutating-policy.js';
import { ruleMatches } from '../match/match-rule.js';
import type { EvaluationRuntime } from '../runtime.js';
import type { LegacyPolicy } from './entries/cluster-policy.js';
import {
  type AdmissionRequest,
  admittedObject,
  celAdmissionInput,
  legacyEvaluationRequest,
} from './request.js';
import type { CompiledSetPolicy, PolicySet } from './types.js';

const NO_PORTS: EvaluationRuntime = { ports: {} };

/** Never throws. */
export function triggersMutateExistingWork(
  set: PolicySet,
  policy: CompiledSetPolicy,
  request: AdmissionRequest,
): boolean {
  try {
    if (policy.kind === 'mutating-policy') {
      const input = celAdmissionInput(request, { object: request.object }, 'admission');
      return triggersMutateExisting(policy.compiled as CompiledMutatingPolicy, input, NO_PORTS);
    }
    if (policy.kind !== 'cluster-policy') return false;
    const p = policy.compiled as LegacyPolicy;
    const rules = request.operation === 'DELETE' ? p.existingOnDelete : p.existing;
    if (rules === undefined) return false;
    const object = admittedObject(request);
    const evaluation = legacyEvaluationRequest(
      {},
      request,
      policy.ref.name,
      object,
      set.exceptions,
      NO_PORTS,
      'admission',
    );
    const input = matchInput(rules, evaluation, object);
    return rules.rules.some((rule) => ruleMatches(rule, input));
  } catch {
    return false;
  }
}
