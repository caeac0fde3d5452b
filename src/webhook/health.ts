/**
 * @module `GET /health/liveness` and `/health/readiness` (reference §9.1). Ready only once a policy
 * set is loaded: until then the Service sends no traffic here, and the admission endpoints refuse to
 * allow anything.
 */
import { type HttpReply, jsonReply } from './http.js';
import type { PolicyStore } from './policy-store.js';

export const HEALTH_PATHS = new Set(['/health/liveness', '/health/readiness']);

export function healthReply(path: string, store: PolicyStore): HttpReply | undefined {
  const p = path.split('?')[0];
  if (p === '/health/liveness') return jsonReply(200, { status: 'ok' });
  if (p === '/health/readiness')
    return store.ready
      ? jsonReply(200, { status: 'ready', generation: store.current()?.generation })
      : jsonReply(503, { status: 'not ready', reason: 'the policy set is not loaded yet' });
  return undefined;
}
