/**
 * @module `apply --workers`: pieces of large resource files read and evaluated in worker threads
 * (docs/decisions/0020-apply-workers.md). Each worker compiles the policy set once and reads whole
 * pieces (YAML text in, plain rows out); the command merges their results in input order, so the
 * output is the single-threaded run's, byte for byte.
 *
 * The worker's entry is this module itself, loaded again in the thread with a flag in `workerData`:
 * that works from tsc's output, from the sources through tsx and from the esbuild bundle (where this
 * module sits in a chunk of its own or with the rest of `apply`).
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ChunkResources, documentAsResource } from '../../io/files/resources.js';
import { STDIN } from '../../io/files/walk.js';
import type { ReportSummary } from '../../io/report/report-result.js';
import { type DocumentChunk, streamChunkDocuments } from '../../io/yaml/load-documents.js';
import { type ApplyResultRow, isViolation, located } from '../output/apply-report.js';
import type { GeneratedResource, MutatedResource } from '../output/mutated-output.js';
import type { ApplyArgs } from './apply-args.js';
import { type ApplyEnv, applyEnv, emptySummary, evaluateResource, placedRow } from './apply-evaluate.js';
import { loadApplyInputs } from './apply-inputs.js';

const FLAG = 'palisadeApplyWorker';

/**
 * How files are cut: pieces of 250 documents (big enough that messages cost little, small enough to
 * share the work evenly); files of fewer than 500 are read in the command's thread (starting workers
 * would cost more than they save). Mutable for the tests only, which cut small files.
 */
export const chunking = { documents: 250, minDocuments: 500 };

/** Young generation of each worker's heap, in MB. */
const WORKER_YOUNG_MB = 16;

/** What the command keeps of rows: all of them, or (Kyverno's text) the violations and the counts. */
export interface RowPolicy {
  readonly keepRows: boolean;
  /** Report formats place every row, passes included. */
  readonly allPositions: boolean;
}

/** What a piece gave: its documents' reading, and the rows of its resources in order. */
export interface ChunkOutcome {
  readonly read: ChunkResources;
  /** All rows, or with `counts` only the violations. */
  readonly rows: readonly ApplyResultRow[];
  readonly counts?: ReportSummary;
  readonly mutated: readonly MutatedResource[];
  readonly generated: readonly GeneratedResource[];
}

/**
 * A row as it crosses threads: plain values, its position placed (a lazy one would be computed by the
 * copy, or be lost); a pass keeps none unless a report format reads it (no other output does).
 */
function portableRow(row: ApplyResultRow, policy: RowPolicy): ApplyResultRow {
  if (row.location === undefined || policy.allPositions || located(row)) return placedRow(row, true);
  const { location: _dropped, ...rest } = row;
  return rest;
}

/** Reads one piece and evaluates its resources, as the command's loop does for a whole file. */
export async function readChunk(
  env: ApplyEnv,
  chunk: DocumentChunk,
  fromFolder: boolean,
  policy: RowPolicy,
): Promise<ChunkOutcome> {
  const stream = streamChunkDocuments(chunk, { expandLists: true });
  const rows: ApplyResultRow[] = [];
  const counts = policy.keepRows ? undefined : emptySummary();
  const mutated: MutatedResource[] = [];
  const generated: GeneratedResource[] = [];
  const notices: ChunkResources['notices'][number][] = [];
  let documents = 0;
  let found = 0;
  let skipped = 0;
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) {
      const { issues, refusedAt } = step.value;
      const read: ChunkResources = {
        documents,
        issues,
        found,
        skipped,
        notices,
        ...(refusedAt !== undefined ? { refusedAt } : {}),
      };
      return { read, rows, ...(counts !== undefined ? { counts } : {}), mutated, generated };
    }
    documents++;
    const as = documentAsResource(fromFolder ? { ...step.value, fromFolder: true } : step.value);
    if (!('resource' in as)) {
      if (as.skipped) skipped++;
      notices.push(as.notice);
      continue;
    }
    found++;
    // Evaluated and placed while the document is the stream's current one (its events are at hand).
    const done = await evaluateResource(env, as.resource);
    for (const row of done.rows) {
      if (counts !== undefined) {
        counts[row.report.result]++;
        if (isViolation(row)) rows.push(portableRow(row, policy));
      } else rows.push(portableRow(row, policy));
    }
    mutated.push(...done.mutated);
    generated.push(...done.generated);
  }
}

/**
 * The threads a run evaluates in (1: the command's own): `--workers`, else one per core the process
 * may use. Workers read every input again but standard input, which only the command's thread has:
 * a run that reads policies (or any input but the resources) from it stays in one thread.
 */
export function workerCount(a: ApplyArgs): number {
  const inputs = [
    ...a.policyPaths,
    ...a.exceptionPaths,
    ...a.jsonPaths,
    ...a.paramResources,
    a.valuesFile,
    a.userInfoFile,
    a.contextFile,
  ];
  if (inputs.includes(STDIN)) return 1;
  return a.workers ?? availableParallelism();
}

/** Pieces merged from workers in this thread (the tests check that workers were used). */
export const workerStats = { pieces: 0 };

/**
 * The pieces of the file being read, merged in input order as their results come; from a piece that
 * refused a document on, the file is read by the command (`streamPathUnits`), so later pieces are dropped.
 */
