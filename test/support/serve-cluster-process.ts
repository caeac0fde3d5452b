/** `palisade serve` in cluster mode as a child process (tsx, from source) with its JSON log lines collected; folder-mode tests use serve-process.ts. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { eventually } from './testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly logs: Record<string, unknown>[];
  /** The first log line with this `msg` (and fields), waited for up to `ms`. */
  waitFor(
    msg: string,
    ms?: number,
    where?: (line: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills it outright (a crash: nothing is released). */
  kill(): Promise<void>;
}

export function startServe(args: readonly string[], env: Record<string, string> = {}): ServeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, KUBECONFIG: '', ...env },
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: 'unparsed', line });
      }
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    logs,
    waitFor: (msg, ms = 30_000, where = () => true) =>
      eventually(`log line "${msg}"`, ms, async () => logs.find((l) => l.msg === msg && where(l))),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** One free-port helper for every serve test. */
export { freePort } from './serve-process.js';
