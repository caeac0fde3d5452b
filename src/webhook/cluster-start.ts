/**
 * @module Whether `palisade serve` takes on cluster duties, and starting them: with the cluster as
 * the policy source (`--cluster`, `--kubeconfig`), from the flags of cluster-args.ts. Folder mode
 * runs none of this. Without `--tls-cert`, the serving
 * certificate comes from the Secret the leader keeps (every replica waits for it, then follows it).
 */
import { readFile } from 'node:fs/promises';
import type { Registry } from 'prom-client';
import type { AsyncPorts, WebhookEndpoint } from '../engine/index.js';
import type { BackgroundControllers, StartBackground } from '../io/background.js';
import {
  certificateSecretNames,
  readServingPair,
  rotateCertificates,
  type ServingPair,
} from '../io/cluster/certificate-secrets.js';
import { webhookNames } from '../io/cluster/certificates.js';
import { loadKubeConfig } from '../io/cluster/kube-client.js';
import { type KubeRest, kubeRest } from '../io/cluster/kube-rest.js';
import { createStatusWriter } from '../io/cluster/policy-status-writer.js';
import { startClusterEvents } from '../io/events/cluster-events.js';
import type { EventWriter } from '../io/events/event-writer.js';
import { type ClusterDuties, startClusterDuties } from './cluster-duties.js';
import type { Logger } from './log.js';
import { checkPolicy } from './policy-check.js';
import type { PolicyStore } from './policy-store.js';
import type { ServeConfig } from './serve-args.js';
import type { TlsFiles } from './server.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function webhookEndpoint(config: ServeConfig): WebhookEndpoint {
  const c = config.cluster;
  if (c.webhookUrl !== undefined) return { url: c.webhookUrl };
  return { service: { namespace: c.namespace, name: c.service.name, port: c.service.port } };
}

/** The serving pair kept in a Secret: waited for at start, then followed. */
export interface ManagedCertificate {
  /** Resolves with the pair once the leader has written it (polls; rejects if `signal` aborts). */
  wait(signal: AbortSignal): Promise<TlsFiles>;
  /** Calls `onChange` with each new pair; returns the stop function. */
  follow(onChange: (tls: TlsFiles) => void, everyMs?: number): () => void;
}

export interface ClusterSide {
  readonly duties: ClusterDuties;
  /** Set when the certificates are self-managed (no --tls-cert). */
  readonly certificate?: ManagedCertificate;
  /** The background controllers; they act while this replica leads. */
  readonly background?: BackgroundControllers;
  /** Admission's and the controllers' Kubernetes events. */
  readonly events: EventWriter;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function managedCertificate(rest: KubeRest, config: ServeConfig, logger: Logger): ManagedCertificate {
  const c = config.cluster;
  const names = certificateSecretNames(c.service.name, c.namespace);
  let version = '';
  const read = async (): Promise<ServingPair | undefined> => readServingPair(rest, c.namespace, names);
  return {
    async wait(signal) {
      let said = false;
      for (;;) {
        if (signal.aborted) throw new Error('stopped while waiting for the serving certificate');
        const pair = await read().catch((err: unknown) => {
          logger.warn('cannot read the serving certificate Secret', { secret: names.pair, error: text(err) });
          return undefined;
        });
        if (pair !== undefined) {
          version = pair.resourceVersion;
          logger.info('serving certificate read from its Secret', { secret: `${c.namespace}/${names.pair}` });
          return { cert: pair.certPem, key: pair.keyPem };
        }
        if (!said)
          logger.info('waiting for the leader to write the serving certificate', { secret: names.pair });
        said = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    follow(onChange, everyMs = 10_000) {
      const timer = setInterval(() => {
        read().then(
          (pair) => {
            if (pair === undefined || pair.resourceVersion === version) return;
            version = pair.resourceVersion;
            onChange({ cert: pair.certPem, key: pair.keyPem });
          },
          (err: unknown) => logger.warn('cannot read the serving certificate Secret', { error: text(err) }),
        );
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/** Starts the duties, or throws an Error saying why they cannot start (bad kubeconfig). */
export function startClusterSide(
  config: ServeConfig,
  store: PolicyStore,
  logger: Logger,
  env: Env,
  identity: string,
  startBackground?: StartBackground,
  metricsRegistry?: Registry,
  /** The policy source's ports (egress flags, GlobalContextEntries), which the controllers use too. */
  ports?: AsyncPorts,
): ClusterSide {
  const c = config.cluster;
  const kubeconfig = config.source.kind === 'cluster' ? config.source.kubeconfig : undefined;
  const loaded = loadKubeConfig({ ...(kubeconfig !== undefined ? { kubeconfig } : {}), env });
  const selfManaged = config.tlsCert === undefined;
  logger.info('cluster duties', {
    server: loaded.server,
    identity,
    namespace: c.namespace,
    leaderElection: c.leaderElection,
    endpoint: c.webhookUrl ?? `${c.service.name}.${c.namespace}.svc:${c.service.port}`,
    certificates: selfManaged ? 'self-managed in Secrets' : 'from files',
  });
  const rest = kubeRest(loaded.config);
  const writeStatuses = createStatusWriter({ rest, check: async (o) => (await checkPolicy(o)).errors });
  const names = certificateSecretNames(c.service.name, c.namespace);
  const hostNames = webhookNames({ name: c.service.name, namespace: c.namespace }, c.webhookUrl);
  let bundle = '';
  const events = startClusterEvents({
    rest,
    flags: c.events,
    instance: identity,
    ...(metricsRegistry !== undefined ? { registry: metricsRegistry } : {}),
    warn: (m, f) => logger.warn(m, f),
  });
  // Generate restores synchronized objects on this period: at most 10 s, however long the webhook resync.
  const background = startBackground?.({
    kubeConfig: loaded.config,
    rest,
    namespace: c.namespace,
    logger,
    policies: () => store.current()?.set,
    resyncMs: Math.min(c.resyncMs, 10_000),
    ...(c.reports.enabled
      ? {
          reports: {
            scanIntervalMs: c.reports.scanIntervalMs,
            api: c.reports.openreports ? ('openreports' as const) : ('wgpolicyk8s' as const),
            filters: config.filters,
          },
        }
      : {}),
    cleanup: { enabled: c.cleanupController, ttlIntervalMs: c.ttlIntervalMs, filters: config.filters },
    leads: { reports: c.reportsController, background: c.backgroundController },
    ...(metricsRegistry !== undefined ? { metricsRegistry } : {}),
    ...(ports !== undefined ? { ports } : {}),
    events,
  });
  const caFile = c.tlsCa ?? config.tlsCert;
  const duties = startClusterDuties({
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
    caBundle: async () =>
      caFile !== undefined
        ? (await readFile(caFile)).toString('base64')
        : Buffer.from(bundle).toString('base64'),
    ...(selfManaged
      ? {
          rotateCertificates: async (caPublished: (pem: string) => boolean) => {
            const r = await rotateCertificates(
              { rest, namespace: c.namespace, names, hostNames },
              caPublished,
            );
            bundle = r.caBundle;
            if (r.newCa || r.newServing || r.reasons.length > 0)
              logger.info('certificates', { newCa: r.newCa, newServing: r.newServing, reasons: r.reasons });
          },
        }
      : {}),
    ...(background !== undefined
      ? { alsoWhileLeading: (signal: AbortSignal) => background.lead(signal) }
      : {}),
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
  return {
    duties,
    ...(selfManaged ? { certificate: managedCertificate(rest, config, logger) } : {}),
    ...(background !== undefined ? { background } : {}),
    events,
  };
}
