/**
 * @module The mutating endpoints' answer (reference §9.1, pkg/webhooks/resource/mutation): the
 * JSONPatch from the request's object to the mutated one, with the policies' warnings. A mutate rule
 * that errors in a policy with failurePolicy Fail blocks the request, as Kyverno's
 * `failed to apply policy <name> rules [...]`.
 */
import type { AdmissionOutcome, PolicyResult } from '../../engine/index.js';
import type { AdmissionResponse } from '../admission-review.js';

function blockingFailure(results: readonly PolicyResult[]): string | undefined {
  for (const r of results) {
    if (r.failurePolicy !== 'Fail') continue;
    const failed = r.response.rules.filter(
      (rule) => rule.type === 'Mutation' && (rule.status === 'error' || rule.status === 'fail'),
    );
    if (failed.length === 0) continue;
    const rules = failed.map((rule) => `${rule.name}: ${rule.message}`).join(' ');
    return `mutation policy ${r.policy.name} error: failed to apply policy ${r.policy.name} rules [${rules}]`;
  }
  return undefined;
}

export function mutationResponse(uid: string, outcome: AdmissionOutcome): AdmissionResponse {
  const blocked = blockingFailure(outcome.responses);
  if (blocked !== undefined) return { uid, allowed: false, status: { status: 'Failure', message: blocked } };
  return {
    uid,
    allowed: true,
    ...(outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {}),
    ...(outcome.patch.length > 0 ? { patch: outcome.patch } : {}),
  };
}
