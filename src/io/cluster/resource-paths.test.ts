import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupVersionPath, ResourcePaths } from './resource-paths.js';

const signal = new AbortController().signal;

const CORE = {
  resources: [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'pods/status', kind: 'Pod', namespaced: true },
  ],
};

function discovery(docs: Record<string, unknown>) {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(path);
    const doc = docs[path];
    return doc === undefined ? { status: 404, text: '{}' } : { status: 200, text: JSON.stringify(doc) };
  };
  return { get, asked };
}

describe('ResourcePaths', () => {
  test('apiVersions name their discovery documents', () => {
    assert.equal(groupVersionPath('v1'), '/api/v1');
    assert.equal(groupVersionPath('apps/v1'), '/apis/apps/v1');
    assert.equal(groupVersionPath(''), undefined);
    assert.equal(groupVersionPath('*'), undefined);
    assert.equal(groupVersionPath('a/b/c'), undefined);
  });

  test('a kind resolves to its top-level resource and scope; one document read per group version', async () => {
    const d = discovery({ '/api/v1': CORE });
    const paths = new ResourcePaths(d.get);
    assert.deepEqual(await paths.resolve('v1', 'ConfigMap', signal), {
      ok: true,
      value: { base: '/api/v1', resource: 'configmaps', namespaced: true },
    });
    assert.deepEqual(await paths.resolve('v1', 'Pod', signal), {
      ok: true,
      value: { base: '/api/v1', resource: 'pods', namespaced: true },
    });
    assert.deepEqual(d.asked, ['/api/v1']);
  });

  test('a kind guessed from an irregular plural still finds its resource', async () => {
    const d = discovery({
      '/apis/example.io/v1': { resources: [{ name: 'octopi', kind: 'Octopus', namespaced: false }] },
    });
    // kindOfResource('octopi') is 'Octopi': the guess the engine makes for resource.get(…, 'octopi', …).
    const r = await new ResourcePaths(d.get).resolve('example.io/v1', 'Octopi', signal);
    assert.deepEqual(r, {
      ok: true,
      value: { base: '/apis/example.io/v1', resource: 'octopi', namespaced: false },
    });
  });

  test('an unknown kind is not-found, asked again only after a while; an unserved group too', async () => {
    let now = 0;
    const d = discovery({ '/api/v1': CORE });
    const paths = new ResourcePaths(d.get, () => now);
    const missing = await paths.resolve('v1', 'Widget', signal);
    assert.deepEqual(missing, {
      ok: false,
      code: 'not-found',
      message: 'the API server serves no resource of kind Widget in v1',
    });
    await paths.resolve('v1', 'Widget', signal);
    assert.equal(d.asked.length, 1, 'not asked again at once');
    now = 60_000;
    await paths.resolve('v1', 'Widget', signal);
    assert.equal(d.asked.length, 2, 'asked again later (a CRD may have been installed)');
    const gone = await paths.resolve('nope.io/v1', 'X', signal);
    assert.equal(gone.ok ? '' : gone.code, 'not-found');
  });

  test('a discovery error keeps its status code', async () => {
    const paths = new ResourcePaths(async () => ({ status: 403, text: '{"message":"forbidden"}' }));
    const r = await paths.resolve('v1', 'ConfigMap', signal);
    assert.deepEqual(r, { ok: false, code: 'forbidden', message: 'discovery of v1: HTTP 403: forbidden' });
  });
});
