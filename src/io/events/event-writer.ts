/**
 * @module The event writer (Kyverno's pkg/event controller): `add` filters and queues, workers send.
 * Admission calls `add` on its path, so `add` never waits and never throws: omitted reasons and
 * objects without a name are left out, and a full queue drops the event and counts it. The queue is
 * keyed by what an event says (reason, source, action, objects, message), so the same event added
 * again while queued only raises its count; once sent, the same event within `seriesWindowMs` updates
 * the stored Event's `series` (count, lastObservedTime) instead of making a new one, as client-go's
 * events.k8s.io recorder does with isomorphic events. Sends are rate-limited (token bucket,
 * Kyverno's `--eventsRateLimitQPS`/`Burst`) and retried three times before they are dropped.
 */
import type { EventInfo, EventReason } from './event-info.js';

/** An events.k8s.io/v1 Event, as written. */
export interface EventObject {
  readonly apiVersion: 'events.k8s.io/v1';
  readonly kind: 'Event';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly eventTime: string;
  readonly series?: { readonly count: number; readonly lastObservedTime: string };
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly action: string;
  readonly reason: string;
  readonly regarding: Record<string, string>;
  readonly related?: Record<string, string>;
  readonly note: string;
  readonly type: 'Normal' | 'Warning';
}

export interface EventTransport {
  create(event: EventObject): Promise<void>;
  /** Sets the series of a stored Event; answers false when it is gone (expired, deleted). */
  updateSeries(
    namespace: string,
    name: string,
    series: { readonly count: number; readonly lastObservedTime: string },
  ): Promise<boolean>;
}

export type DropReason = 'queue_full' | 'send_failed';

export interface EventWriterOptions {
  readonly transport: EventTransport;
  /** Distinct events queued at most (`--max-queued-events`); 0: none is ever queued (Kyverno's). */
  readonly maxQueued: number;
  /** Reasons never emitted (`--omit-events`). */
  readonly omit: ReadonlySet<EventReason>;
  /** Sends per second, and the burst allowed above it. */
  readonly qps: number;
  readonly burst: number;
  /** This process (the Event's reportingInstance is `<source>-<instance>`). */
  readonly instance: string;
  /** A dropped event (the `kyverno_events_dropped` counter). */
  readonly onDrop?: (reason: DropReason) => void;
  readonly onError?: (message: string, fields: Record<string, unknown>) => void;
  /** Epoch milliseconds (tests). */
  readonly now?: () => number;
  /** How long a sent event is updated rather than made again (default 6 min, client-go's). */
  readonly seriesWindowMs?: number;
  /** Sends in flight at once (default 3, Kyverno's workers). */
  readonly workers?: number;
  /** First retry pause, doubled each time (default 200 ms). */
  readonly retryDelayMs?: number;
}

export interface EventWriterStats {
  queued: number;
  created: number;
  /** Sends that updated the series of an Event already stored. */
  updated: number;
  /** Adds that only raised the count of a queued event. */
  aggregated: number;
  omitted: number;
  dropped: number;
}

export interface EventWriter {
  add(...infos: readonly EventInfo[]): void;
  stats(): EventWriterStats;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Sends what is queued for up to `graceMs` (default 2 s), then drops the rest; `add` keeps nothing after. */
  stop(graceMs?: number): Promise<void>;
}

interface Pending {
  readonly info: EventInfo;
  count: number;
}

interface Sent {
  readonly namespace: string;
  readonly name: string;
  count: number;
  at: number;
}

/** Sent events remembered for their series at most (oldest forgotten first). */
const REMEMBERED = 4096;
const MAX_MESSAGE = 1024;

const refKey = (r: EventInfo['regarding'] | undefined, uid: boolean): string =>
  r === undefined
    ? ''
    : `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}|${uid ? (r.uid ?? '') : ''}`;

/**
 * What makes two events the same. The related object's uid is left out: each attempt of a denied
 * request carries a new uid for the same object, and repeated denials are one event counted.
 */
const eventKey = (i: EventInfo): string =>
  `${i.source}\n${i.reason}\n${i.action}\n${refKey(i.regarding, true)}\n${refKey(i.related, false)}\n${i.message}`;

/** RFC 3339 with microseconds, the format of a MicroTime. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** Kyverno's sanitizeEventName: lower case, `[a-z0-9.-]`, alphanumeric at both ends. */
export function sanitizeEventName(name: string): string {
  let s = name.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  if (s !== '' && !/^[a-z0-9]/.test(s)) s = `a${s}`;
  if (s !== '' && !/[a-z0-9]$/.test(s)) s = `${s}z`;
  return s;
}

