/**
 * @module The frame of an admission endpoint that needs no policy set (`/policyvalidate`, `/verifyttl`):
 * a POSTed body within the depth limit, decoded as an AdmissionReview, answered in the review's own
 * version. Malformed input is the caller's error (4xx); the endpoint only decides on the request.
 */
import type { AdmissionRequest } from '../../engine/index.js';
import { type AdmissionResponse, decodeReview, encodeReview } from '../admission-review.js';
import { errorReply, type HttpCall, type HttpHandler, type HttpReply } from '../http.js';
import { parseJsonBody } from './admission.js';

export function createSetlessReviewHandler(
  maxDepth: number,
  decide: (request: AdmissionRequest) => AdmissionResponse | Promise<AdmissionResponse>,
): HttpHandler {
  return async (call: HttpCall): Promise<HttpReply> => {
    if (call.method !== 'POST')
      return errorReply(405, `${call.method} is not allowed; admission reviews are POSTed`);
    const body = parseJsonBody(call.body, maxDepth);
    if (!body.ok) return errorReply(400, body.error);
    if (body.tooDeep) return errorReply(400, `the review nests deeper than ${maxDepth} levels`);
    const decoded = decodeReview(body.value);
    if (!decoded.ok) return errorReply(400, `not an AdmissionReview: ${decoded.error}`);
    const response = await decide(decoded.review.request);
    return {
      status: 200,
      body: encodeReview(decoded.review.apiVersion, response),
      contentType: 'application/json',
    };
  };
}
