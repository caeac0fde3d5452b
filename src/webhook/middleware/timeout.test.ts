// The evaluation deadline: answered by `onExpired` when the handler waits past it, and through the
// clock when the handler computes synchronously past it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvaluationSignal } from '../../engine/index.js';
import { withDeadline } from './timeout.js';

describe('withDeadline', () => {
  test('a waiting handler is answered at the deadline, and its signal aborted', async () => {
    let signal: EvaluationSignal | undefined;
    const run = withDeadline(
      async (_: object, d) => {
        // Its port calls listen to the signal: an AbortSignal.
        assert.equal(d.waits, true);
        assert.ok(d.signal instanceof AbortSignal);
        signal = d.signal;
        await new Promise((r) => setTimeout(r, 1000));
        return 'late';
      },
      { ms: 20 },
      () => 'expired',
    );
    const started = performance.now();
    assert.equal(await run({}), 'expired');
    assert.ok(performance.now() - started < 500);
    assert.equal(signal?.aborted, true);
  });
  test('reading the clock past the deadline aborts the signal at once (synchronous work)', async () => {
    let t = 0;
    const run = withDeadline(
      async (_: object, d) => {
        assert.equal(d.signal.aborted, false);
        t = 100;
        d.clock.now();
        return d.signal.aborted ? 'aborted' : 'running';
      },
      { ms: 50, now: () => t },
      () => 'expired',
    );
    assert.equal(await run({}), 'expired', 'a result computed past the deadline is not used');
  });
  test('the deadline counts from arrival: a request queued past it is not evaluated', async () => {
    let t = 1000;
    let ran = false;
    const run = withDeadline(
      async (_: { receivedAt?: number }) => {
        ran = true;
        return 'evaluated';
      },
      { ms: 100, now: () => t },
      () => 'expired',
    );
    assert.equal(await run({ receivedAt: 850 }), 'expired');
    assert.equal(ran, false);
    t = 1000;
    assert.equal(await run({ receivedAt: 950 }), 'evaluated');
  });
  test('a handler within the deadline answers itself', async () => {
    const run = withDeadline<{ v: number; receivedAt?: number }, number>(
      async (n) => n.v * 2,
      { ms: 1000 },
      () => -1,
    );
    assert.equal(await run({ v: 21 }), 42);
  });
  test('a handler that cannot wait: no timer, the clock aborts its signal with the deadline reason', async () => {
    let t = 0;
    let signal: EvaluationSignal | undefined;
    const run = withDeadline(
      async (_: object, d) => {
        assert.equal(d.waits, false);
        signal = d.signal;
        assert.equal(d.signal.aborted, false);
        d.signal.throwIfAborted();
        t = 100;
        d.clock.nowMs?.();
        return 'computed';
      },
      { ms: 50, now: () => t, waits: false },
      () => 'expired',
    );
    assert.equal(await run({}), 'expired');
    assert.equal(signal?.aborted, true);
    assert.ok(signal?.reason instanceof DOMException);
    assert.equal((signal?.reason as DOMException | undefined)?.name, 'TimeoutError');
    assert.throws(() => signal?.throwIfAborted(), /evaluation deadline of 50 ms exceeded/);
    t = 0;
    const within = withDeadline(
      async () => 'computed',
      { ms: 50, now: () => t, waits: false },
      () => 'expired',
    );
    assert.equal(await within({}), 'computed');
  });
  test("the clock read as the engine reads it (methods bound, in milliseconds) keeps the request's times", async () => {
    for (const waits of [false, true]) {
      let t = 10;
      const seen: [number, boolean][] = [];
      const run = withDeadline(
        async (_: object, d) => {
          // As engine/ports.ts clockMillis and the request context take them: detached, then bound.
          const nowMs = d.clock.nowMs;
          assert.ok(nowMs !== undefined);
          const millis = nowMs.bind(d.clock);
          const now = d.clock.now.bind(d.clock);
          const wall = Date.now();
          const first = millis();
          seen.push([first - wall, d.signal.aborted]);
          t = 40;
          seen.push([millis() - first, d.signal.aborted]);
          assert.ok(now() instanceof Date);
          assert.equal(d.expired(), false);
          t = 61;
          seen.push([millis() - first, d.signal.aborted]);
          return 'computed';
        },
        { ms: 50, now: () => t, waits },
        () => 'expired',
      );
      assert.equal(await run({ receivedAt: 10 }), 'expired');
      assert.ok(Math.abs(seen[0]?.[0] ?? 99) < 50, `wall-clock time from the first read (${seen[0]?.[0]})`);
      assert.deepEqual(seen.slice(1), [
        [30, false],
        [51, true],
      ]);
    }
  });

  test('a handler that cannot wait leaves no timer behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const run = withDeadline(
      async () => {
        assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before);
        return 1;
      },
      { ms: 60_000, waits: false },
      () => 0,
    );
    assert.equal(await run({}), 1);
  });
});