const objectReference = (r: EventInfo['regarding']): Record<string, string> => ({
  apiVersion: r.apiVersion,
  kind: r.kind,
  name: r.name,
  ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
  ...(r.uid !== undefined ? { uid: r.uid } : {}),
});

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createEventWriter(options: EventWriterOptions): EventWriter {
  const now = options.now ?? Date.now;
  const windowMs = options.seriesWindowMs ?? 6 * 60_000;
  const workers = Math.max(1, options.workers ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 200;
  const queue = new Map<string, Pending>();
  const sent = new Map<string, Sent>();
  const inFlight = new Map<string, Promise<void>>();
  const stats: EventWriterStats = {
    queued: 0,
    created: 0,
    updated: 0,
    aggregated: 0,
    omitted: 0,
    dropped: 0,
  };
  let running = 0;
  let stopped = false;
  let sequence = 0;
  let idleWaiters: (() => void)[] = [];
  // Token bucket: `burst` sends at once, then `qps` a second.
  let tokens = Math.max(1, options.burst);
  let refilledAt = performance.now();

  const drop = (reason: DropReason): void => {
    stats.dropped++;
    options.onDrop?.(reason);
  };

  const token = async (): Promise<void> => {
    for (;;) {
      const t = performance.now();
      tokens = Math.min(Math.max(1, options.burst), tokens + ((t - refilledAt) * options.qps) / 1000);
      refilledAt = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await new Promise((r) =>
        setTimeout(r, Math.ceil(((1 - tokens) * 1000) / Math.max(options.qps, 0.001))),
      );
    }
  };

  const build = (info: EventInfo, count: number, at: number): EventObject => {
    const type =
      info.type ??
      (info.reason === 'PolicyApplied' || info.reason === 'PolicySkipped' ? 'Normal' : 'Warning');
    const namespace = info.regarding.namespace ?? 'default';
    // Unique per process: the time in nanoseconds, with a sequence below the millisecond.
    const nanos = BigInt(at) * 1_000_000n + BigInt(sequence++ % 1_000_000);
    const name = `${sanitizeEventName(info.regarding.name).slice(0, 230)}.${nanos.toString(16)}`;
    const note =
      info.message.length > MAX_MESSAGE ? `${info.message.slice(0, MAX_MESSAGE - 3)}...` : info.message;
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(at),
      ...(count > 1 ? { series: { count, lastObservedTime: microTime(at) } } : {}),
      reportingController: info.source,
      reportingInstance: `${info.source}-${options.instance}`.slice(0, 128),
      action: info.action,
      reason: info.reason,
      regarding: objectReference(info.regarding),
      ...(info.related !== undefined ? { related: objectReference(info.related) } : {}),
      note,
      type,
    };
  };

  const sendOnce = async (key: string, pending: Pending): Promise<void> => {
    const at = now();
    const previous = sent.get(key);
    if (previous !== undefined && at - previous.at <= windowMs) {
      const count = previous.count + pending.count;
      const lastObservedTime = microTime(at);
      if (
        await options.transport.updateSeries(previous.namespace, previous.name, { count, lastObservedTime })
      ) {
        previous.count = count;
        previous.at = at;
        stats.updated++;
        return;
      }
    }
    const event = build(pending.info, pending.count, at);
    await options.transport.create(event);
    stats.created++;
    sent.delete(key);
    sent.set(key, {
      namespace: event.metadata.namespace,
      name: event.metadata.name,
      count: pending.count,
      at,
    });
    if (sent.size > REMEMBERED) sent.delete(sent.keys().next().value as string);
  };

  const send = async (key: string, pending: Pending): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      await token();
      try {
        await sendOnce(key, pending);
        return;
      } catch (err) {
        // A namespace gone (404) takes its events with it, as Kyverno's IsNotFound.
        if ((err as { status?: number }).status === 404) return;
        if (attempt >= 3 || stopped) {
          drop('send_failed');
          options.onError?.('event dropped', { reason: pending.info.reason, error: text(err) });
          return;
        }
        await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  };

  const work = async (): Promise<void> => {
    running++;
    try {
      for (;;) {
        const first = queue.entries().next();
        if (first.done === true) return;
        const [key, pending] = first.value;
        queue.delete(key);
        stats.queued = queue.size;
        // One send per event at a time: a second one waits for the first to be stored, then updates it.
        const before = inFlight.get(key);
        if (before !== undefined) await before;
        const p = send(key, pending);
        inFlight.set(key, p);
        await p;
        if (inFlight.get(key) === p) inFlight.delete(key);
      }
    } finally {
      running--;
      if (running === 0 && queue.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  };

  const wake = (): void => {
    while (running < workers && running < queue.size) void work();
  };

  return {
    add(...infos) {
      for (const info of infos) {
        if (stopped) return;
        // A resource named by generateName has no name yet: Kyverno emits nothing for it.
        if (info.regarding.name === '') continue;
        if (options.omit.has(info.reason)) {
          stats.omitted++;
          continue;
        }
        const key = eventKey(info);
        const queued = queue.get(key);
        if (queued !== undefined) {
          queued.count++;
          stats.aggregated++;
          continue;
        }
        if (queue.size >= options.maxQueued) {
          drop('queue_full');
          continue;
        }
        queue.set(key, { info, count: 1 });
        stats.queued = queue.size;
      }
      wake();
    },
    stats: () => ({ ...stats }),
    idle: () =>
      running === 0 && queue.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
          }),
    async stop(graceMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => {
        timer = setTimeout(r, graceMs);
      });
      await Promise.race([this.idle(), grace]);
      clearTimeout(timer);
      stopped = true;
      for (let i = 0; i < queue.size; i++) drop('queue_full');
      queue.clear();
    },
  };
}
