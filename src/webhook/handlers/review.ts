/**
 * @module One decoded review through the pipeline of Kyverno's resource handlers (reference §9.1):
 * user exclusions and resource filters (allowed unevaluated), the endpoint's operation filter, then
 * `admit` on the endpoint's phases and policies, shaped into the endpoint's answer. Generated objects
 * go to the side-effect sink, never for a dry run.
 */
import { setMaxListeners } from 'node:events';
import {
  type AdmissionOutcome,
  type AdmissionRequest,
  type AdmissionRuntime,
  type AdmitOptions,
  type AsyncPorts,
  admit,
  type GeneratedObject,
  isExcludedUser,
  isFilteredRequest,
  type Limits,
  type OfflineRequestContext,
  type ResourceFilter,
  type UserExclusions,
} from '../../engine/index.js';
import type { AdmittedRequest } from '../../io/background.js';
import type { AdmissionResponse, DecodedReview } from '../admission-review.js';
import type { Endpoint } from '../endpoints.js';
import type { Deadline } from '../middleware/timeout.js';
import type { LoadedSet } from '../policy-store.js';
import { failureResponse } from './failure.js';
import { mutationResponse } from './mutate.js';
import { validationResponse } from './validate.js';

export interface ReviewInput {
  readonly endpoint: Endpoint;
  readonly review: DecodedReview;
  readonly loaded: LoadedSet;
  /** When the request arrived (monotonic ms), if known. */
  readonly receivedAt?: number;
}

/** Why a request was answered without a (complete) evaluation. */
export type SkipReason =
  | 'excluded-user'
  | 'resource-filter'
  | 'operation-filter'
  | 'deadline'
  | 'limits'
  | 'too-deep'
  | 'internal-error'
  | 'not-ready';

export interface ReviewAnswer {
  readonly response: AdmissionResponse;
  readonly skipped?: SkipReason;
  readonly outcome?: AdmissionOutcome;
}

/** Where objects generate rules want would be written; a files-only server just reports them. */
export type GeneratedSink = (objects: readonly GeneratedObject[], request: AdmissionRequest) => void;

export interface ReviewConfig {
  readonly filters: readonly ResourceFilter[];
  readonly exclusions: UserExclusions;
  readonly limits?: Partial<Limits>;
  /** Monotonic milliseconds, to time each policy for the metrics. */
  readonly timer?: () => number;
  readonly onGenerated?: GeneratedSink;
  /**
   * Every request but dry runs, with the policies' responses: the reports record the results, the
   * mutate-existing controller the allowed requests (background controllers, io/background.ts).
   */
  readonly onAdmitted?: (admitted: AdmittedRequest) => void;
  /**
   * What the review does not carry (the namespace object, the user's roles), from the cluster source;
   * a server reading a folder has none.
   */
  readonly requestContext?: (request: AdmissionRequest) => OfflineRequestContext;
  /**
   * Ports that do I/O (the live cluster). With them `admit` runs by replay: an evaluation that calls
   * none of them (no context entry, no `resource.get`) runs once, as without them; one that does is
   * run again with the answers. Absent: the clock only.
   */
  readonly ports?: AsyncPorts;
}

/** The roles the exclusions are matched against here: none (one shared empty list, not two new ones per review). */
const NONE: readonly string[] = Object.freeze([]);

function skipped(
  request: AdmissionRequest,
  config: ReviewConfig,
  endpoint: Endpoint,
): SkipReason | undefined {
  const user = request.userInfo;
  const excluded = isExcludedUser(config.exclusions, {
    username: user?.username ?? '',
    groups: user?.groups ?? NONE,
    roles: NONE,
    clusterRoles: NONE,
  });
  if (excluded) return 'excluded-user';
  if (isFilteredRequest(config.filters, request)) return 'resource-filter';
  if (endpoint.operations !== undefined && !endpoint.operations.has(request.operation))
    return 'operation-filter';
  return undefined;
}

/** The review handler: never answers before `admit` has run on the whole request. */
export function createReviewHandler(config: ReviewConfig) {
  // One limits object per deadline (there is one): the engine resolves a limits object once and keeps
  // the result by identity, where a new literal per request was resolved again every time.
  let limitsFor: { ms: number; limits: Partial<Limits> } | undefined;
  const limitsOf = (ms: number): Partial<Limits> => {
    if (limitsFor?.ms !== ms) limitsFor = { ms, limits: { requestTimeoutMs: ms, ...config.limits } };
    return limitsFor.limits;
  };
  return async (input: ReviewInput, deadline: Deadline): Promise<ReviewAnswer> => {
    const { endpoint, review, loaded } = input;
    const request =
      config.requestContext === undefined
        ? review.request
        : Object.assign({}, review.request, { context: config.requestContext(review.request) });
    const skip = skipped(request, config, endpoint);
    if (skip !== undefined) return { response: { uid: request.uid, allowed: true }, skipped: skip };
    const dryRun = request.dryRun === true;
    // A dry run has no side effects: its generate rules need not run at all.
    const phases = dryRun ? endpoint.phases.filter((p) => p !== 'legacy-generate') : endpoint.phases;
    const limits = limitsOf(deadline.ms);
    let runtime: AdmissionRuntime;
    if (config.ports === undefined)
      runtime = { ports: { clock: deadline.clock }, signal: deadline.signal, limits };
    else if (deadline.waits) {
      // Each port call in flight listens to the request's signal until it ends: many at once in one
      // request (a foreach of apiCalls) is no leak, so Node's warning past 10 listeners is not wanted.
      setMaxListeners(0, deadline.signal);
      runtime = { asyncPorts: { ...config.ports, clock: deadline.clock }, signal: deadline.signal, limits };
    } else throw new Error('a review with ports needs a deadline that waits (withDeadline `waits`)');
    // A literal per case, not a conditional spread (V8's slow path), once per review.
    const options: AdmitOptions =
      config.timer !== undefined
        ? { profile: 'admission', phases, select: endpoint.select, timer: config.timer }
        : { profile: 'admission', phases, select: endpoint.select };
    const outcome = await admit(loaded.set, request, runtime, options);
    // A request-wide limit (its time, its total work) left the rules after it unevaluated: the
    // outcome is incomplete, so the failure policy answers, as for the deadline.
    if (outcome.stoppedBy !== undefined) {
      const failurePolicy = endpoint.failurePolicyIn(loaded.set) ?? 'Fail';
      const reason = `evaluation stopped: ${outcome.stoppedBy.message}`;
      return { response: failureResponse(failurePolicy, request.uid, reason), skipped: 'limits', outcome };
    }
    if (!dryRun && outcome.generated.length > 0 && !deadline.expired())
      config.onGenerated?.(outcome.generated, request);
    if (!dryRun)
      config.onAdmitted?.({
        request,
        set: loaded.set,
        select: endpoint.select,
        role: endpoint.role,
        responses: outcome.responses,
        allowed: outcome.allowed && !deadline.expired(),
      });
    const response =
      endpoint.role === 'mutate'
        ? mutationResponse(request.uid, outcome)
        : endpoint.role === 'validate'
          ? validationResponse(request.uid, outcome, endpoint.family)
          : { uid: request.uid, allowed: true };
    return { response, outcome };
  };
}
