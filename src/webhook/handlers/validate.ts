/**
 * @module The validating endpoints' answer (reference §9.1): denied with Kyverno's message when an
 * enforced rule fails (or errors under failurePolicy Fail), allowed otherwise; Audit failures never
 * block; warnings as the policies emitted them. Kyverno's resource handler drops the warnings of a
 * request it denies (pkg/webhooks/resource/validation: `HandleValidationEnforce` returns none when
 * blocked); the CEL kinds' handlers send theirs with the denial.
 */
import type { AdmissionOutcome } from '../../engine/index.js';
import type { AdmissionResponse } from '../admission-review.js';
import type { Endpoint } from '../endpoints.js';

export function validationResponse(
  uid: string,
  outcome: AdmissionOutcome,
  family: Endpoint['family'],
): AdmissionResponse {
  // Literals per case rather than spreads of a `{ warnings }` object: once per review.
  const warnings = outcome.warnings;
  if (outcome.allowed) return warnings.length > 0 ? { uid, allowed: true, warnings } : { uid, allowed: true };
  const status = { status: 'Failure', message: outcome.message ?? 'denied by policy' } as const;
  return family === 'cel' && warnings.length > 0
    ? { uid, allowed: false, status, warnings }
    : { uid, allowed: false, status };
}
