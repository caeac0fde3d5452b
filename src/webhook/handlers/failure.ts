/**
 * @module The answer when a review cannot be evaluated (deadline, limits, an internal error, no policy
 * set yet): what the webhook's failure policy says. Fail denies with the reason; Ignore admits the
 * request with a warning saying it went unchecked.
 */
import type { AdmissionResponse } from '../admission-review.js';

export function failureResponse(
  failurePolicy: 'Fail' | 'Ignore',
  uid: string,
  reason: string,
): AdmissionResponse {
  if (failurePolicy === 'Fail')
    return {
      uid,
      allowed: false,
      status: {
        status: 'Failure',
        message: `palisade could not evaluate the request: ${reason} (failurePolicy Fail)`,
      },
    };
  return {
    uid,
    allowed: true,
    warnings: [
      `palisade could not evaluate the request: ${reason}; admitted unchecked (failurePolicy Ignore)`,
    ],
  };
}
