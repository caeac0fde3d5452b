import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkQueue } from './work-queue.js';

function queue(capacity = 3) {
  let now = 0;
  const q = new WorkQueue<string>({
    capacity,
    baseDelayMs: 100,
    maxDelayMs: 250,
    maxAttempts: 3,
    now: () => now,
  });
  return { q, advance: (ms: number) => (now += ms) };
}

describe('WorkQueue', () => {
  test('keeps one entry per key with the newest item, in order of first arrival', () => {
    const { q } = queue();
    q.add('a', 'a1');
    q.add('b', 'b1');
    q.add('a', 'a2');
    assert.equal(q.size, 2);
    assert.deepEqual(q.take(), { key: 'a', item: 'a2', attempt: 1 });
    assert.deepEqual(q.take(), { key: 'b', item: 'b1', attempt: 1 });
    assert.equal(q.take(), undefined);
  });

  test('refuses new keys when full, but still takes the newest item of a queued key', () => {
    const { q } = queue(2);
    assert.ok(q.add('a', '1'));
    assert.ok(q.add('b', '1'));
    assert.equal(q.add('c', '1'), false);
    assert.ok(q.add('a', '2'));
    assert.equal(q.size, 2);
  });

  test('a key added while processed runs once more after it is done', () => {
    const { q } = queue();
    q.add('a', '1');
    const e = q.take();
    assert.ok(e);
    assert.equal(q.take(), undefined, 'a key is never processed twice at once');
    q.add('a', '2');
    q.done(e);
    assert.deepEqual(q.take(), { key: 'a', item: '2', attempt: 1 });
  });

  test('retries after a doubling delay, capped, and drops after the last attempt', () => {
    const { q, advance } = queue();
    q.add('a', 'x');
    let e = q.take();
    assert.ok(e && q.retry(e));
    assert.equal(q.take(), undefined, 'not due yet');
    assert.equal(q.dueInMs(), 100);
    advance(100);
    e = q.take();
    assert.equal(e?.attempt, 2);
    assert.ok(e && q.retry(e));
    assert.equal(q.dueInMs(), 200);
    advance(200);
    e = q.take();
    assert.equal(e?.attempt, 3);
    assert.equal(e && q.retry(e), false, 'the third failure is the last');
    assert.equal(q.size, 0);
  });

  test('wait resolves early when an entry is added', async () => {
    const { q } = queue();
    const started = performance.now();
    const waited = q.wait(5000);
    q.add('a', '1');
    await waited;
    assert.ok(performance.now() - started < 1000);
  });
});
