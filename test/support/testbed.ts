/**
 * A real Kubernetes control plane for end-to-end tests (docs/testbed.md): etcd, kube-apiserver and
 * kube-controller-manager built by scripts/testbed/build.sh, started on 127.0.0.1 by
 * scripts/testbed/start.sh in the foreground. The script stops the cluster when its stdin closes, so
 * the cluster dies with the test process even when that is killed outright.
 *
 *   test('...', { skip: testbedSkip() }, async () => { const tb = await startTestbed(); ... });
 *
 * Without the binaries a test is skipped with a message saying how to build them; with
 * PALISADE_TESTBED=required (CI) it runs, and startTestbed fails with that message instead.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writeLoopbackCertificate } from './loopback-certificate.js';

/** scripts/testbed (build.sh, start.sh, stop.sh, chainsaw.sh). */
export const SCRIPTS = resolve(import.meta.dirname, '../../scripts/testbed');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

/** Where build.sh puts the binaries (same defaults as the scripts). */
export const testbedBin =
  process.env.PALISADE_TESTBED_BIN ??
  join(process.env.PALISADE_TESTBED_CACHE ?? join(homedir(), '.cache/palisade-testbed'), 'bin');

const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl', 'chainsaw'] as const;

/** Null when the binaries are there, else why the testbed cannot start. */
export function testbedMissing(): string | null {
  const missing = BINARIES.filter((b) => !existsSync(join(testbedBin, b)));
  if (missing.length === 0) return null;
  return `testbed binaries not built (${missing.join(', ')} missing in ${testbedBin}): run scripts/testbed/build.sh`;
}

/**
 * For `test(name, { skip: testbedSkip() }, ...)`: a skip message when the binaries are missing, false
 * when the test should run. PALISADE_TESTBED=required never skips, so a missing build fails in CI.
 */
export function testbedSkip(): string | false {
  const missing = testbedMissing();
  if (missing === null || process.env.PALISADE_TESTBED === 'required') return false;
  return `${missing} (PALISADE_TESTBED=required makes this a failure)`;
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface Testbed {
  /** The cluster's temp dir (pki/, logs/, kubeconfig); removed by stop(). */
  readonly dir: string;
  /** A kubeconfig for a cluster admin (bearer token). */
  readonly kubeconfig: string;
  /** https://127.0.0.1:PORT */
  readonly server: string;
  /** The CA that signed the API server's certificate. */
  readonly caPem: string;
  /** A cluster admin's bearer token. */
  readonly token: string;
  /** etcd's client URL (plain HTTP on loopback). */
  readonly etcd: string;
  /**
   * Compacts etcd's history up to its current revision and answers it: a watch from an older
   * resourceVersion of a kind the API server does not cache (PodTemplates, see start.sh) then gets
   * 410 Gone, as after any real compaction.
   */
  compactEtcd(): Promise<number>;
  /** Runs the built kubectl against this cluster; `input` goes to its stdin. */
  kubectl(args: readonly string[], input?: string): Promise<CommandResult>;
  /** One request to the API server as the admin; a JSON body is sent and parsed. */
  api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Stops every process and removes the dir; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a fresh cluster; resolves once /readyz answers (a few seconds). */
export async function startTestbed(): Promise<Testbed> {
  const missing = testbedMissing();
  if (missing !== null) throw new Error(missing);
  const child = spawn('bash', [join(SCRIPTS, 'start.sh'), '--foreground'], {
    detached: true, // its own process group, so stop() can reach every process at once
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PALISADE_TESTBED_BIN: testbedBin },
  });
  const kubeconfig = await firstLine(child);
  const dir = dirname(kubeconfig);
  const env = readEnv(join(dir, 'env'));
  const caPem = readFileSync(env.TESTBED_CA ?? '', 'utf8');
  const token = env.TESTBED_TOKEN ?? '';
  const server = env.TESTBED_SERVER ?? '';
  const etcd = env.TESTBED_ETCD ?? '';

  // Nothing of the cluster keeps this process alive; if it exits without stop(), the group is signalled
  // here, and the script's stdin closes anyway.
  const onExit = (): void => killGroup(child, 'SIGTERM');
  process.once('exit', onExit);
  for (const s of [child, child.stdin, child.stdout, child.stderr]) (s as { unref?: () => void }).unref?.();

  let stopped: Promise<void> | undefined;
  return {
    dir,
    kubeconfig,
    server,
    caPem,
    token,
    etcd,
    compactEtcd: () => compactEtcd(etcd),
    kubectl: (args, input) =>
      runCommand(join(testbedBin, 'kubectl'), args, { KUBECONFIG: kubeconfig }, input),
    api: (method, path, body) => api(server, caPem, token, method, path, body),
    stop: () => {
      stopped ??= (async () => {
        process.removeListener('exit', onExit);
        child.ref();
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((done) => child.once('exit', () => done()));
          child.stdin?.end(); // start.sh's cue to run stop.sh
          const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** etcd's v3 JSON gateway: the current revision, then a compaction up to it. */
async function compactEtcd(etcd: string): Promise<number> {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${etcd}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const range = await post('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
  const revision = Number((range.header as { revision?: string } | undefined)?.revision);
  if (!Number.isInteger(revision)) throw new Error('etcd did not say its revision');
  await post('/v3/kv/compaction', { revision, physical: true });
  return revision;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** The kubeconfig path start.sh prints once the cluster is ready; its log if it fails first. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      fail(new Error(`testbed did not start within ${START_TIMEOUT_MS} ms:\n${err}`));
    }, START_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-20_000);
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        done(out.slice(0, nl));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`testbed start.sh exited (${code ?? signal}) before the cluster was ready:\n${err}`));
    });
  });
}

function readEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of readFileSync(file, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return env;
}

/** Runs a command to completion (60 s at most) with extra environment variables. */
export function runCommand(
  cmd: string,
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): Promise<CommandResult> {
  return new Promise((done) => {
    const child = execFile(
      cmd,
      args,
      { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        // A command that could not run (or was killed) says why on stderr.
        done({ code, stdout, stderr: code === null ? `${stderr}${error?.message ?? ''}` : stderr });
      },
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });
}

function api(
  server: string,
  ca: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  return new Promise((done, fail) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest(
      new URL(path, server),
      {
        method,
        ca,
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. /readyz): keep the text
          }
          done({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', fail);
    req.end(payload);
  });
}

/** A self-signed serving certificate for https://127.0.0.1 (for a webhook under test), made by openssl. */
export function loopbackCertificate(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-cert-'));
  try {
    const { cert, key } = writeLoopbackCertificate(dir);
    return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls `probe` every 100 ms until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
