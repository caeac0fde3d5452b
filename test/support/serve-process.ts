/**
 * @module `palisade serve` as a real child process on loopback, for end-to-end tests (docs/serve.md):
 * start it on a policy folder with a loopback certificate, read its JSON log lines, wait for it to
 * listen, load and be ready, kill it (SIGKILL for crash tests) and start it again on the same port.
 * `spawnServe` is the core (any flags: serve-cluster-process.ts runs cluster mode on it).
 *
 *   const serve = await startServe({ policies: dir, certificate: cert });
 *   await serve.waitReady();
 *   ...
 *   after(() => serve.stop());
 *
 * It runs the committed bundle (`bin/palisade.mjs`, which CI checks against the sources) when that is at least
 * as new as every file under src/, else `src/main.ts` through tsx, so a local run never tests a stale
 * build. PALISADE_SERVE_ENTRY=dist|src forces one. Every process started here is killed when the test
 * process exits, even if a test forgets to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { writeLoopbackCertificate } from './loopback-certificate.js';
import { eventually } from './testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'bin/palisade.mjs');

/** One JSON log line of the server. */
export type ServeLog = Readonly<Record<string, unknown>> & { readonly msg: string };

export interface ServeCertificate {
  readonly cert: string;
  readonly key: string;
  /** The certificate, for the webhook configuration's caBundle (it is self-signed). */
  readonly caPem: string;
}

/** A self-signed certificate for https://127.0.0.1 written into `dir`. */
export function serveCertificate(dir: string): ServeCertificate {
  const { cert, key } = writeLoopbackCertificate(dir);
  return { cert, key, caPem: readFileSync(cert, 'utf8') };
}

export interface StartServeOptions {
  readonly policies: string;
  readonly certificate: ServeCertificate;
  /** Defaults to a free port; give the previous one to restart behind the same webhook URL. */
  readonly port?: number;
  /** More flags (defaults add `--watch-debounce 100ms`). */
  readonly args?: readonly string[];
}

export interface ServeProcess {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Which palisade ran: the build (`dist`) or the sources through tsx (`src`). */
  readonly entry: 'dist' | 'src';
  /** Every log line so far (stderr, parsed). */
  readonly logs: readonly ServeLog[];
  /** The first log line (counting those already read) that satisfies `match`. */
  waitForLog(what: string, match: (line: ServeLog) => boolean, ms?: number): Promise<ServeLog>;
  /** GET /health/readiness: its status, or 0 when nothing answers. */
  readiness(): Promise<number>;
  /** Polls readiness until 200. */
  waitReady(ms?: number): Promise<void>;
  /** The generation of the last policy set loaded (0 before the first). */
  policySet(): number;
  /** Sends `signal` and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; safe to call twice. */
  stop(): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
  }
  return newest;
}

/** The command line that runs `palisade` (see the module comment). */
export function palisadeCommand(): { readonly args: readonly string[]; readonly entry: 'dist' | 'src' } {
  const forced = process.env.PALISADE_SERVE_ENTRY;
  const distFresh = existsSync(DIST) && statSync(DIST).mtimeMs >= newestMtime(join(ROOT, 'src'));
  const entry = forced === 'dist' || forced === 'src' ? forced : distFresh ? 'dist' : 'src';
  return entry === 'dist'
    ? { args: [DIST], entry }
    : { args: ['--import', 'tsx', join(ROOT, 'src/main.ts')], entry };
}

