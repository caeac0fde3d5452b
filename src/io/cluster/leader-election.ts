/**
 * @module Leader election through a `coordination.k8s.io/v1` Lease (client-node 1.4 has no helper).
 * Every `retryPeriod` the elector reads the Lease, asks the engine what to do (nextLeaseStep) and
 * writes with the read `resourceVersion`, so of two candidates writing at once one gets a 409 and
 * loses the round. A leader that has not renewed for `renewDeadline` (a watchdog checks, even while a
 * request hangs) or that sees another holder stops leading at once: the signal given to
 * `onStartedLeading` aborts. `stop()` releases the Lease so another replica takes over without waiting.
 */
import {
  ApiException,
  CoordinationV1Api,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from '@kubernetes/client-node';
import {
  DEFAULT_ELECTION_TIMING,
  type ElectionTiming,
  type LeaseObservation,
  type LeaseRecord,
  microTime,
  nextLeaseStep,
  observeLease,
  releasedRecord,
} from '../../engine/index.js';

export type ElectionLog = (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export interface LeaderElectionOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** The Lease's name. */
  readonly name: string;
  /** Who this replica is (pod name, else hostname and pid). */
  readonly identity: string;
  readonly timing?: ElectionTiming;
  /** Called on becoming leader; `signal` aborts the moment this replica stops leading. */
  readonly onStartedLeading: (signal: AbortSignal) => void;
  readonly onStoppedLeading?: (reason: string) => void;
  /** Another replica was seen holding the Lease. */
  readonly onNewLeader?: (identity: string) => void;
  readonly log?: ElectionLog;
}

export interface LeaderElector {
  isLeader(): boolean;
  /**
   * Stops electing; a leader steps down and releases the Lease (best effort) so that another takes
   * over at once. `release: false` leaves the Lease to expire, as a crashed process would.
   */
  stop(options?: { readonly release?: boolean }): Promise<void>;
}

const code = (err: unknown): number | undefined => (err instanceof ApiException ? err.code : undefined);
const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A MicroTime as read back: the client leaves it a string; a Date if a caller built one. */
function timeText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value instanceof Date ? microTime(value.getTime()) : String(value);
}

export function leaseRecordOf(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  const acquireTime = timeText(spec.acquireTime);
  const renewTime = timeText(spec.renewTime);
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    ...(acquireTime !== undefined ? { acquireTime } : {}),
    ...(renewTime !== undefined ? { renewTime } : {}),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

function leaseBody(name: string, namespace: string, record: LeaseRecord, resourceVersion?: string): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
    // MicroTimes go out as the strings the engine formatted (six fractional digits).
    spec: record as unknown as V1LeaseSpec,
  };
}

/** Rejects after `ms`, so that one hung request cannot stall the loop (it finishes on its own). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function startLeaderElection(options: LeaderElectionOptions): LeaderElector {
  const timing = options.timing ?? DEFAULT_ELECTION_TIMING;
  const { name, namespace, identity } = options;
  const api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  const log: ElectionLog = options.log ?? (() => undefined);
  const now = (): number => performance.now();

  let observation: LeaseObservation | undefined;
  let leading: AbortController | undefined;
  let lastRenewAt = 0;
  let lastSeenHolder = '';
  let stopped = false;
  let wake: (() => void) | undefined;

  const stopLeading = (reason: string): void => {
    if (leading === undefined) return;
    const controller = leading;
    leading = undefined;
    log('warn', 'stopped leading', { lease: `${namespace}/${name}`, identity, reason });
    controller.abort(new Error(reason));
    options.onStoppedLeading?.(reason);
  };

  const startLeading = (): void => {
    leading = new AbortController();
    log('info', 'became leader', { lease: `${namespace}/${name}`, identity });
    options.onStartedLeading(leading.signal);
  };

  const watchdog = setInterval(
    () => {
      if (leading !== undefined && now() - lastRenewAt > timing.renewDeadlineMs)
        stopLeading(`the Lease was not renewed within ${timing.renewDeadlineMs} ms`);
    },
    Math.max(50, Math.floor(timing.retryPeriodMs / 4)),
  );
  watchdog.unref();

  const tick = async (): Promise<void> => {
    const startedAt = now();
    let lease: V1Lease | undefined;
    try {
      lease = await within(timing.renewDeadlineMs, api.readNamespacedLease({ name, namespace }));
    } catch (err) {
      if (code(err) !== 404) {
        log('warn', 'cannot read the Lease', { lease: `${namespace}/${name}`, error: text(err) });
        return;
      }
    }
    if (lease !== undefined) {
      observation = observeLease(observation, leaseRecordOf(lease), startedAt);
      const holder = observation.record.holderIdentity;
      if (leading !== undefined && holder !== identity)
        stopLeading(`the Lease is held by ${holder || 'nobody'}`);
      if (holder !== identity && holder !== '' && holder !== lastSeenHolder) options.onNewLeader?.(holder);
      lastSeenHolder = holder;
    } else observation = undefined;
    const step = nextLeaseStep(observation, identity, startedAt, Date.now(), timing);
    if (step.action === 'wait') return;
    try {
      const body = leaseBody(name, namespace, step.record, lease?.metadata?.resourceVersion);
      const written =
        step.action === 'create'
          ? await within(timing.renewDeadlineMs, api.createNamespacedLease({ namespace, body }))
          : await within(timing.renewDeadlineMs, api.replaceNamespacedLease({ name, namespace, body }));
      observation = observeLease(observation, leaseRecordOf(written), startedAt);
      // Counted from before the read: the Lease others see was written after this instant.
      lastRenewAt = startedAt;
      lastSeenHolder = identity;
      if (leading === undefined && !stopped) startLeading();
    } catch (err) {
      // 409: another replica wrote first; it wins this round.
      if (code(err) !== 409)
        log('warn', 'cannot write the Lease', { lease: `${namespace}/${name}`, error: text(err) });
    }
  };

  const loop = (async () => {
    while (!stopped) {
      await tick().catch((err: unknown) => log('warn', 'leader election failed', { error: text(err) }));
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timing.retryPeriodMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    isLeader: () => leading !== undefined,
    async stop(stopOptions) {
      if (stopped) return loop;
      stopped = true;
      wake?.();
      await loop;
      clearInterval(watchdog);
      const wasLeading = leading !== undefined;
      stopLeading('stopping');
      if (!wasLeading || stopOptions?.release === false) return;
      try {
        const lease = await within(timing.renewDeadlineMs, api.readNamespacedLease({ name, namespace }));
        const record = leaseRecordOf(lease);
        if (record.holderIdentity !== identity) return;
        const body = leaseBody(
          name,
          namespace,
          releasedRecord(record, Date.now()),
          lease.metadata?.resourceVersion,
        );
        await within(timing.renewDeadlineMs, api.replaceNamespacedLease({ name, namespace, body }));
        log('info', 'released the Lease', { lease: `${namespace}/${name}`, identity });
      } catch (err) {
        log('warn', 'cannot release the Lease; it expires on its own', { error: text(err) });
      }
    },
  };
}
