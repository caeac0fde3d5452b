/**
 * Runs the real CLI under the bounds every evaluation must respect (docs/limits.md): a 256 MB heap and a
 * 5 s deadline; a run that needs more is killed. The CLI is bundled once per test process with esbuild
 * (a dev dependency), so that start-up through the TypeScript loader does not eat the deadline.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BOUND_MS = 5_000;
export const HEAP_MB = 256;
const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

export interface BoundedRun {
  /** null when the run was killed (deadline, or out of memory by signal). */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

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
  const { cli } = await bundle;
  return new Promise((done) => {
    const started = performance.now();
    const child = execFile(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, cli, ...args],
      {
        cwd,
        timeout: BOUND_MS,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: unknown; signal?: string | null }) | null;
        done({
          code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
          signal: e?.signal ?? null,
          stdout,
          stderr,
          ms: performance.now() - started,
        });
      },
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
  });
}
