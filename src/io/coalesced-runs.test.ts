import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CoalescedRuns } from './coalesced-runs.js';

/** A task whose runs each wait until released, recording when they start and end. */
function gatedTask() {
  const log: string[] = [];
  const gates: (() => void)[] = [];
  let n = 0;
  const task = async (): Promise<void> => {
    const run = ++n;
    log.push(`start ${run}`);
    await new Promise<void>((open) => gates.push(open));
    log.push(`end ${run}`);
  };
  const releaseNext = async (): Promise<void> => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  };
  return { log, task, releaseNext };
}

describe('CoalescedRuns', () => {
  const cases: { name: string; whileRunning: number; runs: number }[] = [
    { name: 'one request: one run', whileRunning: 0, runs: 1 },
    { name: 'a request during a run queues one more', whileRunning: 1, runs: 2 },
    { name: 'requests while one is queued join it', whileRunning: 3, runs: 2 },
  ];
  for (const c of cases)
    test(c.name, async () => {
      const { log, task, releaseNext } = gatedTask();
      const runs = new CoalescedRuns(task);
      const first = runs.request();
      await new Promise((r) => setImmediate(r));
      const later = Array.from({ length: c.whileRunning }, () => runs.request());
      assert.equal(runs.queued, c.whileRunning > 0);
      for (let i = 0; i < c.runs; i++) await releaseNext();
      await Promise.all([first, ...later]);
      assert.equal(runs.queued, false);
      const expected = Array.from({ length: c.runs }, (_, i) => [`start ${i + 1}`, `end ${i + 1}`]).flat();
      assert.deepEqual(log, expected, 'runs never overlap');
    });

  test('a request resolves only once the run serving it has ended', async () => {
    const { log, task, releaseNext } = gatedTask();
    const runs = new CoalescedRuns(task);
    void runs.request();
    await new Promise((r) => setImmediate(r));
    const second = runs.request().then(() => log.push('second served'));
    await releaseNext();
    await releaseNext();
    await second;
    assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2', 'second served']);
  });
});
