/**
 * @module `palisade serve` in cluster mode as a child process, for end-to-end tests against the test
 * cluster: any flags (`--kubeconfig`, `--webhook-url`, …), `$KUBECONFIG` cleared unless given. Built on
 * serve-process.ts's `spawnServe` (one spawn, one log parser); folder-mode tests use its `startServe`.
 */
import type { ChildProcess } from 'node:child_process';
import { freePort, type ServeLog, spawnServe } from './serve-process.js';

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly logs: readonly ServeLog[];
  /** The first log line with this `msg` (and fields), waited for up to `ms`. */
  waitFor(msg: string, ms?: number, where?: (line: ServeLog) => boolean): Promise<ServeLog>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills it outright (a crash: nothing is released). */
  kill(): Promise<void>;
}

export function startServe(
  args: readonly string[],
  env: Record<string, string> = {},
  command: readonly string[] = ['serve'],
): ServeProcess {
  const serve = spawnServe(args, { KUBECONFIG: '', ...env }, command);
  return {
    child: serve.child,
    logs: serve.logs,
    waitFor: (msg, ms = 30_000, where = () => true) =>
      serve.waitForLog(`"${msg}"`, (l) => l.msg === msg && where(l), ms),
    // No SIGKILL fallback: a test may assert the graceful exit code (releasing the Lease takes a while).
    stop: async () => {
      await serve.kill('SIGTERM');
      return (await serve.exited).code;
    },
    kill: () => serve.kill('SIGKILL'),
  };
}

/**
 * `palisade controller NAME --kubeconfig FILE` in namespace `palisade` with short election timing
 * (lease 4 s) and `identity` as its Lease holder; more flags in `args`.
 */
export function startController(
  name: 'reports' | 'background' | 'cleanup',
  kubeconfig: string,
  identity: string,
  args: readonly string[] = [],
): ServeProcess {
  return startServe(
    [
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      'palisade',
      '--lease-duration',
      '4s',
      '--renew-deadline',
      '3s',
      '--retry-period',
      '500ms',
      ...args,
    ],
    { POD_NAME: identity },
    ['controller', name],
  );
}

/** One free-port helper for every serve test. */
export { freePort } from './serve-process.js';

/**
 * `palisade serve --kubeconfig` that leads at once and resyncs every 2 s (the background controllers'
 * end-to-end tests), its webhooks pointing at it; resolves once it has written its configurations.
 */
export async function startLeadingServe(
  kubeconfig: string,
  cert: string,
  key: string,
  extraArgs: readonly string[] = [],
): Promise<ServeProcess> {
  const port = await freePort();
  const serve = startServe([
    '--tls-cert',
    cert,
    '--tls-key',
    key,
    '--port',
    String(port),
    '--kubeconfig',
    kubeconfig,
    '--webhook-url',
    `https://127.0.0.1:${port}`,
    '--lease-duration',
    '8s',
    '--renew-deadline',
    '6s',
    '--retry-period',
    '500ms',
    '--resync-period',
    '2s',
    ...extraArgs,
  ]);
  await serve.waitFor('webhook configurations reconciled', 60_000);
  return serve;
}

/** Removes serve's Fail webhooks, which would block whatever runs next on the cluster once it stops. */
export async function removeWebhookConfigurations(
  api: (method: string, path: string) => Promise<unknown>,
): Promise<void> {
  const base = '/apis/admissionregistration.k8s.io/v1';
  for (const name of ['palisade-resource-validating-webhook-cfg', 'palisade-policy-validating-webhook-cfg'])
    await api('DELETE', `${base}/validatingwebhookconfigurations/${name}`).catch(() => undefined);
  await api('DELETE', `${base}/mutatingwebhookconfigurations/palisade-resource-mutating-webhook-cfg`).catch(
    () => undefined,
  );
}
