/**
 * @module How a failed live call becomes a port answer (`PortResult` with a code), never a
 * rejection: the evaluation's abort (deadline → `timeout`, otherwise `cancelled`), a network
 * failure or a server that cannot answer now (`unavailable`), an HTTP status (404 `not-found`,
 * 401/403 `forbidden`, 429/5xx `unavailable`), anything else `failed`. The rule that needed the
 * answer errors with the message, and the policy's failurePolicy decides.
 */
import type { PortErrorCode, PortResult } from '../../engine/index.js';
import { CallTimeoutError, ResponseTooLargeError } from './bounded-request.js';

type Failure = Extract<PortResult<never>, { ok: false }>;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
]);

export function failure(code: PortErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The code of an HTTP error status. */
export function statusCode(status: number): PortErrorCode {
  if (status === 404) return 'not-found';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 429 || status >= 500) return 'unavailable';
  return 'failed';
}

/** A Kubernetes Status message, else the start of the body. */
export function statusMessage(text: string): string {
  try {
    const s = JSON.parse(text) as { message?: unknown };
    if (typeof s?.message === 'string') return s.message;
  } catch {
    // not JSON: the text itself
  }
  const t = text.trim();
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}

/** A call that did not get an answer: why, as the port's code, naming `what`. */
export function callFailure(what: string, err: unknown, signal: AbortSignal): Failure {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return timedOut
      ? failure('timeout', `${what}: timed out (evaluation deadline exceeded: ${text(reason)})`)
      : failure('cancelled', `${what}: cancelled (${text(reason)})`);
  }
  if (err instanceof ResponseTooLargeError) return failure('failed', `${what}: ${err.message}`);
  if (err instanceof CallTimeoutError) return failure('unavailable', `${what}: ${err.message}`);
  const code = (err as { code?: unknown } | undefined)?.code;
  // The HTTP egress policy refused the address the host resolved to (egress-policy.ts).
  if (code === 'EBLOCKED') return failure('forbidden', `${what}: ${text(err)}`);
  if (typeof code === 'string' && NETWORK_CODES.has(code))
    return failure('unavailable', `${what}: ${text(err)}`);
  return failure('failed', `${what}: ${text(err)}`);
}

/** A JSON body, or a `failed` answer saying it is not JSON. */
export function parseJson(what: string, body: string): PortResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return failure('failed', `${what}: the response is not JSON (${text(err)})`);
  }
}
