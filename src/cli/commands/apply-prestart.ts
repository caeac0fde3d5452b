/**
 * @module `apply`'s worker started by the binary's entry, before the CLI's modules load
 * (docs/decisions/0020): a worker needs ~0.2 s to start an isolate and load the bundle's modules, and
 * started from `apply` itself it began only once the command's own modules had loaded (~0.1 s in).
 * The entry looks at the arguments cheaply (`wouldPrestart`), starts a worker that waits for its
 * arguments, and `apply` adopts it as its first worker (`adoptPrestarted`) or stops it. A guess that
 * is wrong only costs time: the worker is not referenced until adopted, so it never holds the process.
 * This module imports only Node's own modules, to be cheap for the entry.
 */
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { boundHeapGrowth } from './apply-memory.js';

/** `workerData` flag of an apply worker (both kinds: with its arguments, or waiting for them). */
export const APPLY_WORKER_FLAG = 'palisadeApplyWorker';

/** Young generation of each worker's heap, in MB (apply-workers.ts). */
export const WORKER_YOUNG_MB = 16;

/** A resource file this large is cut in all likelihood (500 documents of 8 KB): workers start early. */
export const LARGE_FILE_BYTES = 4 << 20;

/**
 * Whether a resource path is, or a folder holds directly, a file large enough to be cut (a deeper
 * walk would cost small runs, which read small files: they start workers on their first piece).
 */
export function hasLargeFile(paths: readonly string[], largeFileBytes = LARGE_FILE_BYTES): boolean {
  const large = (p: string): boolean => {
    try {
      const st = statSync(p);
      return st.isFile() && st.size >= largeFileBytes;
    } catch {
      return false;
    }
  };
  for (const p of paths) {
    if (p === '-') continue;
    if (large(p)) return true;
    try {
      if (
        statSync(p).isDirectory() &&
        readdirSync(p).some((name) => /\.(ya?ml|json)$/.test(name) && large(join(p, name)))
      )
        return true;
    } catch {}
  }
  return false;
}

/**
 * Whether `apply ARGS` (the arguments after `apply`) will, in all likelihood, start a worker early:
 * a large resource file is named with `-r`/`--resource(s)`, the default threads are more than one, and
 * nothing keeps the run in one thread (standard input, `--workers`, target resources). Any other
 * spelling is left to `apply`, which starts its worker itself as before.
 */
export function wouldPrestart(args: readonly string[]): boolean {
  if (availableParallelism() < 2) return false;
  const resources: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-' || a === '--' || a.startsWith('--workers') || a.startsWith('--target-resource'))
      return false;
    if (a === '-r' || a === '--resource' || a === '--resources') {
      const v = args[i + 1];
      if (v === undefined || v === '-') return false;
      resources.push(v);
      i++;
    } else if (a.startsWith('--resource=') || a.startsWith('--resources=')) {
      resources.push(a.slice(a.indexOf('=') + 1));
    }
  }
  return hasLargeFile(resources);
}

interface Prestarted {
  readonly worker: Worker;
  /** Set when it failed or stopped before it was adopted: `apply` then starts a fresh one. */
  gone: boolean;
}

let prestarted: Prestarted | undefined;

/**
 * Starts a worker running `entry` (the binary's entry module, which hands a flagged worker to
 * apply-workers.ts; with `eval`, code to run, as the tests do) that waits for its arguments. `apply` bounds the heaps' growth before it starts
 * workers: done here first, since a worker's isolate takes the flag when it starts.
 */
export function prestartApplyWorker(entry: string | URL, options: { eval?: boolean } = {}): Worker {
  if (prestarted !== undefined) return prestarted.worker;
  boundHeapGrowth();
  const worker = new Worker(entry, {
    eval: options.eval === true,
    workerData: { [APPLY_WORKER_FLAG]: true },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  const p: Prestarted = { worker, gone: false };
  worker.on('error', () => {
    p.gone = true;
  });
  worker.on('exit', () => {
    p.gone = true;
  });
  worker.unref();
  prestarted = p;
  return worker;
}

/** The worker the entry started, for `apply` to use (referenced again), or undefined. Once. */
export function adoptPrestarted(): Worker | undefined {
  const p = prestarted;
  prestarted = undefined;
  if (p === undefined) return undefined;
  if (p.gone) {
    void p.worker.terminate();
    return undefined;
  }
  p.worker.removeAllListeners('error');
  p.worker.removeAllListeners('exit');
  p.worker.ref();
  return p.worker;
}

/** Stops the worker the entry started when `apply` will not use it. */
export function discardPrestarted(): void {
  const p = prestarted;
  prestarted = undefined;
  if (p !== undefined) void p.worker.terminate();
}
