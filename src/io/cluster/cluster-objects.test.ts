import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asyncClusterReader, clusterObjects } from './cluster-objects.js';
import { KubeApiError, type KubeRest } from './kube-rest.js';

/** A KubeRest answering discovery and a few object paths; records every call. */
function fakeRest(objects: Record<string, unknown>) {
  const calls: string[] = [];
  const answer = async <T>(path: string): Promise<T> => {
    if (path === '/api/v1')
      return {
        resources: [
          { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
          { name: 'namespaces', kind: 'Namespace', namespaced: false },
          { name: 'pods/status', kind: 'Pod', namespaced: true },
        ],
      } as T;
    if (path === '/apis')
      return {
        groups: [
          { name: 'networking.k8s.io', versions: [{ groupVersion: 'networking.k8s.io/v1', version: 'v1' }] },
        ],
      } as T;
    if (path === '/apis/networking.k8s.io/v1')
      return { resources: [{ name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true }] } as T;
    if (path in objects) return objects[path] as T;
    throw new KubeApiError(404, `GET ${path}: 404`, 'NotFound');
  };
  const rest: KubeRest = {
    get: (path) => {
      calls.push(`GET ${path}`);
      return answer(path);
    },
    post: async (path, body) => {
      calls.push(`POST ${path}`);
      return body as never;
    },
    put: async (path) => {
      calls.push(`PUT ${path}`);
      return {} as never;
    },
    apply: async (path, body, manager) => {
      calls.push(`APPLY ${path} ${manager}`);
      return body as never;
    },
    delete: async (path) => {
      calls.push(`DELETE ${path}`);
      if (!(path in objects)) throw new KubeApiError(404, 'gone', 'NotFound');
    },
  };
  return { rest, calls };
}

describe('clusterObjects', () => {
  test('paths come from discovery: core and group kinds, namespaced or not; a missing object is undefined', async () => {
    const { rest, calls } = fakeRest({
      '/api/v1/namespaces/team/configmaps/a': { metadata: { name: 'a' } },
      '/apis/networking.k8s.io/v1/networkpolicies?labelSelector=a%3Db': {
        items: [{ metadata: { name: 'n' } }],
      },
    });
    const objects = clusterObjects(rest);
    assert.deepEqual(await objects.get('v1', 'ConfigMap', 'team', 'a'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a' },
    });
    assert.equal(
      await objects.get('', 'ConfigMap', 'team', 'missing'),
      undefined,
      'no apiVersion: the core group',
    );
    const listed = await objects.list('networking.k8s.io/v1', 'NetworkPolicy', undefined, 'a=b');
    assert.deepEqual(listed, [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' } },
    ]);
    await objects.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, 'mgr');
    await objects.delete('v1', 'ConfigMap', 'team', 'gone-already');
    assert.ok(calls.includes('APPLY /api/v1/namespaces/x mgr'));
    assert.ok(calls.includes('DELETE /api/v1/namespaces/team/configmaps/gone-already'));
    assert.equal(calls.filter((c) => c === 'GET /apis').length, 1, 'discovery is read once');
  });

  test('an unknown kind is an error naming it', async () => {
    const { rest } = fakeRest({});
    await assert.rejects(
      clusterObjects(rest).get('example.com/v1', 'Widget', 'a', 'b'),
      /does not serve example\.com\/v1\/Widget/,
    );
  });

  test('the engine port answers values, never rejections, and hides what it is told to', async () => {
    const { rest } = fakeRest({
      '/api/v1/namespaces/team/configmaps/mine': { metadata: { name: 'mine', labels: { own: 'yes' } } },
      '/api/v1/namespaces/team/configmaps/theirs': { metadata: { name: 'theirs' } },
    });
    const signal = new AbortController().signal;
    const port = asyncClusterReader(clusterObjects(rest), (o) => o.metadata?.labels?.own === 'yes');
    assert.deepEqual(await port.get('v1', 'ConfigMap', 'team', 'mine', { signal }), {
      ok: true,
      value: undefined,
    });
    const theirs = await port.get('v1', 'ConfigMap', 'team', 'theirs', { signal });
    assert.equal(theirs.ok && theirs.value?.metadata?.name, 'theirs');
    const unknown = await port.list('example.com/v1', 'Widget', 'team', { signal });
    assert.equal(unknown.ok, false);
  });
});
