/** @module One log line per admission decision, and one per refused call (4xx/5xx). */
import type { HttpHandler } from '../http.js';
import { decisionFields, type Logger } from '../log.js';

export function withDecisionLog(handler: HttpHandler, logger: Logger, now: () => number): HttpHandler {
  return async (call) => {
    const started = now();
    const reply = await handler(call);
    const ms = now() - started;
    if (reply.decision !== undefined) logger.info('admission', decisionFields(reply.decision, ms));
    else if (reply.status >= 400)
      logger.warn('admission call refused', {
        path: call.path.split('?')[0],
        method: call.method,
        status: reply.status,
        error: reply.error ?? '',
        bytes: call.body.byteLength,
      });
    return reply;
  };
}
