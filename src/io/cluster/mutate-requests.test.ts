import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeApiError, type KubeRest } from './kube-rest.js';
import {
  configMapMutateRequestStore,
  type MutateRequest,
  mutateRequestKey,
  mutateRequestName,
  parseMutateRequest,
} from './mutate-requests.js';

const request = (operation: string, extra: Partial<MutateRequest> = {}): MutateRequest => ({
  policy: { kind: 'ClusterPolicy', name: 'p' },
  trigger: { apiVersion: 'v1', kind: 'Pod', namespace: 'team', name: 'web' },
  operation,
  ...extra,
});

/** ConfigMaps by path; POST of an existing name is a 409, as the API server answers. */
function fakeRest() {
  const stored = new Map<string, unknown>();
  const calls: string[] = [];
  const rest: KubeRest = {
    async get(path) {
      calls.push(`GET ${path}`);
      return { items: [...stored.values()] } as never;
    },
    async post(path, body) {
      const name = (body as { metadata: { name: string } }).metadata.name;
      calls.push(`POST ${path}`);
      if (stored.has(name)) throw new KubeApiError(409, 'exists', 'AlreadyExists');
      stored.set(name, body);
      return body as never;
    },
    async put(path, body) {
      calls.push(`PUT ${path}`);
      stored.set((body as { metadata: { name: string } }).metadata.name, body);
      return body as never;
    },
    async apply() {
      throw new Error('not used');
    },
    async delete(path) {
      calls.push(`DELETE ${path}`);
      const name = path.split('/').pop() ?? '';
      if (!stored.delete(name)) throw new KubeApiError(404, 'gone', 'NotFound');
    },
  };
  return { rest, stored, calls };
}

describe('mutate-existing records', () => {
  test('one record per (policy, trigger): CREATE and UPDATE share it, a DELETE has its own', () => {
    assert.equal(mutateRequestKey(request('CREATE')), mutateRequestKey(request('UPDATE')));
    assert.notEqual(mutateRequestKey(request('CREATE')), mutateRequestKey(request('DELETE')));
    assert.match(mutateRequestName(request('CREATE')), /^palisade-mr-[0-9a-f]{20}$/);
  });

  test('what is not a record reads as none', () => {
    for (const text of [undefined, 42, '', '{', '{}', '{"policy":{"name":"p"},"trigger":{"kind":"Pod"}}'])
      assert.equal(parseMutateRequest(text), undefined, String(text));
    assert.deepEqual(parseMutateRequest(JSON.stringify(request('CREATE'))), request('CREATE'));
  });

  test('a newer admission replaces the pending record; removing a gone record is no error', async () => {
    const { rest, stored, calls } = fakeRest();
    const store = configMapMutateRequestStore(rest, 'palisade');
    await store.put(request('UPDATE', { object: { metadata: { name: 'web', labels: { v: '1' } } } }));
    await store.put(request('UPDATE', { object: { metadata: { name: 'web', labels: { v: '2' } } } }));
    assert.equal(stored.size, 1);
    const [listed] = await store.list();
    assert.equal(listed?.request.object?.metadata?.labels?.v, '2');
    assert.ok(calls.some((c) => c.startsWith('PUT /api/v1/namespaces/palisade/configmaps/palisade-mr-')));
    await store.remove(listed?.name ?? '');
    await store.remove(listed?.name ?? '');
    assert.equal(stored.size, 0);
  });
});
