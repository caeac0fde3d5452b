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
import { type ApplyResultRow, isViolation, located, resourceLabel } from '../output/apply-report.js';
import type { GeneratedResource, MutatedResource } from '../output/mutated-output.js';
import type { BlockRow } from '../output/violation-blocks.js';
import type { ApplyArgs } from './apply-args.js';
import { type ApplyEnv, applyEnv, emptySummary, evaluateResource, placedRow } from './apply-evaluate.js';
import { loadApplyInputs } from './apply-inputs.js';
import {
  APPLY_WORKER_FLAG,
  adoptPrestarted,
  hasLargeFile as hasLargeFileOf,
  LARGE_FILE_BYTES,
  WORKER_YOUNG_MB,
} from './apply-prestart.js';
import { type PackedViolations, packViolations, unpackViolations } from './packed-violations.js';

const FLAG = APPLY_WORKER_FLAG;

/**
 * How files are cut: pieces of 250 documents (big enough that messages cost little, small enough to
 * share the work evenly); files of fewer than 500 are read in the command's thread (starting workers
 * would cost more than they save). Mutable for the tests only, which cut small files.
 */
export const chunking = {
  documents: 250,
  minDocuments: 500,
  /** A resource file this large is cut in all likelihood (500 documents of 8 KB): workers start early. */
  largeFileBytes: LARGE_FILE_BYTES,
};

/** What the command keeps of rows: all of them, or (Kyverno's text) the violations and the counts. */
export interface RowPolicy {
  readonly keepRows: boolean;
  /** Report formats place every row, passes included. */
  readonly allPositions: boolean;
}

/** What a piece gave: its documents' reading, and the rows of its resources in order. */
export interface ChunkOutcome {
  readonly read: ChunkResources;
  /** All rows (`keepRows`); else none, and the violations and counts. */
  readonly rows: readonly ApplyResultRow[];
  readonly violations?: readonly BlockRow[];
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

/**
 * A violation as Kyverno's text prints it: what its block reads, the resource as its label. A row
 * holds the whole resource (and its report more): copying those to the command cost about as much
 * as parsing the documents again.
 */
function violationRow(row: ApplyResultRow): BlockRow {
  const { location } = placedRow(row);
  return {
    policy: row.policy,
    rule: row.rule,
    status: row.status,
    message: row.message,
    auditWarning: row.auditWarning,
    label: resourceLabel(row.resource),
    ...(location !== undefined ? { location } : {}),
  };
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
  const violations: BlockRow[] = [];
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
      return { read, rows, ...(counts !== undefined ? { counts, violations } : {}), mutated, generated };
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
        if (isViolation(row)) violations.push(violationRow(row));
      } else rows.push(portableRow(row, policy));
    }
    mutated.push(...done.mutated);
    generated.push(...done.generated);
    notices.push(...done.notices);
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

/** Whether a resource path is, or a folder holds directly, a file large enough to be cut (`chunking`). */
export function hasLargeFile(paths: readonly string[]): boolean {
  return hasLargeFileOf(paths, chunking.largeFileBytes);
}

/** Pieces merged in this thread, where they were read, and workers the entry had started (for the tests). */
export const workerStats = { pieces: 0, here: 0, inWorkers: 0, adopted: 0 };

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

/** A worker's answer; a piece's violations cross packed (`packed-violations.ts`) when they can. */
type Reply =
  | { readonly id: number; readonly outcome: ChunkOutcome; readonly packed?: PackedViolations }
  | { readonly id: number; readonly error: string };

interface Task {
  readonly id: number;
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

/** Pieces a worker holds at once: the one it reads and the next, so it never waits for the command. */
const PIECES_PER_WORKER = 2;

/** Where a piece went: its outcome, and whether it was read here (the caller awaits it before the next). */
export interface Placed {
  readonly outcome: Promise<ChunkOutcome>;
  readonly here: boolean;
}

/**
 * `threads` threads reading pieces: the command's own and `threads - 1` workers (started on the first
 * piece). A piece goes to a worker holding fewer than two, else it is read here: the command's thread
 * works instead of waiting, and a worker (an isolate that loads the modules, compiles the set, warms
 * its JIT and keeps a heap of its own) fewer is started.
 */
export class ApplyWorkers {
  readonly #count: number;
  readonly #data: { args: ApplyArgs; policy: RowPolicy };
  #env: ApplyEnv | undefined;
  readonly #all: Worker[] = [];
  readonly #held = new Map<Worker, Task[]>();
  #nextId = 0;
  #failed: Error | undefined;

  constructor(threads: number, args: ApplyArgs, policy: RowPolicy) {
    this.#count = threads - 1;
    this.#data = { args, policy };
  }

  /** The command's own compiled set, for the pieces read here. */
  set env(env: ApplyEnv) {
    this.#env = env;
  }

