/**
 * @module The validating endpoints' answer (reference §9.1): denied with Kyverno's "was blocked due
 * to the following policies" message when an enforced rule fails (or errors under failurePolicy
 * Fail), allowed otherwise; Audit failures never block; warnings as the policies emitted them.
 */
import type { AdmissionOutcome } from '../../engine/index.js';
import type { AdmissionResponse } from '../admission-review.js';

export function validationResponse(uid: string, outcome: AdmissionOutcome): AdmissionResponse {
  const warnings = outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {};
  if (outcome.allowed) return { uid, allowed: true, ...warnings };
  return {
    uid,
    allowed: false,
    status: { status: 'Failure', message: outcome.message ?? 'denied by policy' },
    ...warnings,
  };
}
