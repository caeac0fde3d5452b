/**
 * @module The background controllers `palisade serve` runs beside admission (docs/decisions/0015):
 * today the generate controller. Started by the composition root and handed to the webhook face as
 * io's `BackgroundControllers`. The cleanup and TTL controllers: docs/decisions/0017.
 */
import type { BackgroundControllers, StartBackground } from '../io/background.js';
import { clusterObjects } from '../io/cluster/cluster-objects.js';
import { configMapRequestStore } from '../io/cluster/generate-requests.js';
import { startCleanupControllers } from './cleanup/start.js';
import { createGenerateController } from './generate/controller.js';

export const startBackground: StartBackground = (context): BackgroundControllers => {
  const generate = createGenerateController({
    objects: clusterObjects(context.rest),
    requests: configMapRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
  });
  const cleanup =
    context.cleanup?.enabled === true
      ? startCleanupControllers({
          kubeConfig: context.kubeConfig,
          rest: context.rest,
          logger: context.logger,
          ttlIntervalMs: context.cleanup.ttlIntervalMs,
          ...(context.metricsRegistry !== undefined ? { registry: context.metricsRegistry } : {}),
        })
      : undefined;
  return {
    onGenerated: (objects, request) => generate.onGenerated(objects, request),
    lead: async (signal) => {
      await Promise.all([generate.lead(signal), cleanup?.lead(signal)]);
    },
    stop: () => generate.flush(),
  };
};
