/**
 * @module `palisade serve`: the webhook face's entry. `runServe` is its only contact with the process
 * (argv, stdout/stderr, signals, exit code); `serve` takes them as values. It listens first and loads the policies after, so the API server
 * meets a server that is there but not ready (never one that allows too early); then it follows its
 * policy source (a folder or the cluster) and the certificate files, and drains on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { AdmittedRequest, StartBackground } from '../io/background.js';
import { watchFolder } from '../io/files/watch-folder.js';
import { admissionEventFeed } from './admission-events.js';
import { createAdmissionApp } from './app.js';
import { createBatchedWriter } from './batched-writer.js';
import type { ClusterSide } from './cluster-start.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics } from './middleware/metrics.js';
import { checkPolicy } from './policy-check.js';
import type { PolicySource } from './policy-source.js';
import { openPolicySource } from './policy-sources.js';
import { PolicyStore } from './policy-store.js';
import { clusterDutiesWanted, parseServeArgs, SERVE_HELP } from './serve-args.js';
import { type RunningServer, startServer, type TlsFiles } from './server.js';

const EXIT_OK = 0;
const EXIT_FAILURE = 1;

interface TlsPaths {
  readonly cert: string;
  readonly key: string;
}

function readTls(files: TlsPaths): TlsFiles {
  return { cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

/** What each answered request leaves: the background controllers' records, and its events. */
function admittedSink(cluster: ClusterSide): (admitted: AdmittedRequest) => void {
  const events = admissionEventFeed(cluster.events);
  const background = cluster.background;
  return (admitted) => {
    background?.onAdmitted?.(admitted);
    events(admitted);
  };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Reloads the serving certificate when its files change (cert-manager, a rotated Secret). */
function followCertificate(files: TlsPaths, server: RunningServer, logger: Logger): () => void {
  const dirs = [...new Set([dirname(files.cert), dirname(files.key)])];
  const reload = (): void => {
    try {
      server.setCertificate(readTls(files));
      logger.info('serving certificate reloaded', { cert: files.cert });
    } catch (err) {
      logger.error('serving certificate not reloaded; keeping the previous one', { error: message(err) });
    }
  };
  const watches = dirs.flatMap((dir) => {
    try {
      return [watchFolder(dir, reload, { debounceMs: 1000, onError: (m) => logger.warn(m) })];
    } catch (err) {
      logger.warn('certificate files are not followed', { folder: dir, error: message(err) });
      return [];
    }
  });
  return () => {
    for (const w of watches) w.close();
  };
}

export interface ServeIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The process environment ($KUBECONFIG, the in-cluster variables); default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGTERM, SIGINT). */
  readonly stopped: Promise<string>;
  /** Who this replica is in leader election (default: $POD_NAME, else the host name). */
  readonly identity?: string;
  /** Starts the background controllers (generate) in cluster mode; absent: generated objects are only logged. */
  readonly background?: StartBackground;
}

