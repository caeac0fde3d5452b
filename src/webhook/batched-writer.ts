/**
 * @module Log lines written in batches: one write per batch instead of one per decision. A write to
 * stderr is a system call, and on a pipe (a container's log) it blocks the event loop while the reader
 * is behind; under load that was one call per review. Lines are kept in order and written when the
 * batch reaches `maxBytes`, after `delayMs`, or when `flush` is called (at exit: nothing is lost
 * when the process stops normally, on SIGTERM or through `process.exit`).
 */

export interface BatchedWriter {
  /** Queues `text` (written in order with everything queued before it). */
  write(text: string): void;
  /** Writes what is queued now. */
  flush(): void;
}

export interface BatchOptions {
  /** A batch this large (UTF-16 code units) is written at once. */
  readonly maxBytes?: number;
  /** Longest a queued line waits. */
  readonly delayMs?: number;
  /** Schedules the delayed flush (default: an unreferenced timer, which never holds the exit). */
  readonly schedule?: (flush: () => void, delayMs: number) => void;
}

const unrefTimer = (flush: () => void, delayMs: number): void => {
  setTimeout(flush, delayMs).unref();
};

export function createBatchedWriter(sink: (text: string) => void, options: BatchOptions = {}): BatchedWriter {
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const delayMs = options.delayMs ?? 50;
  const schedule = options.schedule ?? unrefTimer;
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    sink(text);
  };
  const onTimer = (): void => {
    scheduled = false;
    flush();
  };
  return {
    write(text) {
      pending += text;
      if (pending.length >= maxBytes) flush();
      else if (!scheduled) {
        scheduled = true;
        schedule(onTimer, delayMs);
      }
    },
    flush,
  };
}
