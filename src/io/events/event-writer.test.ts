// The event writer: filters, aggregates, bounds its queue without ever waiting, rate-limits and
// retries its sends, and updates a sent event's series instead of making a new one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventInfo } from './event-info.js';
import {
  createEventWriter,
  type DropReason,
  type EventObject,
  type EventTransport,
  type EventWriterOptions,
  microTime,
  sanitizeEventName,
} from './event-writer.js';

const info = (over: Partial<EventInfo> = {}): EventInfo => ({
  regarding: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'require-labels' },
  related: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'team-a' },
  reason: 'PolicyViolation',
  source: 'kyverno-admission',
  action: 'Resource Blocked',
  message: 'Pod team-a/web: [check] fail (blocked); label app is required',
  ...over,
});

interface Recorded {
  created: EventObject[];
  series: { namespace: string; name: string; count: number }[];
}

function recorder(behaviour: Partial<EventTransport> = {}): EventTransport & Recorded {
  const created: EventObject[] = [];
  const series: Recorded['series'] = [];
  return {
    created,
    series,
    create:
      behaviour.create ??
      (async (e) => {
        created.push(e);
      }),
    updateSeries:
      behaviour.updateSeries ??
      (async (namespace, name, s) => {
        series.push({ namespace, name, count: s.count });
        return true;
      }),
  };
}

const base = (transport: EventTransport, over: Partial<EventWriterOptions> = {}): EventWriterOptions => ({
  transport,
  maxQueued: 100,
  omit: new Set(),
  qps: 1000,
  burst: 1000,
  instance: 'palisade-0',
  retryDelayMs: 1,
  ...over,
});

