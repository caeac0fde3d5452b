import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FakeCluster } from '../../../test/support/fake-cluster.js';
import { eventually } from '../../../test/support/testbed.js';
import type { KubeObject } from './list-watch-client.js';
import { type Reflector, startReflector } from './reflector.js';

const V1 = '/apis/kyverno.io/v1/clusterpolicies';
const V2 = '/apis/kyverno.io/v2beta1/clusterpolicies';
const obj = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name },
  ...extra,
});

function reflect(fake: FakeCluster, logs: string[] = []) {
  let changes = 0;
  const r = startReflector({
    resource: 'clusterpolicies.kyverno.io',
    kind: 'ClusterPolicy',
    versions: [
      { apiVersion: 'kyverno.io/v1', path: V1 },
      { apiVersion: 'kyverno.io/v2beta1', path: V2 },
    ],
    client: fake,
    onChange: () => {
      changes++;
    },
    log: (level, message) => logs.push(`${level}: ${message}`),
    backoff: { initialMs: 5, maxMs: 20 },
  });
  return { r, changes: () => changes };
}

const names = (r: Reflector): string[] =>
  r
    .items()
    .map((o) => String(o.metadata?.name))
    .sort();

describe('reflector', () => {
  const stops: Reflector[] = [];
  after(() => {
    for (const r of stops) r.stop();
  });

  test('lists, then follows adds, changes and deletes; items get apiVersion and kind', async () => {
    const fake = new FakeCluster();
    fake.serve(V1, [obj('a')]);
    const { r } = reflect(fake);
    stops.push(r);
    await eventually('synced', 2000, async () =>
      r.state === 'synced' && fake.openWatches === 1 ? true : undefined,
    );
    assert.deepEqual(names(r), ['a']);
    assert.equal(r.items()[0]?.apiVersion, 'kyverno.io/v1');
    assert.equal(r.items()[0]?.kind, 'ClusterPolicy');
    fake.put(V1, obj('b'));
    fake.put(V1, obj('a', { spec: { x: 1 } }));
    fake.remove(V1, 'b');
    assert.deepEqual(names(r), ['a']);
    assert.deepEqual(r.items()[0]?.spec, { x: 1 });
  });

  test('410 Gone lists again; a broken watch lists again after a backoff', async () => {
    const fake = new FakeCluster();
    fake.serve(V1, [obj('a')]);
    const { r } = reflect(fake);
    stops.push(r);
    await eventually('watching', 2000, async () => (fake.openWatches === 1 ? true : undefined));
    fake.expire(V1);
    await eventually('listed again', 2000, async () =>
      fake.lists.get(V1) === 2 && fake.openWatches === 1 ? true : undefined,
    );
    fake.failNextList.add(V1);
    fake.break(V1);
    await eventually('listed after the failure', 2000, async () =>
      fake.lists.get(V1) === 4 && fake.openWatches === 1 ? true : undefined,
    );
    assert.equal(r.state, 'synced');
  });

  test('an unserved collection is missing (said once), falls back to an older version, and is picked up when served', async () => {
    const fake = new FakeCluster();
    const logs: string[] = [];
    const { r } = reflect(fake, logs);
    stops.push(r);
    await eventually('missing', 2000, async () => (r.state === 'missing' ? true : undefined));
    await eventually('asked again', 2000, async () => ((fake.lists.get(V1) ?? 0) >= 3 ? true : undefined));
    assert.equal(logs.filter((l) => l.includes('not served')).length, 1);
    fake.serve(V2, [obj('old')]);
    await eventually('synced on v2beta1', 2000, async () => (r.state === 'synced' ? true : undefined));
    assert.deepEqual(names(r), ['old']);
    assert.equal(r.items()[0]?.apiVersion, 'kyverno.io/v2beta1');
    assert.ok(logs.some((l) => l.includes('now served')));
  });

  test('a collection that goes away empties the copy', async () => {
    const fake = new FakeCluster();
    fake.serve(V1, [obj('a')]);
    const { r } = reflect(fake);
    stops.push(r);
    await eventually('watching', 2000, async () => (fake.openWatches === 1 ? true : undefined));
    fake.unserve(V1);
    await eventually('missing', 2000, async () => (r.state === 'missing' ? true : undefined));
    assert.deepEqual(r.items(), []);
  });

  test('stop ends the watch', async () => {
    const fake = new FakeCluster();
    fake.serve(V1);
    const { r } = reflect(fake);
    await eventually('watching', 2000, async () => (fake.openWatches === 1 ? true : undefined));
    r.stop();
    assert.equal(fake.openWatches, 0);
  });
});
