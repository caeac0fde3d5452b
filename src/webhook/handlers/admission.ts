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

type Parsed = { ok: true; value: unknown; tooDeep: boolean } | { ok: false; error: string };

/**
 * Nesting depth of JSON bytes, stopping past `stopAbove`: a scan, without building anything (JSON.parse
 * itself copes with any depth; what comes after it might not). UTF-8 bytes scan as their text does:
 * every byte of a multi-byte character is ≥ 0x80, so quotes, backslashes and brackets are found alike.
 */
export function jsonDepth(bytes: Uint8Array, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      // A string, skipped to its closing quote in a loop of its own (most of a review's bytes).
      for (i++; i < n; i++) {
        const d = bytes[i];
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Whether the bytes hold at most `limit` opening brackets (in strings or not): then they cannot nest
 * deeper than `limit`. Buffer's native search finds them faster than a scan of every byte.
 */
function fewOpeners(bytes: Uint8Array, limit: number): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let i = b.indexOf(0x7b); i !== -1; i = b.indexOf(0x7b, i + 1)) if (++n > limit) return false;
  for (let i = b.indexOf(0x5b); i !== -1; i = b.indexOf(0x5b, i + 1)) if (++n > limit) return false;
  return true;
}

/** Whether JSON bytes nest deeper than `maxDepth`. */
export function nestsDeeper(bytes: Uint8Array, maxDepth: number): boolean {
  return !fewOpeners(bytes, maxDepth) && jsonDepth(bytes, maxDepth) > maxDepth;
}

/** A body as JSON, and whether it nests deeper than `maxDepth`. */
export function parseJsonBody(body: Uint8Array, maxDepth: number): Parsed {
  try {
    const value: unknown = JSON.parse(utf8.decode(body));
    // JSON that parsed and nests d deep has d opening and d closing brackets: fewer than
    // 2 × (maxDepth + 1) bytes cannot nest deeper than maxDepth, and need no scan.
    const tooDeep = body.byteLength >= 2 * (maxDepth + 1) && nestsDeeper(body, maxDepth);
    return { ok: true, value, tooDeep };
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
    if (body.tooDeep) {
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
