import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortableSleep } from './abortable-sleep.js';

test('waits its time, or ends at once when the signal aborts, and leaves no listener', async () => {
  const controller = new AbortController();
  const t0 = performance.now();
  await abortableSleep(30, controller.signal);
  assert.ok(performance.now() - t0 >= 25);
  const waiting = abortableSleep(60_000, controller.signal);
  controller.abort();
  await waiting;
  const aborted = AbortSignal.abort();
  await abortableSleep(60_000, aborted);
  let listeners = 0;
  const signal = new AbortController().signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...a: Parameters<typeof add>) => {
    listeners++;
    add(...a);
  }) as typeof add;
  signal.removeEventListener = ((...a: Parameters<typeof remove>) => {
    listeners--;
    remove(...a);
  }) as typeof remove;
  await abortableSleep(1, signal);
  assert.equal(listeners, 0);
});
