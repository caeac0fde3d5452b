import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTtyProgress } from './progress.js';

function recorder() {
  const writes: string[] = [];
  let clock = 0;
  const progress = createTtyProgress(
    (t) => writes.push(t),
    () => clock,
  );
  return { writes, progress, tick: (ms: number) => (clock += ms) };
}

test('redraws at most every 100 ms and clears the line at the end', () => {
  const r = recorder();
  r.tick(1000);
  r.progress(1, 200, 'resources');
  r.progress(2, 200, 'resources');
  r.tick(150);
  r.progress(3, 200, 'resources');
  r.progress(200, 200, 'resources');
  assert.deepEqual(r.writes, ['\r[1/200] resources', '\r[3/200] resources', '\r\x1b[K']);
});

test('stays quiet for short runs', () => {
  const r = recorder();
  r.tick(1000);
  r.progress(1, 10, 'resources');
  r.progress(10, 10, 'resources');
  assert.deepEqual(r.writes, []);
});

test('counts a stream of unknown length from 50 items on, and clears the line when its total is given', () => {
  const r = recorder();
  r.tick(1000);
  r.progress(10, undefined, 'resources');
  r.progress(60, undefined, 'resources');
  r.progress(80, 80, 'resources');
  assert.deepEqual(r.writes, ['\r[60] resources', '\r\x1b[K']);
});