/** Runs the server until stopped; resolves with the exit code. */
export async function serve(argv: readonly string[], io: ServeIo): Promise<number> {
  const env = io.env ?? {};
  const args = parseServeArgs(argv, env);
  if (!args.ok) {
    io.stderr(`Error: ${args.error}\nRun 'palisade serve --help' for usage.\n`);
    return EXIT_FAILURE;
  }
  if (args.help === true) {
    io.stdout(`${SERVE_HELP}\n`);
    return EXIT_OK;
  }
  const config = args.config;
  const logger = createLogger((line) => io.stderr(`${line}\n`));
  const files =
    config.tlsCert !== undefined && config.tlsKey !== undefined
      ? { cert: config.tlsCert, key: config.tlsKey }
      : undefined;
  if (files !== undefined) {
    try {
      readTls(files);
    } catch (err) {
      logger.error('cannot read the TLS certificate or key', { error: message(err) });
      return EXIT_FAILURE;
    }
  }
  const store = new PolicyStore();
  let source: PolicySource;
  try {
    source = await openPolicySource(config.source, store, logger, {
      debounceMs: config.watchDebounceMs,
      allowEmpty: config.allowEmpty,
      exceptionGate: config.exceptionGate,
      maxGlobalContextEntries: config.maxGlobalContextEntries,
      httpEgress: config.httpEgress,
      env,
    });
  } catch (err) {
    logger.error('cannot read the policies from the cluster', { error: message(err) });
    return EXIT_FAILURE;
  }

  // The cluster duties start before the server: with self-managed certificates the leader writes
  // the serving certificate the server needs to listen. Nothing is registered before a set is loaded.
  // Made first: the background controllers register their counters on the same registry.
  const metrics = config.metrics !== undefined ? createMetrics() : undefined;
  let cluster: ClusterSide | undefined;
  if (clusterDutiesWanted(config)) {
    try {
      // Loaded only for the cluster: the Kubernetes client is ~20 MB of a server's memory that a
      // server reading a folder never uses.
      const { startClusterSide } = await import('./cluster-start.js');
      cluster = startClusterSide(
        config,
        store,
        logger,
        env,
        io.identity ?? env.POD_NAME ?? hostname(),
        io.background,
        metrics?.registry,
        source.ports,
      );
    } catch (err) {
      logger.error('cannot start the cluster duties', { error: message(err) });
      source.close();
      return EXIT_FAILURE;
    }
  }
  const stop = new AbortController();
  void io.stopped.then(() => stop.abort());
  let tls: TlsFiles;
  try {
    if (files !== undefined) tls = readTls(files);
    else if (cluster?.certificate !== undefined) tls = await cluster.certificate.wait(stop.signal);
    else throw new Error('no --tls-cert, and no cluster to keep a certificate in');
  } catch (err) {
    logger.error('cannot read the TLS certificate or key', { error: message(err) });
    await cluster?.duties.stop();
    source.close();
    return EXIT_FAILURE;
  }
  const app = createAdmissionApp(store, {
    maxBodyBytes: config.maxBodyBytes,
    maxDepth: config.maxDepth,
    deadlineMs: config.deadlineMs,
    filters: config.filters,
    exclusions: config.exclusions,
    limits: config.limits,
    logger,
    checkPolicy,
    invalidTtl: config.cluster.invalidTtl,
    ...(metrics !== undefined ? { metrics } : {}),
    ...(source.requestContext !== undefined ? { requestContext: source.requestContext } : {}),
    ...(source.ports !== undefined ? { ports: source.ports } : {}),
    ...(cluster !== undefined ? { onAdmitted: admittedSink(cluster) } : {}),
    onGenerated:
      cluster?.background?.onGenerated ??
      ((objects, request) =>
        logger.info('generate rules want objects; not created (serve does not write to the cluster yet)', {
          uid: request.uid,
          objects: objects.map(
            (g) => `${g.policy.name}: ${String(g.object.kind)}/${String(g.object.metadata?.name ?? '')}`,
          ),
        })),
  });
  let server: RunningServer;
  try {
    server = await startServer(
      app,
      store,
      {
        tls,
        address: config.address,
        port: config.port,
        maxBodyBytes: config.maxBodyBytes,
        webhookTimeoutMs: config.webhookTimeoutMs,
        ...(config.metrics !== undefined && metrics !== undefined
          ? { metrics: { ...config.metrics, registry: metrics.registry } }
          : {}),
      },
      logger,
    );
  } catch (err) {
    logger.error('cannot start the server', { error: message(err) });
    await cluster?.duties.stop();
    source.close();
    return EXIT_FAILURE;
  }
  logger.info('listening', {
    url: server.url,
    ...source.description,
    ...(server.metricsUrl !== undefined ? { metrics: `${server.metricsUrl}/metrics` } : {}),
  });

  await source.start();
  const stopCert =
    files !== undefined
      ? followCertificate(files, server, logger)
      : (cluster?.certificate?.follow((pair) => {
          try {
            server.setCertificate(pair);
            logger.info('serving certificate reloaded from its Secret');
          } catch (err) {
            logger.error('serving certificate not reloaded; keeping the previous one', {
              error: message(err),
            });
          }
        }) ?? (() => undefined));

  const signal = await io.stopped;
  logger.info('shutting down: no new connections, finishing requests in flight', {
    signal,
    inFlight: server.inFlight(),
  });
  // Stepping down first releases the Lease, so another replica takes over while this one drains.
  await cluster?.duties.stop();
  await cluster?.background?.stop();
  await cluster?.events.stop();
  source.close();
  stopCert();
  const { drained } = await server.close(config.drainMs);
  logger.info('stopped', { drained });
  return EXIT_OK;
}

/** The process around `serve`: stdout/stderr, SIGTERM/SIGINT, the exit code. Errors are logged, never fatal. */
export async function runServe(argv: readonly string[], background?: StartBackground): Promise<void> {
  // Log lines go out in batches (one write per decision was a system call per review); what is
  // still queued is written when the process exits, however it exits short of a kill.
  const batched = createBatchedWriter((text) => process.stderr.write(text));
  process.on('exit', () => batched.flush());
  const stderr = (text: string): void => batched.write(text);
  const fatal = createLogger((line) => stderr(`${line}\n`));
  process.on('uncaughtException', (err) => fatal.error('uncaught exception', { error: message(err) }));
  process.on('unhandledRejection', (err) => fatal.error('unhandled rejection', { error: message(err) }));
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const code = await serve(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr,
    stopped,
    env: { ...process.env },
    identity: process.env.POD_NAME ?? `${hostname()}-${process.pid}`,
    ...(background !== undefined ? { background } : {}),
  });
  process.exitCode = code;
  batched.flush();
  // Whatever still holds the event loop must not hold the exit.
  setTimeout(() => process.exit(code), 2000).unref();
}
