/**
 * @module `/verifyttl` (Kyverno's cleanup controller serves it, cmd/cleanup-controller/handlers/
 * admission/resource): the API server sends creates and updates of objects labelled
 * `cleanup.kyverno.io/ttl`; a value the TTL controller could not read is answered with Kyverno's
 * warning and the write allowed (`warn`, the reference), or denied with the same text (`deny`).
 * It needs no policy set.
 */
import { TTL_VALIDATION_PATH, ttlLabelWarning } from '../../engine/index.js';
import type { HttpHandler } from '../http.js';
import type { Logger } from '../log.js';
import { createSetlessReviewHandler } from './setless-review.js';

export type InvalidTtl = 'warn' | 'deny';

export interface VerifyTtlConfig {
  readonly invalidTtl: InvalidTtl;
  readonly maxDepth: number;
  readonly logger: Logger;
}

export const isVerifyTtlPath = (path: string): boolean =>
  // Every call is routed through this test: the prefix rules out the others without a split and a RegExp.
  path.startsWith(TTL_VALIDATION_PATH) &&
  (path.split('?')[0] ?? '').replace(/\/+$/, '') === TTL_VALIDATION_PATH;

export function createVerifyTtlHandler(config: VerifyTtlConfig): HttpHandler {
  return createSetlessReviewHandler(config.maxDepth, (request) => {
    const labels = (request.object?.metadata?.labels ?? undefined) as Record<string, string> | undefined;
    const warning = request.operation === 'DELETE' ? undefined : ttlLabelWarning(labels);
    if (warning === undefined) return { uid: request.uid, allowed: true };
    config.logger.info('ttl label not readable', {
      uid: request.uid,
      kind: request.kind.kind,
      name: request.name,
      namespace: request.namespace,
      denied: config.invalidTtl === 'deny',
    });
    if (config.invalidTtl === 'deny')
      return { uid: request.uid, allowed: false, status: { status: 'Failure', message: warning } };
    return { uid: request.uid, allowed: true, warnings: [warning] };
  });
}
