/**
 * @module The mutate-existing controller (Kyverno's background controller for `mutate` and
 * `cel-mutate` UpdateRequests, reference §9.2; docs/decisions/0018). Admission, on any replica and
 * never for a dry run, records the triggers of mutate-existing policies (mutate-requests.ts); the
 * leader processes the records and, on policy change, the existing triggers of policies with
 * `mutateExistingOnPolicyUpdate` (every mutate-existing MutatingPolicy). Each piece of work is one
 * (policy, trigger) in a bounded, deduplicated queue with retries: the policy is evaluated again on
 * the trigger (read from the cluster for CREATE, as admitted for UPDATE and DELETE) in the engine's
 * `mutate-existing` phase, which reads the targets through the ports, and each patched target is
 * written back with an update carrying the resourceVersion it was read at (its subresource for
 * `Kind/status` targets). A 409 Conflict reads and evaluates again. Targets outside a namespaced
 * policy's namespace are refused.
 */
import { setMaxListeners } from 'node:events';
import {
  type AdmissionRequest,
  type AsyncPorts,
  admit,
  type CompiledSetPolicy,
  type KubeObject,
  objectOutsideNamespace,
  type PolicySet,
  requestForObject,
  triggersMutateExistingWork,
} from '../../engine/index.js';
import type { AdmittedRequest, BackgroundLogger } from '../../io/background.js';
import type { ClusterObjects } from '../../io/cluster/cluster-objects.js';
import { isConflict } from '../../io/cluster/kube-rest.js';
import {
  type MutateRequest,
  type MutateRequestStore,
  mutateRequestKey,
} from '../../io/cluster/mutate-requests.js';
import { type EventSink, NO_EVENTS } from '../../io/events/event-info.js';
import { backgroundFailedEvent, mutatedEvent } from '../../io/events/policy-events.js';
import { WorkQueue, type WorkQueueOptions } from '../generate/work-queue.js';
import { leadWork, PendingWrites, recordWithRetries } from '../work-loops.js';
import { mutateExistingOf } from './mutate-existing-rules.js';

const EVALUATION_TIMEOUT_MS = 30_000;
/** Evaluations of one piece of work that may end in a 409 before it goes back to the queue. */
const CONFLICT_ATTEMPTS = 5;

export interface MutateExistingControllerOptions {
  readonly objects: ClusterObjects;
  /** The ports evaluation reads targets and context through (the live cluster). */
  readonly ports: AsyncPorts;
  readonly requests: MutateRequestStore;
  readonly policies: () => PolicySet | undefined;
  readonly logger: BackgroundLogger;
  readonly resyncMs: number;
  /** Palisade's own namespace: its service accounts' requests are the controller's own writes. */
  readonly namespace: string;
  /** How often the leader reads the admission records (default 1 s). */
  readonly pollMs?: number;
  readonly queue?: Partial<WorkQueueOptions>;
  /** Kyverno's kyverno-mutate events: targets mutated, rules that failed. */
  readonly events?: EventSink;
}

interface Work {
  readonly request: MutateRequest;
  /** The admission record to delete once done. */
  readonly record?: string;
  /** Found by a resync: a trigger gone meanwhile is no work (an admitted one may not be stored yet). */
  readonly listed?: boolean;
}

export interface MutateExistingController {
  onAdmitted(admitted: AdmittedRequest): void;
  lead(signal: AbortSignal): Promise<void>;
  /** Waits for the admission records being written. */
  flush(): Promise<void>;
}