  /**
   * Starts the workers now rather than on the first piece: while the command loads its inputs and
   * scans the first file, they load the modules and compile the set (about a third of a second).
   */
  start(): void {
    if (this.#all.length === 0 && this.#count > 0) this.#start();
  }

  /** How many pieces may be under way or wait to be merged: a few per thread. */
  get window(): number {
    return (this.#count * PIECES_PER_WORKER + 1) * 2;
  }

  run(chunk: DocumentChunk, fromFolder: boolean): Placed {
    if (this.#failed !== undefined) return { outcome: Promise.reject(this.#failed), here: false };
    this.start();
    let target: Worker | undefined;
    for (const w of this.#all) {
      const held = this.#held.get(w)!;
      if (
        held.length < PIECES_PER_WORKER &&
        (target === undefined || held.length < this.#held.get(target)!.length)
      )
        target = w;
    }
    if (target === undefined) {
      workerStats.here++;
      return { outcome: this.#readHere(chunk, fromFolder), here: true };
    }
    workerStats.inWorkers++;
    const w = target;
    const outcome = new Promise<ChunkOutcome>((resolve, reject) => {
      const id = this.#nextId++;
      this.#held.get(w)!.push({ id, resolve, reject });
      w.postMessage({ id, chunk, fromFolder });
    });
    return { outcome, here: false };
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  async #readHere(chunk: DocumentChunk, fromFolder: boolean): Promise<ChunkOutcome> {
    const outcome = await readChunk(this.#env!, chunk, fromFolder, this.#data.policy);
    // The workers' answers are events: let them in, so a worker that finished is given its next piece.
    await new Promise((resolve) => setImmediate(resolve));
    return outcome;
  }

  #start(): void {
    const { script, eval: isEval } = workerScript();
    for (let i = 0; i < this.#count; i++) {
      // The entry may have started the first one already (apply-prestart.ts): it waits for its data.
      const adopted = i === 0 ? adoptPrestarted() : undefined;
      if (adopted !== undefined) {
        workerStats.adopted++;
        adopted.postMessage({ init: this.#data });
      }
      const w =
        adopted ??
        new Worker(script, {
          eval: isEval,
          workerData: { [FLAG]: true, ...this.#data },
          // A piece's values die young: a small young generation per worker keeps the process's memory
          // down (each isolate's default grows to tens of MB) for a few more, cheap, scavenges.
          resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
        });
      w.on('message', (reply: Reply) => this.#reply(w, reply));
      w.on('error', (err) => this.#fail(err instanceof Error ? err : new Error(String(err))));
      w.on('exit', (code) => {
        if ((this.#held.get(w)?.length ?? 0) > 0)
          this.#fail(new Error(`an apply worker stopped (exit code ${code})`));
      });
      this.#all.push(w);
      this.#held.set(w, []);
    }
  }

  #reply(w: Worker, reply: Reply): void {
    // A worker reads its pieces in the order it was given them.
    const held = this.#held.get(w)!;
    const task = held[0]?.id === reply.id ? held.shift() : undefined;
    if (task === undefined) return;
    if ('error' in reply) task.reject(new Error(reply.error));
    else if (reply.packed === undefined) task.resolve(reply.outcome);
    else task.resolve({ ...reply.outcome, violations: unpackViolations(reply.packed) });
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const held of this.#held.values()) for (const t of held.splice(0)) t.reject(err);
  }
}

interface WorkerSetup {
  readonly args: ApplyArgs;
  readonly policy: RowPolicy;
}

/**
 * The worker's side: compile the set once, then read the pieces it is sent, one at a time. A worker
 * the entry started early gets its setup as its first message (`init`), the others in `workerData`.
 */
function serveChunks(given: WorkerSetup | undefined): void {
  const port = parentPort!;
  let init: (d: WorkerSetup) => void = () => {};
  const setup = given !== undefined ? Promise.resolve(given) : new Promise<WorkerSetup>((r) => (init = r));
  let env: ApplyEnv | undefined;
  let failure: string | undefined;
  let queue = setup.then(async (data) => {
    try {
      // Standard input is never read here: the command keeps runs that read it in its own thread.
      const loaded = await loadApplyInputs(data.args, { stdin: () => '' });
      env = applyEnv(loaded, data.args);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
  });
  type Message = { init: WorkerSetup } | { id: number; chunk: DocumentChunk; fromFolder: boolean };
  port.on('message', (msg: Message) => {
    if ('init' in msg) {
      init(msg.init);
      return;
    }
    queue = queue.then(async () => {
      try {
        if (env === undefined) throw new Error(failure ?? 'the policies could not be loaded');
        const policy = (await setup).policy;
        const outcome = await readChunk(env, msg.chunk, msg.fromFolder, policy);
        const packed = outcome.violations !== undefined ? packViolations(outcome.violations) : undefined;
        if (packed === undefined) port.postMessage({ id: msg.id, outcome } satisfies Reply);
        else {
          const { violations: _sent, ...rest } = outcome;
          port.postMessage({ id: msg.id, outcome: rest, packed } satisfies Reply, [
            packed.words.buffer as ArrayBuffer,
          ]);
        }
      } catch (err) {
        port.postMessage({
          id: msg.id,
          error: err instanceof Error ? err.message : String(err),
        } satisfies Reply);
      }
    });
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[FLAG] === true) {
  const data = workerData as Partial<WorkerSetup>;
  serveChunks(
    data.args !== undefined && data.policy !== undefined
      ? { args: data.args, policy: data.policy }
      : undefined,
  );
}
