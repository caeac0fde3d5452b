import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../engine/index.js';
import type { ClusterObjects } from '../../io/cluster/cluster-objects.js';
import { createSourceTracker } from './clone-sources.js';

/** A cluster of fixed objects that counts its reads; `failing` makes every read throw. */
function cluster(objects: KubeObject[], failing = false) {
  const reads: string[] = [];
  const client = {
    async get(_apiVersion: string, kind: string, ns: string | undefined, name: string) {
      reads.push(`get ${kind}/${ns ?? ''}/${name}`);
      if (failing) throw new Error('unavailable');
      return objects.find(
        (o) => o.kind === kind && (o.metadata?.namespace ?? '') === (ns ?? '') && o.metadata?.name === name,
      );
    },
    async list(_apiVersion: string, kind: string, ns?: string) {
      reads.push(`list ${kind}/${ns ?? '*'}`);
      if (failing) throw new Error('unavailable');
      return objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata?.namespace === ns));
    },
  } as unknown as ClusterObjects;
  return { client, reads };
}

const secret = (name: string, ns: string, uid: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns, uid },
});

describe('clone sources', () => {
  test('a source named by its labels is read by name, once a round, and must keep its uid', async () => {
    const { client, reads } = cluster([secret('s', 'src', 'u-1')]);
    const round = createSourceTracker(client).round();
    const named = { apiVersion: 'v1', kind: 'Secret', namespace: 'src', name: 's' };
    assert.equal(await round.gone(named), false);
    assert.equal(await round.gone({ ...named, uid: 'u-1' }), false);
    assert.equal(await round.gone({ ...named, uid: 'u-0' }), true, 'replaced by another object');
    assert.equal(await round.gone({ ...named, name: 'missing' }), true);
    assert.deepEqual(reads, ['get Secret/src/s', 'get Secret/src/missing']);
  });

  test('a source known by uid alone is found by listing its kind once, then read by name', async () => {
    const objects = [secret('s', 'src', 'u-1')];
    const { client, reads } = cluster(objects);
    const tracker = createSourceTracker(client);
    const byUid = { apiVersion: 'v1', kind: 'Secret', uid: 'u-1' };
    assert.equal(await tracker.round().gone(byUid, 'src'), false);
    assert.equal(await tracker.round().gone(byUid), false);
    assert.deepEqual(reads, ['list Secret/src', 'get Secret/src/s']);
    objects.pop();
    assert.equal(await tracker.round().gone(byUid), true);
    assert.equal(await tracker.round().gone({ ...byUid, uid: 'u-2' }), true, 'listed, not there');
  });

  test('a read that fails is no answer: nothing is gone', async () => {
    const { client } = cluster([], true);
    const round = createSourceTracker(client).round();
    assert.equal(await round.gone({ apiVersion: 'v1', kind: 'Secret', namespace: 'a', name: 's' }), false);
    assert.equal(await round.gone({ apiVersion: 'v1', kind: 'Secret', uid: 'u' }), false);
  });
});