/** What one processed piece of work wrote (tests, logs). */
export interface WriteOutcome {
  readonly updated: readonly string[];
  readonly refused: readonly string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const idOf = (o: KubeObject): string =>
  `${str(o.kind)}/${str(o.metadata?.namespace) === '' ? '' : `${str(o.metadata?.namespace)}/`}${str(o.metadata?.name)}`;

const policyRefOf = (p: CompiledSetPolicy): MutateRequest['policy'] => ({
  kind: p.ref.kind,
  name: p.ref.name,
  ...(p.ref.namespace !== undefined ? { namespace: p.ref.namespace } : {}),
});

const sameRef = (p: CompiledSetPolicy, r: MutateRequest['policy']): boolean =>
  p.ref.kind === r.kind && p.ref.name === r.name && (p.ref.namespace ?? '') === (r.namespace ?? '');

function refOf(object: KubeObject): MutateRequest['trigger'] {
  const ns = str(object.metadata?.namespace);
  return {
    apiVersion: str(object.apiVersion),
    kind: str(object.kind),
    ...(ns !== '' ? { namespace: ns } : {}),
    name: str(object.metadata?.name),
  };
}

/** The record admission writes for `policy` (the trigger as admitted for UPDATE and DELETE). */
export function admissionRecord(request: AdmissionRequest, policy: CompiledSetPolicy): MutateRequest {
  const object = (request.object ?? request.oldObject ?? {}) as KubeObject;
  const k = request.kind;
  const trigger = {
    apiVersion: k.group === '' ? k.version : `${k.group}/${k.version}`,
    kind: k.kind,
    ...(request.namespace !== '' ? { namespace: request.namespace } : {}),
    name: str(object.metadata?.name) || request.name,
  };
  const stored =
    request.operation === 'CREATE'
      ? {}
      : {
          ...(request.object !== null ? { object: request.object } : {}),
          ...(request.oldObject !== null ? { oldObject: request.oldObject } : {}),
        };
  return {
    policy: policyRefOf(policy),
    trigger,
    operation: request.operation,
    ...(request.userInfo !== undefined ? { userInfo: request.userInfo } : {}),
    ...stored,
  };
}

/**
 * The policies an allowed request records work for: mutate-existing policies its endpoint evaluates
 * (ClusterPolicy/Policy at the validating endpoints, as Kyverno's validating webhook; MutatingPolicy
 * at its own), for the operations they record, unless the request is Palisade's own write.
 */
export function recordedPolicies(admitted: AdmittedRequest, ownNamespace: string): CompiledSetPolicy[] {
  const { request, set, select, role } = admitted;
  if (request.operation === 'CONNECT') return [];
  const own = (request.userInfo?.username ?? '').startsWith(`system:serviceaccount:${ownNamespace}:`);
  const candidates = set.policiesFor(
    { kind: request.kind.kind, resource: request.resource.resource },
    request.namespace,
  );
  return candidates.filter((p) => {
    if (p.kind === 'cluster-policy' ? role !== 'validate' : p.kind !== 'mutating-policy' || role !== 'mutate')
      return false;
    const info = mutateExistingOf(p);
    if (info === undefined || (own && info.skipBackgroundRequests) || !select(p)) return false;
    return triggersMutateExistingWork(set, p, request);
  });
}

export function createMutateExistingController(
  options: MutateExistingControllerOptions,
): MutateExistingController {
  const { objects, requests, logger } = options;
  const events = options.events ?? NO_EVENTS;
  const queue = new WorkQueue<Work>({
    capacity: 10_000,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxAttempts: 8,
    ...options.queue,
  });
  const writes = new PendingWrites();
  /** Policies whose existing triggers were queued in this term, by compiled policy. */
  let existingDone = new WeakSet<object>();

  const enqueue = (work: Work): void => {
    if (!queue.add(mutateRequestKey(work.request), work))
      logger.warn('mutate-existing queue full; the work is left to its record or the next policy change', {
        key: mutateRequestKey(work.request),
      });
  };

  const record = (request: MutateRequest): Promise<void> =>
    recordWithRetries(
      () => requests.put(request),
      { what: 'mutate-existing', key: mutateRequestKey(request) },
      logger,
    );

  /** The trigger and the request to evaluate it with, or undefined when it cannot be had yet. */
  const triggerRequest = async (r: MutateRequest): Promise<AdmissionRequest> => {
    const t = r.trigger;
    const stored =
      r.operation === 'DELETE' ? (r.oldObject ?? r.object) : r.operation === 'UPDATE' ? r.object : undefined;
    const trigger = stored ?? (await objects.get(t.apiVersion, t.kind, t.namespace, t.name));
    // Not stored yet (admission runs before the object is), or denied by another webhook.
    if (trigger === undefined) throw new Error(`trigger ${t.kind}/${t.namespace ?? ''}/${t.name} not found`);
    const ns = str(trigger.metadata?.namespace);
    const namespaceObject =
      ns !== '' ? ((await objects.get('v1', 'Namespace', undefined, ns)) ?? null) : null;
    const operation = r.operation === 'UPDATE' || r.operation === 'DELETE' ? r.operation : 'CREATE';
    const userInfo = r.userInfo as AdmissionRequest['userInfo'];
    const request = requestForObject(trigger, operation, {
      context: { namespaceObject },
      ...(userInfo !== undefined ? { userInfo } : {}),
    });
    return operation === 'UPDATE' ? { ...request, oldObject: r.oldObject ?? trigger } : request;
  };

  /** One evaluation and its writes; answers 'conflict' when a target changed meanwhile. */
  const attempt = async (
    set: PolicySet,
    policy: CompiledSetPolicy,
    r: MutateRequest,
    signal: AbortSignal,
  ): Promise<WriteOutcome | 'conflict'> => {
    const request = await triggerRequest(r);
    const evaluation = AbortSignal.any([signal, AbortSignal.timeout(EVALUATION_TIMEOUT_MS)]);
    setMaxListeners(0, evaluation);
    const outcome = await admit(
      set,
      request,
      { asyncPorts: options.ports, signal: evaluation },
      { profile: 'admission', phases: ['mutate-existing'], select: (p) => p === policy },
    );
    const updated: string[] = [];
    const refused: string[] = [];
    for (const { object, subresource } of outcome.mutatedTargets) {
      const outside = objectOutsideNamespace(object, policy.ref.namespace);
      if (outside !== undefined) {
        refused.push(idOf(object));
        logger.warn('mutate-existing target refused', {
          policy: policy.ref.name,
          target: idOf(object),
          reason: outside,
        });
        continue;
      }
      if (signal.aborted) break; // leadership lost: write nothing more
      try {
        await objects.update(object, subresource);
      } catch (err) {
        if (isConflict(err)) return 'conflict';
        throw err;
      }
      updated.push(`${idOf(object)}${subresource !== undefined ? `/${subresource}` : ''}`);
      events.add(mutatedEvent(policy.ref, object));
      logger.info('existing object mutated', {
        policy: policy.ref.name,
        target: idOf(object),
        ...(subresource !== undefined ? { subresource } : {}),
      });
    }
    const failedRules = outcome.responses.flatMap((x) =>
      x.response.rules.filter((rule) => rule.status === 'error'),
    );
    const errors = failedRules.map((rule) => `${rule.name}: ${rule.message}`);
    for (const rule of failedRules)
      events.add(backgroundFailedEvent('kyverno-mutate', policy.ref, rule.name, rule.message, r.trigger));
    if (errors.length > 0) throw new Error(errors.join('; '));
    return { updated, refused };
  };

  /** Evaluates the policy on the trigger and writes its targets; throws to retry. */
  const process = async (work: Work, signal: AbortSignal): Promise<void> => {
    const set = options.policies();
    if (set === undefined) throw new Error('no policy set loaded yet');
    const policy = set.policies.find((p) => sameRef(p, work.request.policy));
    if (policy === undefined) return; // deleted meanwhile: nothing to do
    if (work.listed === true) {
      const t = work.request.trigger;
      if ((await objects.get(t.apiVersion, t.kind, t.namespace, t.name)) === undefined) return;
    }
    for (let i = 1; i <= CONFLICT_ATTEMPTS; i++) {
      if ((await attempt(set, policy, work.request, signal)) !== 'conflict') return;
    }
    throw new Error(`a target kept changing: ${CONFLICT_ATTEMPTS} conflicts`);
  };

  /** Policies created or changed with mutateExistingOnPolicyUpdate: their existing triggers. */
  const resync = async (signal: AbortSignal): Promise<void> => {
    const set = options.policies();
    if (set === undefined) return;
    for (const policy of set.policies) {
      if (signal.aborted) return;
      const info = mutateExistingOf(policy);
      if (info === undefined || !info.onPolicyUpdate || existingDone.has(policy.compiled as object)) continue;
      for (const k of info.triggerKinds)
        for (const trigger of await objects.list(k.apiVersion, k.kind, policy.ref.namespace)) {
          // Palisade's own namespace (its records, its Lease) triggers nothing, as at admission.
          if (trigger.metadata?.namespace === options.namespace) continue;
          const request = { policy: policyRefOf(policy), trigger: refOf(trigger), operation: 'CREATE' };
          enqueue({ request, listed: true });
        }
      existingDone.add(policy.compiled as object);
    }
  };

  return {
    onAdmitted(admitted) {
      for (const policy of recordedPolicies(admitted, options.namespace)) {
        writes.track(record(admissionRecord(admitted.request, policy)));
      }
    },
    async lead(signal) {
      // Each evaluation's signal (AbortSignal.any) listens to this one until it is collected.
      setMaxListeners(0, signal);
      existingDone = new WeakSet();
      await leadWork(
        {
          what: 'mutate-existing',
          queue,
          process,
          logger,
          records: requests,
          enqueueRecord: (request, record) => enqueue({ request, record }),
          pollMs: options.pollMs ?? 1000,
          resyncMs: options.resyncMs,
          resync,
        },
        signal,
      );
    },
    flush: () => writes.flush(),
  };
}
