/**
 * @module The server's handler type, independent of node:http so that handlers and middleware are
 * tested as plain functions: a call (method, path, body bytes) in, a reply (status, JSON text) out,
 * with what was decided attached for the metrics and the log (never sent).
 */
import type { AdmissionRequest } from '../engine/index.js';
import type { Endpoint } from './endpoints.js';
import type { ReviewAnswer } from './handlers/review.js';
import type { LoadedSet } from './policy-store.js';

export interface HttpCall {
  readonly method: string;
  /** The request target: path and query. */
  readonly path: string;
  readonly body: Uint8Array;
  /** When the request arrived (monotonic ms): the deadline counts from here, queueing included. */
  readonly receivedAt?: number;
}

/** What an admission reply decided, for middleware. */
export interface Decision {
  readonly endpoint: Endpoint;
  readonly request: AdmissionRequest;
  readonly answer: ReviewAnswer;
  /** The policy set that answered (absent: none loaded). */
  readonly loaded?: LoadedSet;
}

export interface HttpReply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly decision?: Decision;
  /** A short reason for a non-200 reply, for the log. */
  readonly error?: string;
}

export type HttpHandler = (call: HttpCall) => Promise<HttpReply>;

export function jsonReply(status: number, value: unknown, extra: Partial<HttpReply> = {}): HttpReply {
  return { status, body: JSON.stringify(value), contentType: 'application/json', ...extra };
}

/** A 4xx/5xx reply in the metav1.Status shape the API server logs when a webhook call fails. */
export function errorReply(status: number, message: string): HttpReply {
  return jsonReply(
    status,
    { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code: status },
    { error: message },
  );
}
