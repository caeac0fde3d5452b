import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import { createGenerateCluster } from './cluster.js';
import { manageData } from './data.js';
import { GenerateError } from './errors.js';

const target = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'cm' };
const existing: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'a' },
};
const port = (objects: KubeObject[]) => ({
  get: (_v: string, k: string, ns: string | undefined, n: string) =>
    objects.find((o) => o.kind === k && o.metadata?.name === n && o.metadata?.namespace === ns),
  list: () => objects,
});

describe('manageData', () => {
  const table: { name: string; data: unknown; sync: boolean; cluster: KubeObject[]; action: string }[] = [
    {
      name: 'creates a missing target',
      data: { data: { k: 'v' } },
      sync: false,
      cluster: [],
      action: 'create',
    },
    {
      name: 'leaves an existing target',
      data: { data: {} },
      sync: false,
      cluster: [existing],
      action: 'skip',
    },
    {
      name: 'updates an existing target with synchronize',
      data: {},
      sync: true,
      cluster: [existing],
      action: 'update',
    },
    { name: 'skips absent data', data: undefined, sync: true, cluster: [], action: 'skip' },
  ];
  for (const t of table) {
    it(t.name, () => {
      const cluster = createGenerateCluster(port(t.cluster), {});
      assert.equal(manageData(target, t.data, t.sync, cluster).action, t.action);
    });
  }

  it('copies the data so callers cannot alias the policy', () => {
    const data = { data: { k: 'v' } };
    const out = manageData(target, data, false, createGenerateCluster(undefined, {}));
    assert.ok(out.action === 'create');
    assert.notEqual(out.object, data);
    assert.deepEqual(out.object, data);
  });

  it('rejects data that is not an object', () => {
    assert.throws(() => manageData(target, [1], false, createGenerateCluster(undefined, {})), GenerateError);
  });

  it('sees the trigger itself as an existing object', () => {
    const cluster = createGenerateCluster(undefined, existing);
    assert.equal(manageData(target, {}, false, cluster).action, 'skip');
  });
});
