/**
 * @module The last line of defence: anything a handler throws becomes a 500 and a log line, never a
 * crash. (Review handlers catch their own errors first and answer by the failure policy; this is for
 * bugs outside them.)
 */
import { errorReply, type HttpHandler } from '../http.js';

export function withRecover(handler: HttpHandler, onError: (err: unknown) => void): HttpHandler {
  return async (call) => {
    try {
      return await handler(call);
    } catch (err) {
      onError(err);
      return errorReply(500, 'internal error');
    }
  };
}
