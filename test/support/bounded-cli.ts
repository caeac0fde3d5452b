/**
 * Runs the real CLI under the bounds every evaluation must respect (docs/limits.md): a 256 MB heap
 * (V8's old space is capped there, so a run that needs more dies) and 5 s of work. The work is the
 * process's own CPU time (user + system), reported by a preloaded module when it exits: on a shared
 * machine wall time also counts the time spent waiting for a core, which is no property of the CLI.
 * A run that does not end within `WALL_MS` (a hang: a blocked read, a loop waiting on nothing) is
 * killed. The CLI is bundled once per test process with esbuild (a dev dependency), so that start-up
 * through the TypeScript loader does not count.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** CPU time a run may use. */
export const BOUND_MS = 5_000;
/** Heap a run may use, and the peak resident memory it must stay under. */
export const HEAP_MB = 256;
/** Wall time after which a run is killed as hung. */
export const WALL_MS = 30_000;
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
const USAGE_REPORT = resolve(import.meta.dirname, 'usage-report.mjs');

export interface BoundedRun {
  /** null when the run was killed (hung past WALL_MS, or out of memory by signal). */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time. */
  readonly ms: number;
  /** CPU time the process used (undefined when it was killed before it could say). */
  readonly cpuMs: number | undefined;
  /** Its peak resident memory in bytes (likewise). */
  readonly maxRssBytes: number | undefined;
}

/** What a run exceeded of the bounds (empty when it stayed within them), for an assertion message. */
export function boundsExceeded(r: BoundedRun): string[] {
  const out: string[] = [];
  if (r.code === null) out.push(`killed (${r.signal}) after ${Math.round(r.ms)} ms of wall time`);
  if (r.cpuMs !== undefined && r.cpuMs > BOUND_MS) out.push(`used ${Math.round(r.cpuMs)} ms of CPU time`);
  if (r.maxRssBytes !== undefined && r.maxRssBytes > HEAP_MB * 1024 * 1024)
    out.push(`peaked at ${Math.round(r.maxRssBytes / 1024 / 1024)} MB resident`);
  return out;
}

/** One line on what a run used, for failure messages. */
export function usageLine(r: BoundedRun): string {
  const cpu = r.cpuMs === undefined ? '?' : String(Math.round(r.cpuMs));
  const rss = r.maxRssBytes === undefined ? '?' : String(Math.round(r.maxRssBytes / 1024 / 1024));
  return `exit ${r.code} signal ${r.signal} after ${Math.round(r.ms)} ms (cpu ${cpu} ms, peak ${rss} MB)`;
}

let reports = 0;

let bundle: Promise<{ cli: string; dir: string }> | undefined;

async function build(): Promise<{ cli: string; dir: string }> {
  const { build: esbuild } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bundle-'));
  const cli = join(dir, 'palisade.mjs');
  await esbuild({
    entryPoints: [MAIN],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: cli,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    },
  });
  return { cli, dir };
}

/** Removes the bundle (call from an `after` hook). */
export async function removeBundle(): Promise<void> {
  if (bundle === undefined) return;
  const { dir } = await bundle;
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `palisade <args>` in `cwd` under the heap and time bounds. */
export async function runBounded(
  args: readonly string[],
  cwd: string,
  stdin: string | Buffer = '',
): Promise<BoundedRun> {
  bundle ??= build();
  const { cli, dir } = await bundle;
  const report = join(dir, `usage-${process.pid}-${++reports}.json`);
  return new Promise((done) => {
    const started = performance.now();
    const child = execFile(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, '--import', USAGE_REPORT, cli, ...args],
      {
        cwd,
        timeout: WALL_MS,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', PALISADE_USAGE_REPORT: report },
      },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: unknown; signal?: string | null }) | null;
        let usage: { cpuMs?: number; maxRssBytes?: number } = {};
        try {
          usage = JSON.parse(readFileSync(report, 'utf8')) as typeof usage;
          rmSync(report, { force: true });
        } catch {
          // Killed before its exit handler ran: no report.
        }
        done({
          code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
          signal: e?.signal ?? null,
          stdout,
          stderr,
          ms: performance.now() - started,
          cpuMs: usage.cpuMs,
          maxRssBytes: usage.maxRssBytes,
        });
      },
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
  });
}
