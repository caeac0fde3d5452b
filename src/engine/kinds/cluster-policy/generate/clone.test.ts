import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import { cloneSourceObject } from './clone.js';
import { splitKind } from './clone-list.js';

const source: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'game-demo',
    namespace: 'default',
    uid: 'u',
    selfLink: '/api/v1/x',
    resourceVersion: '7',
    creationTimestamp: '2024-01-01T00:00:00Z',
    managedFields: [],
    ownerReferences: [{ kind: 'X', name: 'y' }],
    annotations: { a: 'b' },
  },
  data: { initial_lives: '2' },
};

describe('cloneSourceObject', () => {
  it('drops identity fields and owner references across namespaces', () => {
    const copy = cloneSourceObject(source, 'team-a');
    const meta = copy.metadata ?? {};
    for (const f of [
      'uid',
      'selfLink',
      'resourceVersion',
      'creationTimestamp',
      'managedFields',
      'ownerReferences',
    ]) {
      assert.equal(f in meta, false, f);
    }
    assert.deepEqual(meta.annotations, { a: 'b' });
    assert.deepEqual(copy.data, { initial_lives: '2' });
    assert.equal(source.metadata?.uid, 'u', 'the source is left untouched');
  });

  it('keeps owner references within the same namespace', () => {
    assert.deepEqual(cloneSourceObject(source, 'default').metadata?.ownerReferences, [
      { kind: 'X', name: 'y' },
    ]);
  });
});

describe('splitKind (cloneList.kinds entries)', () => {
  const table: [string, { apiVersion: string; kind: string }][] = [
    ['Secret', { apiVersion: '', kind: 'Secret' }],
    ['v1/Secret', { apiVersion: 'v1', kind: 'Secret' }],
    ['apps/v1/Deployment', { apiVersion: 'apps/v1', kind: 'Deployment' }],
  ];
  for (const [entry, want] of table) it(entry, () => assert.deepEqual(splitKind(entry), want));
});
