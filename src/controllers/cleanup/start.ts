/**
 * @module The cleanup and TTL controllers wired to the cluster (docs/decisions/0017): one resource
 * table, one set of counters, the live ports for cleanup policies' context entries and CEL. Started
 * by `palisade serve` (controllers/main.ts) or by `palisade controller cleanup`; both run only
 * while their replica leads.
 */
import { Registry } from 'prom-client';
import type { AsyncPorts, ResourceFilter } from '../../engine/index.js';
import type { BackgroundLogger } from '../../io/background.js';
import { cleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import type { KubeConfig } from '../../io/cluster/kube-client.js';
import type { KubeRest } from '../../io/cluster/kube-rest.js';
import { createLivePorts } from '../../io/cluster/live-ports.js';
import type { EventSink } from '../../io/events/event-info.js';
import { createTtlController } from '../ttl/controller.js';
import { createCleanupController } from './controller.js';
import { createCleanupMetrics } from './metrics.js';

export interface CleanupStartOptions {
  readonly kubeConfig: KubeConfig;
  readonly rest: KubeRest;
  readonly logger: BackgroundLogger;
  readonly registry?: Registry;
  readonly ttlIntervalMs: number;
  /** How often cleanup policies are read again (default 10 s). */
  readonly pollMs?: number;
  /** The ports conditions and context entries call out through; absent: live ports, default blocklist. */
  readonly ports?: AsyncPorts;
  /** Kyverno's resourceFilters (admission's); cleanup never deletes what they name. Default: the chart's. */
  readonly filters?: readonly ResourceFilter[];
  /** Kyverno's kyverno-cleanup events. */
  readonly events?: EventSink;
}

export interface CleanupControllers {
  /** Both controllers act until `signal` aborts. */
  lead(signal: AbortSignal): Promise<void>;
}

export function startCleanupControllers(options: CleanupStartOptions): CleanupControllers {
  const cluster = cleanupCluster(options.rest);
  const metrics = createCleanupMetrics(options.registry ?? new Registry());
  const cleanup = createCleanupController({
    cluster,
    metrics,
    logger: options.logger,
    ports: options.ports ?? createLivePorts({ kubeConfig: options.kubeConfig }),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.filters !== undefined ? { filters: options.filters } : {}),
    ...(options.events !== undefined ? { events: options.events } : {}),
  });
  const ttl = createTtlController({
    cluster,
    metrics,
    logger: options.logger,
    intervalMs: options.ttlIntervalMs,
  });
  return {
    async lead(signal) {
      options.logger.info('cleanup and TTL controllers leading', { ttlIntervalMs: options.ttlIntervalMs });
      await Promise.all([cleanup.lead(signal), ttl.lead(signal)]);
    },
  };
}
