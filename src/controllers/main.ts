/**
 * @module The background controllers `palisade serve` runs beside admission: generate (docs/decisions/
 * 0015), reports (0016), cleanup and TTL (0017) and mutate-existing (0018). Started by the
 * composition root and handed to the webhook face as io's `BackgroundControllers`, and by
 * `palisade controller reports|background` (command.ts), which only leads (docs/decisions/0021).
 */
import type { BackgroundControllers, StartBackground } from '../io/background.js';
import { clusterObjects } from '../io/cluster/cluster-objects.js';
import { configMapRequestStore } from '../io/cluster/generate-requests.js';
import { createLivePorts } from '../io/cluster/live-ports.js';
import { configMapMutateRequestStore } from '../io/cluster/mutate-requests.js';
import { startCleanupControllers } from './cleanup/start.js';
import { createGenerateController } from './generate/controller.js';
import { createMutateExistingController } from './mutate-existing/controller.js';
import { startReports } from './reports/start.js';

export const startBackground: StartBackground = (context): BackgroundControllers => {
  // One set of ports for every controller's evaluations: serve's when given (its egress flags and
  // GlobalContextEntries), else live ports with the default HTTP blocklist.
  const ports = context.ports ?? createLivePorts({ kubeConfig: context.kubeConfig });
  const generate = createGenerateController({
    objects: clusterObjects(context.rest),
    requests: configMapRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
    ...(context.events !== undefined ? { events: context.events } : {}),
  });
  const mutateExisting = createMutateExistingController({
    objects: clusterObjects(context.rest),
    ports,
    requests: configMapMutateRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
    namespace: context.namespace,
    ...(context.events !== undefined ? { events: context.events } : {}),
  });
  const reports = startReports(context, ports);
  const cleanup =
    context.cleanup?.enabled === true
      ? startCleanupControllers({
          kubeConfig: context.kubeConfig,
          rest: context.rest,
          logger: context.logger,
          ttlIntervalMs: context.cleanup.ttlIntervalMs,
          ports,
          ...(context.cleanup.filters !== undefined ? { filters: context.cleanup.filters } : {}),
          ...(context.metricsRegistry !== undefined ? { registry: context.metricsRegistry } : {}),
          ...(context.events !== undefined ? { events: context.events } : {}),
        })
      : undefined;
  return {
    onGenerated: (objects, request) => generate.onGenerated(objects, request),
    onAdmitted: (admitted) => {
      if (admitted.allowed) {
        mutateExisting.onAdmitted(admitted);
        generate.onAdmitted(admitted);
      }
      if (reports !== undefined && admitted.responses.length > 0)
        reports.recorder.onAdmitted(admitted.responses, admitted.request);
    },
    lead: async (signal) => {
      const leads = context.leads ?? { reports: true, background: true };
      await Promise.all([
        leads.background ? generate.lead(signal) : undefined,
        leads.background ? mutateExisting.lead(signal) : undefined,
        leads.reports ? reports?.controller.lead(signal) : undefined,
        cleanup?.lead(signal),
      ]);
    },
    stop: async () => {
      await Promise.all([generate.flush(), mutateExisting.flush(), reports?.recorder.flush()]);
    },
  };
};
