/**
 * @module `palisade serve` in cluster mode as a child process, for end-to-end tests against the test
 * cluster: any flags (`--kubeconfig`, `--webhook-url`, …), `$KUBECONFIG` cleared unless given. Built on
 * serve-process.ts's `spawnServe` (one spawn, one log parser); folder-mode tests use its `startServe`.
 */
import type { ChildProcess } from 'node:child_process';
import { type ServeLog, spawnServe } from './serve-process.js';

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

export function startServe(args: readonly string[], env: Record<string, string> = {}): ServeProcess {
  const serve = spawnServe(args, { KUBECONFIG: '', ...env });
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

/** One free-port helper for every serve test. */
export { freePort } from './serve-process.js';
