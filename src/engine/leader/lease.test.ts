import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ElectionTiming,
  microTime,
  nextLeaseStep,
  observe,
  releasedRecord,
  timingProblem,
} from './lease.js';

const timing: ElectionTiming = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };
const WALL = Date.UTC(2026, 11, 6, 10, 0, 0, 123);

describe('nextLeaseStep', () => {
  test('no Lease: create it holding it', () => {
    const step = nextLeaseStep(undefined, 'a', 0, WALL, timing);
    assert.equal(step.action, 'create');
    assert.deepEqual(step.action === 'create' && step.record, {
      holderIdentity: 'a',
      leaseDurationSeconds: 3,
      acquireTime: '2026-12-06T10:00:00.123000Z',
      renewTime: '2026-12-06T10:00:00.123000Z',
      leaseTransitions: 0,
    });
  });

  test('held by me: renew, keeping the acquire time', () => {
    const record = { holderIdentity: 'a', leaseDurationSeconds: 3, acquireTime: 'x', leaseTransitions: 2 };
    const step = nextLeaseStep({ record, observedAtMs: 0 }, 'a', 100_000, WALL, timing);
    assert.equal(step.action, 'update');
    if (step.action !== 'update') return;
    assert.equal(step.acquiring, false);
    assert.equal(step.record.acquireTime, 'x');
    assert.equal(step.record.renewTime, microTime(WALL));
    assert.equal(step.record.leaseTransitions, 2);
  });

  test('held by another and not expired on my clock: wait, saying for how long', () => {
    const record = { holderIdentity: 'b', leaseDurationSeconds: 3, leaseTransitions: 0 };
    const step = nextLeaseStep({ record, observedAtMs: 1000 }, 'a', 2500, WALL, timing);
    assert.deepEqual(step, { action: 'wait', holder: 'b', expiresInMs: 1500 });
  });

  test('held by another but unchanged for its whole duration: take it over, one more transition', () => {
    const record = { holderIdentity: 'b', leaseDurationSeconds: 3, leaseTransitions: 4 };
    const step = nextLeaseStep({ record, observedAtMs: 1000 }, 'a', 4000, WALL, timing);
    assert.equal(step.action, 'update');
    if (step.action !== 'update') return;
    assert.equal(step.acquiring, true);
    assert.equal(step.record.holderIdentity, 'a');
    assert.equal(step.record.leaseTransitions, 5);
  });

  test('a released Lease is taken at once', () => {
    const record = releasedRecord(
      { holderIdentity: 'b', leaseDurationSeconds: 3, leaseTransitions: 1 },
      WALL,
    );
    const step = nextLeaseStep({ record, observedAtMs: 1000 }, 'a', 1001, WALL, timing);
    assert.equal(step.action, 'update');
    assert.equal(step.action === 'update' && step.record.leaseTransitions, 1);
  });
});

describe('observe', () => {
  test('the clock restarts only when the record changes (not from the writer’s renewTime)', () => {
    const record = { holderIdentity: 'b', leaseDurationSeconds: 3, renewTime: 't1', leaseTransitions: 0 };
    const first = observe(undefined, record, 10);
    assert.equal(observe(first, { ...record }, 50).observedAtMs, 10);
    assert.equal(observe(first, { ...record, renewTime: 't2' }, 50).observedAtMs, 50);
  });
});

describe('timingProblem', () => {
  test('renew deadline must lie between the retry period and the lease duration', () => {
    assert.equal(timingProblem(timing), undefined);
    assert.match(timingProblem({ ...timing, renewDeadlineMs: 3000 }) ?? '', /lease duration/);
    assert.match(timingProblem({ ...timing, retryPeriodMs: 2000 }) ?? '', /retry period/);
  });
});
