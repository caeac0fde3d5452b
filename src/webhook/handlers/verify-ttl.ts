/**
 * @module `/verifyttl` (Kyverno's cleanup controller serves it, cmd/cleanup-controller/handlers/
 * admission/resource): the API server sends creates and updates of objects labelled
 * `cleanup.kyverno.io/ttl`; a value the TTL controller could not read is answered with Kyverno's
 * warning and the write allowed (`warn`, the reference), or denied with the same text (`deny`).
 * It needs no policy set.
 */
import { TTL_VALIDATION_PATH, ttlLabelWarning } from '../../engine/index.js';
import { decodeReview, encodeReview } from '../admission-review.js';
import { errorReply, type HttpCall, type HttpHandler, type HttpReply } from '../http.js';
import type { Logger } from '../log.js';
import { parseJsonBody } from './admission.js';

export type InvalidTtl = 'warn' | 'deny';

export interface VerifyTtlConfig {
  readonly invalidTtl: InvalidTtl;
  readonly maxDepth: number;
  readonly logger: Logger;
}

export const isVerifyTtlPath = (path: string): boolean =>
  (path.split('?')[0] ?? '').replace(/\/+$/, '') === TTL_VALIDATION_PATH;

export function createVerifyTtlHandler(config: VerifyTtlConfig): HttpHandler {
  return async (call: HttpCall): Promise<HttpReply> => {
    if (call.method !== 'POST')
      return errorReply(405, `${call.method} is not allowed; admission reviews are POSTed`);
    const body = parseJsonBody(call.body, config.maxDepth);
    if (!body.ok) return errorReply(400, body.error);
    if (body.tooDeep) return errorReply(400, `the review nests deeper than ${config.maxDepth} levels`);
    const decoded = decodeReview(body.value);
    if (!decoded.ok) return errorReply(400, `not an AdmissionReview: ${decoded.error}`);
    const { apiVersion, request } = decoded.review;
    const reply = (response: Parameters<typeof encodeReview>[1]): HttpReply => ({
      status: 200,
      body: encodeReview(apiVersion, response),
      contentType: 'application/json',
    });
    const labels = (request.object?.metadata?.labels ?? undefined) as Record<string, string> | undefined;
    const warning = request.operation === 'DELETE' ? undefined : ttlLabelWarning(labels);
    if (warning === undefined) return reply({ uid: request.uid, allowed: true });
    config.logger.info('ttl label not readable', {
      uid: request.uid,
      kind: request.kind.kind,
      name: request.name,
      namespace: request.namespace,
      denied: config.invalidTtl === 'deny',
    });
    if (config.invalidTtl === 'deny')
      return reply({ uid: request.uid, allowed: false, status: { status: 'Failure', message: warning } });
    return reply({ uid: request.uid, allowed: true, warnings: [warning] });
  };
}
