import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  configMapRequestStore,
  type GenerateRequest,
  generateRequestKey,
  generateRequestName,
} from './generate-requests.js';
import { KubeApiError, type KubeRest } from './kube-rest.js';

const request: GenerateRequest = {
  policy: { kind: 'ClusterPolicy', name: 'p' },
  rule: 'r',
  trigger: { apiVersion: 'v1', kind: 'Namespace', name: 'team' },
  operation: 'CREATE',
};

function memoryRest() {
  const stored = new Map<string, unknown>();
  const rest: KubeRest = {
    get: async () =>
      ({ items: [...stored.values(), { metadata: { name: 'junk' }, data: { request: '{' } }] }) as never,
    post: async (_path, body) => {
      const name = (body as { metadata: { name: string } }).metadata.name;
      if (stored.has(name)) throw new KubeApiError(409, 'exists', 'AlreadyExists');
      stored.set(name, body);
      return body as never;
    },
    put: async () => ({}) as never,
    apply: async () => ({}) as never,
    delete: async (path) => {
      const name = path.split('/').pop() ?? '';
      if (!stored.delete(name)) throw new KubeApiError(404, 'gone', 'NotFound');
    },
  };
  return { rest, stored };
}

describe('generate requests in ConfigMaps', () => {
  test('one record per (policy, rule, trigger): a second put is the same record; unreadable ones are skipped', async () => {
    const { rest, stored } = memoryRest();
    const store = configMapRequestStore(rest, 'palisade');
    await store.put(request);
    await store.put({ ...request, operation: 'UPDATE' });
    assert.equal(stored.size, 1);
    await store.put({ ...request, rule: 'other' });
    const listed = await store.list();
    assert.deepEqual(
      listed.map((r) => r.request.rule),
      ['r', 'other'],
    );
    assert.equal(listed[0]?.name, generateRequestName(request));
    assert.match(generateRequestName(request), /^palisade-gr-[0-9a-f]{20}$/);
    await store.remove(generateRequestName(request));
    await store.remove(generateRequestName(request)); // already gone: fine
    assert.equal(stored.size, 1);
  });

  test('the key names every part', () => {
    assert.equal(generateRequestKey(request), 'ClusterPolicy//p/r/v1/Namespace//team');
  });
});
