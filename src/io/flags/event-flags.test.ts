import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEventFlags } from './event-flags.js';

test('event flags: Kyverno’s defaults', () => {
  const f = parseEventFlags({});
  assert.deepEqual([...f.omit], ['PolicyApplied', 'PolicySkipped']);
  assert.equal(f.maxQueued, 1000);
  assert.equal(f.qps, 1000);
  assert.equal(f.burst, 2000);
});

test('event flags: an empty --omit-events emits every reason; a list names some', () => {
  assert.equal(parseEventFlags({ 'omit-events': '' }).omit.size, 0);
  assert.deepEqual(
    [...parseEventFlags({ 'omit-events': 'PolicyViolation, PolicyError' }).omit],
    ['PolicyViolation', 'PolicyError'],
  );
});

test('event flags: an unknown reason or a bad count is a usage error naming the flag', () => {
  assert.throws(
    () => parseEventFlags({ 'omit-events': 'PolicyApplied,Nope' }),
    /--omit-events: unknown reason "Nope"/,
  );
  assert.throws(() => parseEventFlags({ 'max-queued-events': '-1' }), /--max-queued-events expects a count/);
  assert.throws(() => parseEventFlags({ 'events-rate-limit-qps': 'fast' }), /--events-rate-limit-qps/);
  assert.equal(parseEventFlags({ 'max-queued-events': '0' }).maxQueued, 0);
});
