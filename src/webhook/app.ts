/**
 * @module The admission handler with its middleware, as one function of a call: recover ∘ log ∘
 * metrics ∘ body limit ∘ admission (route, readiness, decode, depth) ∘ deadline ∘ review. Built from
 * values only, so tests drive exactly what the server runs.
 */
import type {
  AdmissionRequest,
  AsyncPorts,
  Limits,
  OfflineRequestContext,
  ResourceFilter,
  UserExclusions,
} from '../engine/index.js';
import { createAdmissionHandler } from './handlers/admission.js';
import { failureResponse } from './handlers/failure.js';
import {
  createPolicyValidationHandler,
  isPolicyValidatePath,
  type PolicyVerdict,
} from './handlers/policy-validate.js';
import {
  createReviewHandler,
  type GeneratedSink,
  type ReviewAnswer,
  type ReviewConfig,
  type ReviewInput,
} from './handlers/review.js';
import { createVerifyTtlHandler, type InvalidTtl, isVerifyTtlPath } from './handlers/verify-ttl.js';
import type { HttpHandler } from './http.js';
import type { Logger } from './log.js';
import { withBodyLimit } from './middleware/body-limit.js';
import { withDecisionLog } from './middleware/log.js';
import { type WebhookMetrics, withMetrics } from './middleware/metrics.js';
import { withRecover } from './middleware/recover.js';
import { withDeadline } from './middleware/timeout.js';
import type { PolicyStore } from './policy-store.js';

export interface AppConfig {
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  /** Evaluation deadline, below the webhook timeout. */
  readonly deadlineMs: number;
  readonly filters: readonly ResourceFilter[];
  readonly exclusions: UserExclusions;
  readonly limits?: Partial<Limits>;
  readonly logger: Logger;
  readonly metrics?: WebhookMetrics;
  readonly onGenerated?: GeneratedSink;
  readonly onAdmitted?: ReviewConfig['onAdmitted'];
  /** Namespace object and roles for a request (the cluster source). */
  readonly requestContext?: (request: AdmissionRequest) => OfflineRequestContext;
  /** What policies may read during evaluation (the cluster source); absent: the clock only. */
  readonly ports?: AsyncPorts;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** Checks one policy for `/policyvalidate`; absent: that path is not served. */
  readonly checkPolicy?: (object: unknown) => Promise<PolicyVerdict>;
  /** `/verifyttl`: warn about (the reference) or deny an unreadable TTL label; absent: warn. */
  readonly invalidTtl?: InvalidTtl;
}

function expired(input: ReviewInput, ms: number): ReviewAnswer {
  const failurePolicy = input.endpoint.failurePolicyIn(input.loaded.set) ?? 'Fail';
  const reason = `evaluation deadline of ${ms} ms exceeded`;
  return { response: failureResponse(failurePolicy, input.review.request.uid, reason), skipped: 'deadline' };
}

export function createAdmissionApp(store: PolicyStore, config: AppConfig): HttpHandler {
  const now = config.now ?? (() => performance.now());
  const review = withDeadline(
    createReviewHandler({
      filters: config.filters,
      exclusions: config.exclusions,
      timer: now,
      ...(config.limits !== undefined ? { limits: config.limits } : {}),
      ...(config.onGenerated !== undefined ? { onGenerated: config.onGenerated } : {}),
      ...(config.onAdmitted !== undefined ? { onAdmitted: config.onAdmitted } : {}),
      ...(config.requestContext !== undefined ? { requestContext: config.requestContext } : {}),
      ...(config.ports !== undefined ? { ports: config.ports } : {}),
    }),
    // Without ports nothing in a review waits (the evaluation is synchronous): no timer is needed.
    { ms: config.deadlineMs, now, waits: config.ports !== undefined },
    (input) => expired(input, config.deadlineMs),
  );
  let handler = withBodyLimit(
    createAdmissionHandler({ store, review, maxDepth: config.maxDepth }),
    config.maxBodyBytes,
  );
  if (config.metrics !== undefined) handler = withMetrics(handler, config.metrics, now);
  handler = withDecisionLog(handler, config.logger, now);
  const onError = (err: unknown): void =>
    config.logger.error('admission handler failed', {
      error: err instanceof Error ? err.message : String(err),
    });
  const resources = withRecover(handler, onError);
  const verifyTtl = withRecover(
    withBodyLimit(
      createVerifyTtlHandler({
        invalidTtl: config.invalidTtl ?? 'warn',
        maxDepth: config.maxDepth,
        logger: config.logger,
      }),
      config.maxBodyBytes,
    ),
    onError,
  );
  const admission: HttpHandler = (call) => (isVerifyTtlPath(call.path) ? verifyTtl(call) : resources(call));
  if (config.checkPolicy === undefined) return admission;
  const policyValidation = withRecover(
    withBodyLimit(
      createPolicyValidationHandler({
        check: config.checkPolicy,
        maxDepth: config.maxDepth,
        logger: config.logger,
      }),
      config.maxBodyBytes,
    ),
    onError,
  );
  return (call) => (isPolicyValidatePath(call.path) ? policyValidation(call) : admission(call));
}
