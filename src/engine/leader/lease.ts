/**
 * @module Leader election through a `coordination.k8s.io/v1` Lease, the decision part: given the
 * Lease as last read and when this replica saw it change, what to write next (create, acquire,
 * renew) or whether to wait. The I/O loop (io/cluster/leader-election.ts) reads, asks, writes with
 * the read `resourceVersion` (so two candidates never both win one round) and keeps time.
 *
 * Expiry is judged on this replica's own clock from the moment it saw the record change, never from
 * the `renewTime` another machine wrote, so clock skew between replicas cannot make two leaders
 * (client-go's rule). A leader that cannot renew within its renew deadline (shorter than the lease
 * duration) stops leading before anyone else may take over.
 */

/** The fields of a Lease's spec election uses. */
export interface LeaseRecord {
  /** '' when free (released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** RFC 3339 with microseconds (the API's MicroTime). */
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions: number;
}

/** The Lease as this replica last saw it, and when (its own monotonic clock, ms). */
export interface LeaseObservation {
  readonly record: LeaseRecord;
  readonly observedAtMs: number;
}

export type LeaseStep =
  | { readonly action: 'create'; readonly record: LeaseRecord }
  | { readonly action: 'update'; readonly record: LeaseRecord; readonly acquiring: boolean }
  | { readonly action: 'wait'; readonly holder: string; readonly expiresInMs: number };

export interface ElectionTiming {
  /** How long a lease lasts without renewal; what non-leaders wait. */
  readonly leaseDurationMs: number;
  /** A leader that has not renewed for this long stops leading; below the lease duration. */
  readonly renewDeadlineMs: number;
  /** Time between attempts. */
  readonly retryPeriodMs: number;
}

/** Kyverno's defaults: retry 2 s, lease 6×, renew deadline 5×. */
export const DEFAULT_ELECTION_TIMING: ElectionTiming = {
  leaseDurationMs: 12_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** Why a timing cannot keep one leader at a time, or undefined when it can. */
export function timingProblem(t: ElectionTiming): string | undefined {
  if (!(t.retryPeriodMs > 0)) return 'the retry period must be positive';
  if (!(t.renewDeadlineMs > t.retryPeriodMs))
    return 'the renew deadline must be longer than the retry period';
  if (!(t.leaseDurationMs > t.renewDeadlineMs))
    return 'the lease duration must be longer than the renew deadline';
  return undefined;
}

/** A MicroTime: RFC 3339 with exactly six fractional digits (the API server parses no other). */
export function microTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}

const same = (a: LeaseRecord, b: LeaseRecord): boolean =>
  a.holderIdentity === b.holderIdentity &&
  a.renewTime === b.renewTime &&
  a.acquireTime === b.acquireTime &&
  a.leaseDurationSeconds === b.leaseDurationSeconds &&
  a.leaseTransitions === b.leaseTransitions;

/** The new observation: the clock restarts only when the record changed. */
export function observe(
  previous: LeaseObservation | undefined,
  record: LeaseRecord,
  nowMs: number,
): LeaseObservation {
  if (previous !== undefined && same(previous.record, record)) return previous;
  return { record, observedAtMs: nowMs };
}

/**
 * What `identity` should do now. `observation` is undefined when the Lease does not exist.
 * `wallClockMs` only stamps the times written; expiry uses `nowMs` (monotonic).
 */
export function nextLeaseStep(
  observation: LeaseObservation | undefined,
  identity: string,
  nowMs: number,
  wallClockMs: number,
  timing: ElectionTiming,
): LeaseStep {
  const stamp = microTime(wallClockMs);
  const leaseDurationSeconds = Math.max(1, Math.ceil(timing.leaseDurationMs / 1000));
  if (observation === undefined) {
    return {
      action: 'create',
      record: {
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: stamp,
        renewTime: stamp,
        leaseTransitions: 0,
      },
    };
  }
  const current = observation.record;
  if (current.holderIdentity === identity) {
    return {
      action: 'update',
      acquiring: false,
      record: { ...current, leaseDurationSeconds, renewTime: stamp },
    };
  }
  if (current.holderIdentity !== '') {
    // The holder's own duration, as it wrote it, bounds how long it may still believe it leads.
    const expiresAt = observation.observedAtMs + current.leaseDurationSeconds * 1000;
    if (expiresAt > nowMs)
      return { action: 'wait', holder: current.holderIdentity, expiresInMs: expiresAt - nowMs };
  }
  return {
    action: 'update',
    acquiring: true,
    record: {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: current.leaseTransitions + (current.holderIdentity === '' ? 0 : 1),
    },
  };
}

/** The record a stepping-down leader writes so that another takes over at once. */
export function releasedRecord(current: LeaseRecord, wallClockMs: number): LeaseRecord {
  const stamp = microTime(wallClockMs);
  return { ...current, holderIdentity: '', leaseDurationSeconds: 1, renewTime: stamp };
}