describe('event writer', () => {
  test('an event is written as an events.k8s.io/v1 Event with Kyverno’s fields', async () => {
    const t = recorder();
    const w = createEventWriter(base(t, { now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678) }));
    w.add(info());
    await w.idle();
    assert.equal(t.created.length, 1);
    const e = t.created[0] as EventObject;
    // A cluster-scoped object's events live in `default`.
    assert.equal(e.metadata.namespace, 'default');
    assert.match(e.metadata.name, /^require-labels\.[0-9a-f]+$/);
    assert.equal(e.eventTime, '2026-01-02T03:04:05.678000Z');
    assert.equal(e.reportingController, 'kyverno-admission');
    assert.equal(e.reportingInstance, 'kyverno-admission-palisade-0');
    assert.equal(e.reason, 'PolicyViolation');
    assert.equal(e.type, 'Warning');
    assert.equal(e.action, 'Resource Blocked');
    assert.deepEqual(e.regarding, {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      name: 'require-labels',
    });
    assert.equal(e.related?.namespace, 'team-a');
    assert.equal(e.series, undefined);
  });

  test('PolicyApplied and PolicySkipped are Normal; a namespaced object’s event is in its namespace', async () => {
    const t = recorder();
    const w = createEventWriter(base(t));
    w.add(
      info({
        reason: 'PolicyApplied',
        regarding: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'team-a' },
      }),
      info({ reason: 'PolicySkipped' }),
    );
    await w.idle();
    assert.deepEqual(
      t.created.map((e) => [e.type, e.metadata.namespace]),
      [
        ['Normal', 'team-a'],
        ['Normal', 'default'],
      ],
    );
  });

  test('omitted reasons and objects without a name are never queued', async () => {
    const t = recorder();
    const w = createEventWriter(base(t, { omit: new Set(['PolicyApplied', 'PolicySkipped']) }));
    w.add(
      info({ reason: 'PolicyApplied' }),
      info({ reason: 'PolicySkipped' }),
      info({ regarding: { apiVersion: 'v1', kind: 'Pod', name: '' } }),
      info({ reason: 'PolicyError' }),
    );
    await w.idle();
    assert.deepEqual(
      t.created.map((e) => e.reason),
      ['PolicyError'],
    );
    assert.equal(w.stats().omitted, 2);
  });

  test('the same event added while queued is counted, not queued again; once sent, its series is updated', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const created: EventObject[] = [];
    const t = recorder({
      create: async (e) => {
        await gate;
        created.push(e);
      },
    });
    const w = createEventWriter(base(t, { workers: 1 }));
    w.add(info({ message: 'first' })); // taken by the worker at once, held by the gate
    w.add(info(), info(), info());
    assert.equal(w.stats().queued, 1);
    assert.equal(w.stats().aggregated, 2);
    release();
    await w.idle();
    assert.equal(created.length, 2);
    // Three of the same in one go: stored once, with its series.
    assert.equal(created[1]?.series?.count, 3);
    w.add(info());
    await w.idle();
    assert.equal(created.length, 2, 'not made again');
    assert.deepEqual(t.series, [{ namespace: 'default', name: created[1]?.metadata.name, count: 4 }]);
  });

  test('a series whose Event is gone makes a new Event', async () => {
    const t = recorder({ updateSeries: async () => false });
    const w = createEventWriter(base(t));
    w.add(info());
    await w.idle();
    w.add(info());
    await w.idle();
    assert.equal(t.created.length, 2);
  });

  test('past the series window the same event is made again', async () => {
    let now = 1_000_000;
    const t = recorder();
    const w = createEventWriter(base(t, { now: () => now, seriesWindowMs: 1000 }));
    w.add(info());
    await w.idle();
    now += 1001;
    w.add(info());
    await w.idle();
    assert.equal(t.created.length, 2);
    assert.equal(t.series.length, 0);
  });

  test('a full queue drops and counts, and add returns at once even when the API server never answers', async () => {
    const drops: DropReason[] = [];
    // A transport that never answers: every send hangs.
    const t = recorder({ create: () => new Promise<void>(() => undefined) });
    const w = createEventWriter(base(t, { maxQueued: 5, workers: 1, onDrop: (r) => drops.push(r) }));
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) w.add(info({ message: `violation ${i}` }));
    const took = performance.now() - started;
    // One taken by the hung worker, five queued, the rest dropped.
    assert.equal(w.stats().queued, 5);
    assert.equal(drops.length, 10_000 - 6);
    assert.ok(drops.every((d) => d === 'queue_full'));
    assert.ok(took < 1000, `10,000 adds took ${took} ms`);
  });

  test('--max-queued-events 0 emits nothing', async () => {
    const t = recorder();
    const drops: DropReason[] = [];
    const w = createEventWriter(base(t, { maxQueued: 0, onDrop: (r) => drops.push(r) }));
    w.add(info());
    await w.idle();
    assert.equal(t.created.length, 0);
    assert.deepEqual(drops, ['queue_full']);
  });

  test('a failing send is retried three times, then dropped and counted', async () => {
    let tries = 0;
    const drops: DropReason[] = [];
    const t = recorder({
      create: async () => {
        tries++;
        throw Object.assign(new Error('500 etcd is sad'), { status: 500 });
      },
    });
    const w = createEventWriter(base(t, { onDrop: (r) => drops.push(r) }));
    w.add(info());
    await w.idle();
    assert.equal(tries, 3);
    assert.deepEqual(drops, ['send_failed']);
  });

  test('a 404 (the namespace is gone) is given up without a retry or a drop', async () => {
    let tries = 0;
    const drops: DropReason[] = [];
    const t = recorder({
      create: async () => {
        tries++;
        throw Object.assign(new Error('namespace gone'), { status: 404 });
      },
    });
    const w = createEventWriter(base(t, { onDrop: (r) => drops.push(r) }));
    w.add(info());
    await w.idle();
    assert.equal(tries, 1);
    assert.deepEqual(drops, []);
  });

  test('sends are rate-limited: a burst at once, then qps a second', async () => {
    const at: number[] = [];
    const t = recorder({
      create: async () => {
        at.push(performance.now());
      },
    });
    const w = createEventWriter(base(t, { qps: 20, burst: 2 }));
    const started = performance.now();
    for (let i = 0; i < 4; i++) w.add(info({ message: `m${i}` }));
    await w.idle();
    assert.equal(at.length, 4);
    // Two at once, then one every 50 ms: the fourth no sooner than ~100 ms in.
    assert.ok((at[1] as number) - started < 40, 'the burst is not held back');
    assert.ok((at[3] as number) - started >= 90, `the fourth went at ${(at[3] as number) - started} ms`);
  });

  test('long messages are cut at 1024 characters, names made RFC 1123', async () => {
    const t = recorder();
    const w = createEventWriter(base(t));
    w.add(
      info({ message: 'x'.repeat(2000), regarding: { apiVersion: 'v1', kind: 'Pod', name: 'Web:App_1-' } }),
    );
    await w.idle();
    const e = t.created[0] as EventObject;
    assert.equal(e.note.length, 1024);
    assert.ok(e.note.endsWith('...'));
    assert.match(e.metadata.name, /^web-app-1-z\./);
    assert.equal(sanitizeEventName('-a:b'), 'a-a-b');
    assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
  });

  test('stop sends what is queued, then keeps nothing more', async () => {
    const t = recorder();
    const w = createEventWriter(base(t));
    w.add(info({ message: 'before' }));
    await w.stop(1000);
    w.add(info({ message: 'after' }));
    await w.idle();
    assert.deepEqual(
      t.created.map((e) => e.note),
      ['before'],
    );
  });
});

test('event writer: repeated denials of one object, each with a new uid, are one event counted', async () => {
  const created: EventObject[] = [];
  const w = createEventWriter({
    transport: {
      create: async (e) => {
        created.push(e);
      },
      updateSeries: async () => true,
    },
    maxQueued: 10,
    omit: new Set(),
    qps: 1000,
    burst: 1000,
    instance: 'p',
    workers: 1,
  });
  const denial = (uid: string): EventInfo => ({
    regarding: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' },
    related: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: 'a', uid },
    reason: 'PolicyViolation',
    source: 'kyverno-admission',
    action: 'Resource Blocked',
    message: 'ConfigMap a/cm: [r] fail (blocked); no',
  });
  w.add(denial('u1'));
  await w.idle();
  w.add(denial('u2'));
  await w.idle();
  assert.equal(created.length, 1);
  assert.equal(w.stats().updated, 1);
});