export class ChunkedFile {
  readonly #take: (o: ChunkOutcome) => void;
  #pending: Promise<ChunkOutcome>[] = [];
  #reads: ChunkResources[] = [];
  #refused = false;

  constructor(take: (o: ChunkOutcome) => void) {
    this.#take = take;
  }

  /** Adds a piece; merges the oldest while more than `window` are under way (bounds what waits in memory). */
  async add(outcome: Promise<ChunkOutcome>, window: number): Promise<void> {
    // Awaited in order below; a failure of a later one must not also surface as unhandled.
    outcome.catch(() => {});
    this.#pending.push(outcome);
    while (this.#pending.length > window) await this.#mergeOldest();
  }

  /** Merges the rest; the reads of the file's pieces, up to the first that refused a document. */
  async end(): Promise<ChunkResources[]> {
    while (this.#pending.length > 0) await this.#mergeOldest();
    const reads = this.#reads;
    this.#reads = [];
    this.#refused = false;
    return reads;
  }

  async #mergeOldest(): Promise<void> {
    const outcome = await this.#pending.shift()!;
    if (this.#refused) return;
    workerStats.pieces++;
    this.#take(outcome);
    this.#reads.push(outcome.read);
    if (outcome.read.refusedAt !== undefined) this.#refused = true;
  }
}

type Reply =
  | { readonly id: number; readonly outcome: ChunkOutcome }
  | { readonly id: number; readonly error: string };

interface Task {
  readonly id: number;
  readonly chunk: DocumentChunk;
  readonly fromFolder: boolean;
  readonly resolve: (o: ChunkOutcome) => void;
  readonly reject: (e: Error) => void;
}

/** How a worker is started: this module, through tsx's loader when it runs from the sources. */
function workerScript(): { script: string | URL; eval: boolean } {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { script: new URL(self), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  return {
    script: `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(self)}))`,
    eval: true,
  };
}

/** A pool of `count` workers (started on the first piece), each given one piece at a time. */
export class ApplyWorkers {
  readonly #count: number;
  readonly #data: { args: ApplyArgs; policy: RowPolicy };
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #queue: Task[] = [];
  readonly #running = new Map<Worker, Task>();
  #nextId = 0;
  #failed: Error | undefined;

  constructor(count: number, args: ApplyArgs, policy: RowPolicy) {
    this.#count = count;
    this.#data = { args, policy };
  }

  run(chunk: DocumentChunk, fromFolder: boolean): Promise<ChunkOutcome> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (this.#all.length === 0) this.#start();
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, chunk, fromFolder, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  #start(): void {
    const { script, eval: isEval } = workerScript();
    for (let i = 0; i < this.#count; i++) {
      const w = new Worker(script, {
        eval: isEval,
        workerData: { [FLAG]: true, ...this.#data },
        // A piece's values die young: a small young generation per worker keeps the process's memory
        // down (each isolate's default grows to tens of MB) for a few more, cheap, scavenges.
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      w.on('message', (reply: Reply) => this.#reply(w, reply));
      w.on('error', (err) => this.#fail(err instanceof Error ? err : new Error(String(err))));
      w.on('exit', (code) => {
        if (this.#running.has(w) || this.#queue.length > 0)
          this.#fail(new Error(`an apply worker stopped (exit code ${code})`));
      });
      this.#all.push(w);
      this.#idle.push(w);
    }
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const task = this.#queue.shift()!;
      this.#running.set(w, task);
      w.postMessage({ id: task.id, chunk: task.chunk, fromFolder: task.fromFolder });
    }
  }

  #reply(w: Worker, reply: Reply): void {
    const task = this.#running.get(w);
    this.#running.delete(w);
    this.#idle.push(w);
    if (task !== undefined) {
      if ('error' in reply) task.reject(new Error(reply.error));
      else task.resolve(reply.outcome);
    }
    this.#dispatch();
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const t of [...this.#running.values(), ...this.#queue.splice(0)]) t.reject(err);
    this.#running.clear();
  }
}

/** The worker's side: compile the set once, then read the pieces it is sent, one at a time. */
async function serveChunks(data: { args: ApplyArgs; policy: RowPolicy }): Promise<void> {
  const port = parentPort!;
  let env: ApplyEnv | undefined;
  let failure: string | undefined;
  try {
    // Standard input is never read here: the command keeps runs that read it in its own thread.
    const loaded = await loadApplyInputs(data.args, { stdin: () => '' });
    env = applyEnv(loaded, data.args);
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  let queue = Promise.resolve();
  port.on('message', (msg: { id: number; chunk: DocumentChunk; fromFolder: boolean }) => {
    queue = queue.then(async () => {
      try {
        if (env === undefined) throw new Error(failure ?? 'the policies could not be loaded');
        const outcome = await readChunk(env, msg.chunk, msg.fromFolder, data.policy);
        port.postMessage({ id: msg.id, outcome } satisfies Reply);
      } catch (err) {
        port.postMessage({
          id: msg.id,
          error: err instanceof Error ? err.message : String(err),
        } satisfies Reply);
      }
    });
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[FLAG] === true)
  void serveChunks(workerData as { args: ApplyArgs; policy: RowPolicy });
