/**
 * @module `palisade controller <name>`: background controllers in a process of their own (issue #15,
 * "one process or several"; docs/decisions/0021), each with its own Lease, so they can run as a
 * Deployment apart from the admission webhooks. Logs are JSON lines on stderr; `/metrics`,
 * `/health/liveness` and `/health/readiness` (once the policy set is loaded) on `--metrics-port`.
 * SIGTERM steps down (the Lease is released) and exits.
 */
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { BackgroundLogger } from '../io/background.js';
import { loadKubeConfig } from '../io/cluster/kube-client.js';
import { type KubeRest, kubeRest } from '../io/cluster/kube-rest.js';
import { type LeaderElector, startLeaderElection } from '../io/cluster/leader-election.js';
import { createLivePorts } from '../io/cluster/live-ports.js';
import { startClusterEvents } from '../io/events/cluster-events.js';
import { startCleanupControllers } from './cleanup/start.js';
import { watchClusterPolicySet } from './cluster-policy-set.js';
import { CONTROLLER_HELP, type ControllerConfig, parseControllerArgs } from './controller-args.js';
import { startBackground } from './main.js';

export interface ControllerIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop. */
  readonly stopped: Promise<string>;
  readonly identity?: string;
  /** Called once the metrics server listens (tests read the port). */
  readonly onListening?: (url: string) => void;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function jsonLogger(sink: (line: string) => void): BackgroundLogger {
  const write = (level: string, msg: string, fields: object = {}) =>
    sink(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

function metricsServer(registry: Registry, ready: () => boolean): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && (path === '/health/liveness' || path === '/health/readiness')) {
      const ok = path === '/health/liveness' || ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
}

/** The named controllers, started but not leading. */
interface Started {
  /** Resolves once they can lead (reports, background: the first policy set is compiled). */
  readonly ready: Promise<void>;
  lead(signal: AbortSignal): Promise<void>;
  /** Waits for writes in flight, stops watching. */
  stop(): Promise<void>;
}

function startNamed(
  config: ControllerConfig,
  kubeConfig: KubeConfig,
  rest: KubeRest,
  logger: BackgroundLogger,
  registry: Registry,
  identity: string,
): Started {
  const events = startClusterEvents({
    rest,
    flags: config.events,
    instance: identity,
    registry,
    warn: (m, f) => logger.warn(m, f),
  });
  if (config.name === 'cleanup') {
    const cleanup = startCleanupControllers({
      kubeConfig,
      rest,
      logger,
      registry,
      ttlIntervalMs: config.ttlIntervalMs,
      filters: config.filters,
      ports: createLivePorts({ kubeConfig, httpEgress: config.httpEgress }),
      events,
    });
    return {
      ready: Promise.resolve(),
      lead: (signal) => cleanup.lead(signal),
      stop: () => events.stop(),
    };
  }
  // reports, background: serve's own controllers (main.ts), leading only the named ones; serve's
  // replicas record admission's share in ConfigMaps of --namespace, which these read.
  const policies = watchClusterPolicySet({
    kubeConfig,
    logger,
    debounceMs: config.watchDebounceMs,
    exceptionGate: config.exceptionGate,
    httpEgress: config.httpEgress,
    maxGlobalContextEntries: config.maxGlobalContextEntries,
  });
  const reports = config.name === 'reports';
  const background = startBackground({
    kubeConfig,
    rest,
    namespace: config.namespace,
    logger,
    policies: () => policies.current(),
    ports: policies.ports,
    resyncMs: config.resyncMs,
    ...(reports
      ? {
          reports: {
            scanIntervalMs: config.scanIntervalMs,
            api: config.openreports ? ('openreports' as const) : ('wgpolicyk8s' as const),
            filters: config.filters,
          },
        }
      : {}),
    cleanup: { enabled: false, ttlIntervalMs: config.ttlIntervalMs },
    metricsRegistry: registry,
    leads: { reports, background: !reports },
    events,
  });
  return {
    ready: policies.firstLoad,
    lead: (signal) => background.lead(signal),
    stop: async () => {
      policies.close();
      await background.stop();
      await events.stop();
    },
  };
}

/** Runs until stopped; resolves with the exit code (2: usage, 1: cannot start). */
export async function controller(argv: readonly string[], io: ControllerIo): Promise<number> {
  const args = parseControllerArgs(argv, io.env);
  if (!args.ok) {
    io.stderr(`Error: ${args.error}\nRun 'palisade controller --help' for usage.\n`);
    return 2;
  }
  if (args.help === true) {
    io.stdout(`${CONTROLLER_HELP}\n`);
    return 0;
  }
  const config = args.config;
  const logger = jsonLogger(io.stderr);
  let loaded: ReturnType<typeof loadKubeConfig>;
  try {
    loaded = loadKubeConfig({
      ...(config.kubeconfig !== undefined ? { kubeconfig: config.kubeconfig } : {}),
      env: io.env,
    });
  } catch (err) {
    logger.error('cannot read the kubeconfig', { error: text(err) });
    return 1;
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const identity = io.identity ?? io.env.POD_NAME ?? `${hostname()}-${process.pid}`;
  const controllers = startNamed(config, loaded.config, kubeRest(loaded.config), logger, registry, identity);
  let isReady = false;
  void controllers.ready.then(() => {
    isReady = true;
  });
  let server: Server | undefined;
  if (config.metrics !== undefined) {
    const s = metricsServer(registry, () => isReady);
    server = s;
    try {
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(config.metrics?.port, config.metrics?.address, () => resolve());
      });
    } catch (err) {
      logger.error('cannot listen for metrics', { error: text(err) });
      await controllers.stop();
      return 1;
    }
    const address = s.address();
    const url =
      typeof address === 'object' && address !== null
        ? `http://${config.metrics.address}:${address.port}`
        : '';
    io.onListening?.(url);
  }
  logger.info('controller starting', {
    controller: config.name,
    identity,
    server: loaded.server,
    lease: config.leaderElection ? config.lease.name : 'off',
  });
  let work: Promise<void> | undefined;
  const lead = (signal: AbortSignal): void => {
    work = controllers
      .lead(signal)
      .catch((err: unknown) => logger.error('controller failed', { error: text(err) }));
  };
  let elector: LeaderElector | undefined;
  const solo = new AbortController();
  // A replica stands for election only once it has the policies: a leader never acts on an empty set.
  const stoppedEarly = await Promise.race([
    controllers.ready.then(() => undefined),
    io.stopped.then((signal) => signal),
  ]);
  if (stoppedEarly !== undefined) {
    logger.info('shutting down', { signal: stoppedEarly });
    await controllers.stop();
    server?.close();
    return 0;
  }
  if (config.leaderElection)
    elector = startLeaderElection({
      kubeConfig: loaded.config,
      namespace: config.lease.namespace,
      name: config.lease.name,
      identity,
      timing: config.lease.timing,
      onStartedLeading: lead,
      onNewLeader: (leader) => logger.info('another replica leads', { leader }),
      log: (level, message, fields) => logger[level](message, fields ?? {}),
    });
  else lead(solo.signal);
  const signal = await io.stopped;
  logger.info('shutting down', { signal });
  solo.abort();
  await elector?.stop();
  await work;
  await controllers.stop();
  server?.close();
  return 0;
}

/** The process around `controller`. */
export async function runController(argv: readonly string[]): Promise<void> {
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const code = await controller(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: { ...process.env },
    stopped,
  });
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}
