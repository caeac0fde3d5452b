/**
 * @module The admission endpoints over HTTP: route, readiness, parse, decode, depth, then the review
 * handler. Malformed bodies are 400s. Before the first policy set is loaded nothing is ever allowed:
 * `/…/fail` paths deny, the others answer 503 so that the API server applies the failure policy the
 * webhook was registered with. A review that cannot be evaluated gets its failure policy's answer.
 */
import { decodeReview, encodeReview } from '../admission-review.js';
import { type Endpoint, routeAdmission } from '../endpoints.js';
import { errorReply, type HttpCall, type HttpHandler, type HttpReply } from '../http.js';
import type { LoadedSet, PolicyStore } from '../policy-store.js';
import { failureResponse } from './failure.js';
import type { ReviewAnswer, ReviewInput } from './review.js';

export interface AdmissionHandlerConfig {
  readonly store: PolicyStore;
  /** The review handler, deadline included (see middleware/timeout.ts). */
  readonly review: (input: ReviewInput) => Promise<ReviewAnswer>;
  /** Nesting depth allowed in a review body. */
  readonly maxDepth: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Parsed = { ok: true; value: unknown; depth: number } | { ok: false; error: string };

/**
 * Nesting depth of JSON text, stopping past `stopAbove`: a scan of the characters, without building
 * anything (JSON.parse itself copes with any depth; what comes after it might not).
 */
export function jsonTextDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** A body as JSON with its nesting depth (counted up to just past `maxDepth`). */
export function parseJsonBody(body: Uint8Array, maxDepth: number): Parsed {
  try {
    const text = utf8.decode(body);
    const value: unknown = JSON.parse(text);
    return { ok: true, value, depth: jsonTextDepth(text, maxDepth) };
  } catch (err) {
    return { ok: false, error: `the body is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function reply(apiVersion: string, decision: HttpReply['decision'] & object): HttpReply {
  return {
    status: 200,
    body: encodeReview(apiVersion, decision.answer.response),
    contentType: 'application/json',
    decision,
  };
}

function failurePolicyOf(endpoint: Endpoint, loaded: LoadedSet | undefined): 'Fail' | 'Ignore' {
  return endpoint.failurePolicyIn(loaded?.set) ?? 'Fail';
}

export function createAdmissionHandler(config: AdmissionHandlerConfig): HttpHandler {
  return async (call: HttpCall): Promise<HttpReply> => {
    const endpoint = routeAdmission(call.path);
    if (endpoint === undefined) return errorReply(404, `no admission endpoint at ${call.path.split('?')[0]}`);
    if (call.method !== 'POST')
      return errorReply(405, `${call.method} is not allowed; admission reviews are POSTed`);
    // Taken once: the request finishes on this set whatever is swapped in meanwhile.
    const loaded = config.store.current();
    if (loaded === undefined && !endpoint.failsClosed)
      return errorReply(503, 'not ready: the policy set is not loaded yet');
    const body = parseJsonBody(call.body, config.maxDepth);
    if (!body.ok) return errorReply(400, body.error);
    const decoded = decodeReview(body.value);
    if (!decoded.ok) return errorReply(400, `not an AdmissionReview: ${decoded.error}`);
    const { apiVersion, request } = decoded.review;
    if (loaded === undefined) {
      const response = failureResponse('Fail', request.uid, 'the policy set is not loaded yet');
      return reply(apiVersion, { endpoint, request, answer: { response, skipped: 'not-ready' } });
    }
    // Literals without spreads on this path: V8 builds `{ ...a, b }` in the old space, which keeps the
    // request's young objects alive through scavenges (docs/decisions/0007-performance.md).
    if (body.depth > config.maxDepth) {
      const reason = `the review nests deeper than ${config.maxDepth} levels`;
      const response = failureResponse(failurePolicyOf(endpoint, loaded), request.uid, reason);
      return reply(apiVersion, { endpoint, request, loaded, answer: { response, skipped: 'too-deep' } });
    }
    let answer: ReviewAnswer;
    try {
      const input: ReviewInput =
        call.receivedAt !== undefined
          ? { endpoint, review: decoded.review, loaded, receivedAt: call.receivedAt }
          : { endpoint, review: decoded.review, loaded };
      answer = await config.review(input);
    } catch (err) {
      // A bug, not the user's input (B5): answered by the failure policy, and logged through the decision.
      const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
      const response = failureResponse(failurePolicyOf(endpoint, loaded), request.uid, reason);
      answer = { response, skipped: 'internal-error' };
    }
    return reply(apiVersion, { endpoint, request, loaded, answer });
  };
}
