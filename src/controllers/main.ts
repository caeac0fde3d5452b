/**
 * @module The background controllers `palisade serve` runs beside admission (docs/decisions/0015):
 * the generate controller, and the cleanup and TTL controllers (docs/decisions/0017). Started by the composition root and handed to the webhook face as
 * io's `BackgroundControllers`.
 */
import type { BackgroundControllers, StartBackground } from '../io/background.js';
import { clusterObjects } from '../io/cluster/cluster-objects.js';
import { configMapRequestStore } from '../io/cluster/generate-requests.js';
import { startCleanupControllers } from './cleanup/start.js';
import { createGenerateController } from './generate/controller.js';
import { startReports } from './reports/start.js';

export const startBackground: StartBackground = (context): BackgroundControllers => {
  const generate = createGenerateController({
    objects: clusterObjects(context.rest),
    requests: configMapRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
  });
  const reports = startReports(context);
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
    ...(reports !== undefined
      ? { onAdmitted: (responses, request) => reports.recorder.onAdmitted(responses, request) }
      : {}),
    lead: async (signal) => {
      await Promise.all([generate.lead(signal), reports?.controller.lead(signal), cleanup?.lead(signal)]);
    },
    stop: async () => {
      await Promise.all([generate.flush(), reports?.recorder.flush()]);
    },
  };
};
