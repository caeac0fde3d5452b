// Batched log writes: order kept, a full batch written at once, the rest after the delay or on flush.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBatchedWriter } from './batched-writer.js';

function harness(maxBytes: number) {
  const written: string[] = [];
  const timers: (() => void)[] = [];
  const writer = createBatchedWriter((t) => written.push(t), {
    maxBytes,
    schedule: (flush) => timers.push(flush),
  });
  return { written, timers, writer };
}

describe('batched writer', () => {
  test('queues lines and writes them in one batch when the timer fires', () => {
    const { written, timers, writer } = harness(1000);
    writer.write('a\n');
    writer.write('b\n');
    assert.deepEqual(written, []);
    assert.equal(timers.length, 1, 'one timer per batch');
    timers[0]?.();
    assert.deepEqual(written, ['a\nb\n']);
  });

  test('writes at once when the batch reaches its size, keeping the order', () => {
    const { written, timers, writer } = harness(4);
    writer.write('ab\n');
    writer.write('cd\n');
    assert.deepEqual(written, ['ab\ncd\n']);
    writer.write('e\n');
    for (const t of timers) t();
    assert.deepEqual(written, ['ab\ncd\n', 'e\n']);
  });

  test('flush writes what is queued; a timer firing afterwards writes nothing more', () => {
    const { written, timers, writer } = harness(1000);
    writer.write('x\n');
    writer.flush();
    assert.deepEqual(written, ['x\n']);
    timers[0]?.();
    writer.flush();
    assert.deepEqual(written, ['x\n']);
    writer.write('y\n');
    assert.equal(timers.length, 2, 'a new batch schedules again');
    timers[1]?.();
    assert.deepEqual(written, ['x\n', 'y\n']);
  });

  test('by default a queued line is written after the delay without holding the process', async () => {
    const written: string[] = [];
    const writer = createBatchedWriter((t) => written.push(t), { delayMs: 5 });
    writer.write('late\n');
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(written, ['late\n']);
  });
});
