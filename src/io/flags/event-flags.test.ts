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

test('event flags: counts are whole numbers, the rate a decimal; signs, exponents and hex are refused', () => {
  const cases: [string, string, number | RegExp][] = [
    ['events-rate-limit-qps', '0.5', 0.5],
    ['events-rate-limit-qps', '0', 0],
    ['events-rate-limit-qps', '1e3', /--events-rate-limit-qps expects a number of 0 or more, got "1e3"/],
    ['events-rate-limit-qps', '-1', /expects a number/],
    ['events-rate-limit-burst', '0x10', /--events-rate-limit-burst expects a count/],
    ['events-rate-limit-burst', '2.5', /expects a count/],
    ['events-rate-limit-burst', ' 7 ', 7],
    ['max-queued-events', '', /expects a count/],
  ];
  for (const [flag, value, want] of cases) {
    const key =
      flag === 'events-rate-limit-qps' ? 'qps' : flag === 'max-queued-events' ? 'maxQueued' : 'burst';
    if (typeof want === 'number')
      assert.equal(parseEventFlags({ [flag]: value })[key], want, `${flag}=${value}`);
    else assert.throws(() => parseEventFlags({ [flag]: value }), want, `${flag}=${value}`);
  }
});
