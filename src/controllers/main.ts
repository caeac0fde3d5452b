/**
 * @module The background controllers `palisade serve` runs beside admission (docs/decisions/0015):
 * the generate and mutate-existing controllers. Started by the composition root and handed to the webhook face as
 * io's `BackgroundControllers`.
 */
import type { BackgroundControllers, StartBackground } from '../io/background.js';
import { clusterObjects } from '../io/cluster/cluster-objects.js';
import { configMapRequestStore } from '../io/cluster/generate-requests.js';
import { createLivePorts } from '../io/cluster/live-ports.js';
import { configMapMutateRequestStore } from '../io/cluster/mutate-requests.js';
import { createGenerateController } from './generate/controller.js';
import { createMutateExistingController } from './mutate-existing/controller.js';

export const startBackground: StartBackground = (context): BackgroundControllers => {
  const generate = createGenerateController({
    objects: clusterObjects(context.rest),
    requests: configMapRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
  });
  const mutateExisting = createMutateExistingController({
    objects: clusterObjects(context.rest),
    ports: createLivePorts({ kubeConfig: context.kubeConfig }),
    requests: configMapMutateRequestStore(context.rest, context.namespace),
    policies: context.policies,
    logger: context.logger,
    resyncMs: context.resyncMs,
    namespace: context.namespace,
  });
  return {
    onGenerated: (objects, request) => generate.onGenerated(objects, request),
    onAdmitted: (admitted) => mutateExisting.onAdmitted(admitted),
    lead: async (signal) => {
      await Promise.all([generate.lead(signal), mutateExisting.lead(signal)]);
    },
    stop: async () => {
      await Promise.all([generate.flush(), mutateExisting.flush()]);
    },
  };
};
