/**
 * @module The two loops every queue-driven controller runs while it leads (generate, mutate-existing):
 * a step repeated on a period (reading admission records, resyncing), and a worker draining the queue
 * — each item processed, retried with the queue's backoff, and its admission record deleted once
 * done or given up (`leadWork` runs them all). A failure is logged, never thrown: the loops end only
 * with the signal. Also the admission side's write of a record, retried a few times before it is
 * given up, and the writes still under way (`PendingWrites`).
 */
import { abortableSleep as sleep } from '../io/abortable-sleep.js';
import type { BackgroundLogger } from '../io/background.js';
import type { RecordStore } from '../io/cluster/record-store.js';
import type { WorkQueue } from './generate/work-queue.js';

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Runs `step` every `everyMs` until `signal` aborts; `what` names it in the warning of a failed run. */
export async function repeatEvery(
  what: string,
  everyMs: number,
  step: () => Promise<void>,
  signal: AbortSignal,
  logger: BackgroundLogger,
): Promise<void> {
  while (!signal.aborted) {
    try {
      await step();
    } catch (err) {
      logger.warn(`${what} failed`, { error: text(err) });
    }
    await sleep(everyMs, signal);
  }
}

export interface QueueWorker<T extends { readonly record?: string }> {
  readonly queue: WorkQueue<T>;
  readonly process: (item: T, signal: AbortSignal) => Promise<void>;
  /** Deletes an admission record (best effort). */
  readonly forget: (record: string) => Promise<void>;
  readonly logger: BackgroundLogger;
  /** e.g. `generate`: the log says "generate failed; retrying". */
  readonly what: string;
}

/** Processes the queue until `signal` aborts. */
export async function drainQueue<T extends { readonly record?: string }>(
  worker: QueueWorker<T>,
  signal: AbortSignal,
): Promise<void> {
  const { queue, logger, what } = worker;
  const forget = (record: string | undefined) =>
    record === undefined ? Promise.resolve() : worker.forget(record).catch(() => undefined);
  while (!signal.aborted) {
    const entry = queue.take();
    if (entry === undefined) {
      await Promise.race([queue.wait(Math.min(queue.dueInMs() ?? 500, 500)), sleep(500, signal)]);
      continue;
    }
    try {
      await worker.process(entry.item, signal);
      queue.done(entry);
      await forget(entry.item.record);
    } catch (err) {
      if (signal.aborted) {
        queue.done(entry);
        continue;
      }
      if (!queue.retry(entry)) {
        logger.error(`${what} failed; given up`, {
          key: entry.key,
          attempts: entry.attempt,
          error: text(err),
        });
        await forget(entry.item.record);
      } else if (entry.attempt >= 3) {
        logger.warn(`${what} failed; retrying`, { key: entry.key, attempt: entry.attempt, error: text(err) });
      }
    }
  }
}

/**
 * Writes an admission record, tried 5 times with a doubling pause from 400 ms; a record still not
 * written is logged and given up (the next resync or policy change brings the work back).
 */
export async function recordWithRetries(
  put: () => Promise<void>,
  fields: { readonly what: string; readonly key: string },
  logger: BackgroundLogger,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await put();
      return;
    } catch (err) {
      if (attempt >= 5) {
        logger.error(`${fields.what} request not recorded`, { key: fields.key, error: text(err) });
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

/** The admission side's record writes still under way (each never rejects: see recordWithRetries). */
export class PendingWrites {
  private readonly writes = new Set<Promise<void>>();

  track(write: Promise<void>): void {
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }
}

export interface LeaderWork<T extends { readonly record?: string }, R>
  extends Omit<QueueWorker<T>, 'forget'> {
  readonly pollMs: number;
  readonly resyncMs: number;
  /** The admission records: each is queued (`enqueueRecord`) every `pollMs`, and deleted once done. */
  readonly records: Pick<RecordStore<R>, 'list' | 'remove'>;
  readonly enqueueRecord: (request: R, record: string) => void;
  /** Finds work the records do not bring (existing triggers, changed policies). */
  readonly resync: (signal: AbortSignal) => Promise<void>;
}

/**
 * What a record-driven controller runs while it leads, until `signal` aborts: its records read every
 * `pollMs`, a resync every `resyncMs`, and the queue drained. Logged as `<what> controller started`
 * and `… stopped`.
 */
export async function leadWork<T extends { readonly record?: string }, R>(
  work: LeaderWork<T, R>,
  signal: AbortSignal,
): Promise<void> {
  const { what, logger, records } = work;
  const readRecords = async (): Promise<void> => {
    for (const { name, request } of await records.list()) work.enqueueRecord(request, name);
  };
  const loop = (step: string, everyMs: number, run: () => Promise<void>) =>
    repeatEvery(`${what} controller: ${step}`, everyMs, run, signal, logger);
  logger.info(`${what} controller started`);
  await Promise.all([
    loop(`reading ${what} requests`, work.pollMs, readRecords),
    loop('resync', work.resyncMs, () => work.resync(signal)),
    drainQueue({ ...work, forget: (record) => records.remove(record) }, signal),
  ]);
  logger.info(`${what} controller stopped`);
}
