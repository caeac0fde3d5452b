/**
 * @module The event writer of a process that talks to a cluster, from its flags: events.k8s.io/v1
 * through kube-rest, drops counted in `kyverno_events_dropped_total` (Kyverno's counter, with a
 * `reason` label: `queue_full` or `send_failed`) on the process's metrics registry.
 */
import { Counter, type Registry } from 'prom-client';
import { kubeEventTransport } from '../cluster/event-transport.js';
import type { KubeRest } from '../cluster/kube-rest.js';
import type { EventFlags } from '../flags/event-flags.js';
import { createEventWriter, type EventWriter } from './event-writer.js';

export interface ClusterEventsOptions {
  readonly rest: KubeRest;
  readonly flags: EventFlags;
  /** This process, for the Events' reportingInstance (the pod name). */
  readonly instance: string;
  readonly registry?: Registry;
  readonly warn?: (message: string, fields: Record<string, unknown>) => void;
}

export function startClusterEvents(options: ClusterEventsOptions): EventWriter {
  const dropped =
    options.registry !== undefined
      ? new Counter({
          name: 'kyverno_events_dropped_total',
          help: 'can be used to track the number of events dropped by the event generator',
          labelNames: ['reason'],
          registers: [options.registry],
        })
      : undefined;
  return createEventWriter({
    transport: kubeEventTransport(options.rest),
    maxQueued: options.flags.maxQueued,
    omit: options.flags.omit,
    qps: options.flags.qps,
    burst: options.flags.burst,
    instance: options.instance,
    onDrop: (reason) => dropped?.inc({ reason }),
    ...(options.warn !== undefined ? { onError: options.warn } : {}),
  });
}