/** A port free on 127.0.0.1 right now (for a server that must keep its port across restarts). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const LISTEN_TIMEOUT_MS = 60_000;

/** A `palisade serve` child process and its parsed JSON log lines; the core of both start helpers. */
export interface ServeChild {
  readonly child: ChildProcess;
  readonly entry: 'dist' | 'src';
  /** Every log line so far (stderr, parsed; a line that is not JSON is `unparsed stderr`). */
  readonly logs: ServeLog[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 10,000 characters of stderr, for failure messages. */
  stderrTail(): string;
  hasExited(): boolean;
  /** The first log line (counting those already read) that satisfies `match`; fails early if it exits. */
  waitForLog(what: string, match: (line: ServeLog) => boolean, ms?: number): Promise<ServeLog>;
  /** Sends `signal` and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Spawns `palisade serve ARGS` (the bundle or the sources, see palisadeCommand) with `env` added to
 * this process's environment. It never keeps the test process alive, and is killed when it exits.
 * `command` runs another long-lived command instead (`['controller', 'reports']`), same log format.
 */
export function spawnServe(
  serveArgs: readonly string[],
  env: Record<string, string> = {},
  command: readonly string[] = ['serve'],
): ServeChild {
  const { args, entry } = palisadeCommand();
  const child = spawn(process.execPath, [...args, ...command, ...serveArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  running.add(child);
  // The server never keeps the test process alive (a test that failed before stopping it would hang):
  // the exit hook above kills it, and kill() holds the process only while it waits for the exit.
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  const logs: ServeLog[] = [];
  let stderrTail = '';
  let buffered = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-10_000);
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        logs.push(JSON.parse(line) as ServeLog);
      } catch {
        logs.push({ msg: 'unparsed stderr', line });
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (gone) return;
    child.ref();
    child.kill(signal);
    await exited;
  };
  let stopping: Promise<void> | undefined;
  return {
    child,
    entry,
    logs,
    exited,
    stderrTail: () => stderrTail,
    hasExited: () => gone,
    waitForLog: (what, match, ms = 30_000) =>
      eventually(`serve log: ${what}`, ms, async () => {
        const found = logs.find(match);
        if (found !== undefined) return found;
        if (gone) throw new Error(`serve exited before logging ${what}:\n${stderrTail}`);
        return undefined;
      }),
    kill,
    stop: () => {
      stopping ??= (async () => {
        if (gone) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await kill('SIGTERM');
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** Starts `palisade serve` on a policy folder; resolves once it listens (its policies may not be loaded yet). */
export async function startServe(options: StartServeOptions): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const serve = spawnServe([
    '--policies',
    options.policies,
    '--tls-cert',
    options.certificate.cert,
    '--tls-key',
    options.certificate.key,
    '--port',
    String(port),
    '--watch-debounce',
    '100ms',
    ...(options.args ?? []),
  ]);
  await serve
    .waitForLog('listening', (l) => l.msg === 'listening', LISTEN_TIMEOUT_MS)
    .catch((err: unknown) => {
      serve.child.kill('SIGKILL');
      throw err;
    });
  const url = `https://127.0.0.1:${port}`;

  const readiness = (): Promise<number> =>
    new Promise((done) => {
      const req = httpsRequest(
        `${url}/health/readiness`,
        { ca: options.certificate.caPem, timeout: 5000 },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => done(0));
      req.end();
    });

  return {
    url,
    port,
    pid: serve.child.pid ?? 0,
    entry: serve.entry,
    logs: serve.logs,
    waitForLog: serve.waitForLog,
    readiness,
    waitReady: async (ms = 30_000) => {
      await eventually('serve readiness 200', ms, async () => {
        if (serve.hasExited()) throw new Error(`serve exited before it was ready:\n${serve.stderrTail()}`);
        return (await readiness()) === 200 ? true : undefined;
      });
    },
    policySet: () => {
      let generation = 0;
      for (const l of serve.logs) if (l.msg === 'policy set loaded') generation = Number(l.policySet);
      return generation;
    },
    kill: serve.kill,
    stop: serve.stop,
    exited: serve.exited,
  };
}

/**
 * Starts two things side by side (a cluster and a server): both, or neither, since one that started
 * while the other failed would outlive the test that cannot reach it to stop it.
 */
export async function startBoth<A extends { stop(): Promise<void> }, B extends { stop(): Promise<void> }>(
  a: Promise<A>,
  b: Promise<B>,
): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'fulfilled' && rb.status === 'fulfilled') return [ra.value, rb.value];
  if (ra.status === 'fulfilled') await ra.value.stop();
  if (rb.status === 'fulfilled') await rb.value.stop();
  throw ra.status === 'rejected' ? ra.reason : (rb as PromiseRejectedResult).reason;
}
