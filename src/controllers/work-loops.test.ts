import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkQueue } from './generate/work-queue.js';
import { drainQueue, leadWork, PendingWrites, repeatEvery } from './work-loops.js';

const logger = () => {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
};

test('drainQueue: a processed item and one given up both have their record forgotten; a retry keeps it', async () => {
  const queue = new WorkQueue<{ record?: string; fail: number }>({
    capacity: 10,
    baseDelayMs: 1,
    maxDelayMs: 1,
    maxAttempts: 2,
  });
  const tries = new Map<string, number>();
  const forgotten: string[] = [];
  const log = logger();
  queue.add('ok', { record: 'r-ok', fail: 0 });
  queue.add('flaky', { record: 'r-flaky', fail: 1 });
  queue.add('bad', { record: 'r-bad', fail: 99 });
  const stop = new AbortController();
  const run = drainQueue(
    {
      queue,
      process: async (item) => {
        const key = item.record ?? '';
        const n = (tries.get(key) ?? 0) + 1;
        tries.set(key, n);
        if (n <= item.fail) throw new Error(`try ${n}`);
      },
      forget: async (record) => {
        forgotten.push(record);
      },
      logger: log,
      what: 'thing',
    },
    stop.signal,
  );
  const deadline = Date.now() + 5_000;
  while (forgotten.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  stop.abort();
  await run;
  assert.deepEqual(forgotten.sort(), ['r-bad', 'r-flaky', 'r-ok']);
  assert.deepEqual([tries.get('r-ok'), tries.get('r-flaky'), tries.get('r-bad')], [1, 2, 2]);
  assert.deepEqual(log.lines, ['error thing failed; given up']);
});

test('repeatEvery: a failing step is logged and run again; the loop ends with the signal', async () => {
  const log = logger();
  const stop = new AbortController();
  let runs = 0;
  await repeatEvery(
    'poll',
    1,
    async () => {
      runs++;
      if (runs === 3) stop.abort();
      throw new Error('down');
    },
    stop.signal,
    log,
  );
  assert.equal(runs, 3);
  assert.deepEqual(log.lines, ['warn poll failed', 'warn poll failed', 'warn poll failed']);
});

test('PendingWrites: flush waits for every tracked write, and forgets finished ones', async () => {
  const writes = new PendingWrites();
  const done: string[] = [];
  let release!: () => void;
  writes.track(
    new Promise<void>((r) => {
      release = r;
    }).then(() => {
      done.push('slow');
    }),
  );
  writes.track(
    Promise.resolve().then(() => {
      done.push('quick');
    }),
  );
  const flushed = writes.flush().then(() => done.push('flushed'));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(done, ['quick']);
  release();
  await flushed;
  assert.deepEqual(done, ['quick', 'slow', 'flushed']);
  await writes.flush(); // nothing left: resolves at once
});

test('leadWork: stored records queued, processed and deleted while leading; started and stopped logged', async () => {
  const queue = new WorkQueue<{ record?: string; target: string }>({
    capacity: 10,
    baseDelayMs: 1,
    maxDelayMs: 1,
    maxAttempts: 2,
  });
  const log = logger();
  const processed: string[] = [];
  const forgotten: string[] = [];
  let resyncs = 0;
  const stop = new AbortController();
  const run = leadWork(
    {
      what: 'demo',
      queue,
      logger: log,
      pollMs: 5,
      resyncMs: 5,
      records: {
        list: async () => [{ name: 'r1', request: { target: 'cm-a' } }],
        remove: async (record) => {
          forgotten.push(record);
        },
      },
      enqueueRecord: (request, record) => queue.add(record, { record, target: request.target }),
      resync: async () => {
        resyncs++;
      },
      process: async (item) => {
        processed.push(`${item.record}:${item.target}`);
        stop.abort();
      },
    },
    stop.signal,
  );
  await run;
  assert.deepEqual(processed, ['r1:cm-a']);
  assert.deepEqual(forgotten, ['r1']);
  assert.ok(resyncs >= 1);
  assert.equal(log.lines[0], 'info demo controller started');
  assert.equal(log.lines.at(-1), 'info demo controller stopped');
});
