/**
 * @module Whether `palisade serve` takes on cluster duties, and starting them: only with
 * `--kubeconfig` or inside a pod (never because $KUBECONFIG happens to be set), from the flags of
 * cluster-args.ts. Folder mode without either runs none of this.
 */
import { readFile } from 'node:fs/promises';
import type { WebhookEndpoint } from '../engine/index.js';
import { loadKubeConfig } from '../io/cluster/kube-client.js';
import { kubeRest } from '../io/cluster/kube-rest.js';
import { createStatusWriter } from '../io/cluster/policy-status-writer.js';
import { type ClusterDuties, startClusterDuties } from './cluster-duties.js';
import type { Logger } from './log.js';
import { checkPolicy } from './policy-check.js';
import type { PolicyStore } from './policy-store.js';
import type { ServeConfig } from './serve-args.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function clusterDutiesWanted(config: ServeConfig, env: Env): boolean {
  return config.cluster.kubeconfig !== undefined || env.KUBERNETES_SERVICE_HOST !== undefined;
}

export function webhookEndpoint(config: ServeConfig): WebhookEndpoint {
  const c = config.cluster;
  if (c.webhookUrl !== undefined) return { url: c.webhookUrl };
  return { service: { namespace: c.namespace, name: c.service.name, port: c.service.port } };
}

/** Starts the duties, or throws an Error saying why they cannot start (bad kubeconfig). */
export function startClusterSide(
  config: ServeConfig,
  store: PolicyStore,
  logger: Logger,
  env: Env,
  identity: string,
): ClusterDuties {
  const c = config.cluster;
  const loaded = loadKubeConfig({ ...(c.kubeconfig !== undefined ? { kubeconfig: c.kubeconfig } : {}), env });
  logger.info('cluster duties', {
    server: loaded.server,
    identity,
    namespace: c.namespace,
    leaderElection: c.leaderElection,
    endpoint: c.webhookUrl ?? `${c.service.name}.${c.namespace}.svc:${c.service.port}`,
  });
  const caFile = c.tlsCa ?? config.tlsCert;
  const rest = kubeRest(loaded.config);
  const writeStatuses = createStatusWriter({ rest, check: async (o) => (await checkPolicy(o)).errors });
  return startClusterDuties({
    kubeConfig: loaded.config,
    rest,
    store,
    logger,
    identity,
    namespace: c.namespace,
    ...(c.leaderElection ? { lease: c.lease } : {}),
    endpoint: webhookEndpoint(config),
    timeoutSeconds: Math.ceil(config.webhookTimeoutMs / 1000),
    resyncMs: c.resyncMs,
    caBundle: async () => (await readFile(caFile)).toString('base64'),
    afterRegistration: async (registrations, signal) => {
      const round = await writeStatuses(registrations, signal);
      if (round.written.length > 0 || round.conflicts > 0)
        logger.info('policy status written', {
          written: round.written,
          unchanged: round.unchanged,
          conflicts: round.conflicts,
        });
    },
  });
}
