import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GlobalContextMock } from './files/test-suite.js';
import {
  createApiCaller,
  createCelHttpMockCaller,
  createClusterReader,
  createGlobalContextReader,
  createImageDataReader,
  createOfflinePorts,
} from './offline-ports.js';

const cm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'ns1' },
  data: { a: 'b' },
};
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns2' } };

describe('offline cluster reader', () => {
  const reader = createClusterReader([cm, pod]);
  test('get by apiVersion, kind, namespace and name', () => {
    assert.equal(reader.get('v1', 'ConfigMap', 'ns1', 'cfg'), cm);
    assert.equal(reader.get('v1', 'ConfigMap', 'other', 'cfg'), undefined);
  });
  test('list filters by namespace when given', () => {
    assert.deepEqual(reader.list('v1', 'Pod'), [pod]);
    assert.deepEqual(reader.list('v1', 'Pod', 'ns1'), []);
  });
});

describe('apiCallResponses mock', () => {
  const caller = createApiCaller([
    { urlPath: '/api/v1/namespaces', method: 'GET', response: { body: { items: [] } } },
    { url: 'https://svc.example/check', method: 'POST', response: { statusCode: 500, body: { error: 'x' } } },
  ]);
  test('answers a matching urlPath with its body (default status 200)', () => {
    assert.deepEqual(caller.call({ urlPath: '/api/v1/namespaces', method: 'GET' }), {
      ok: true,
      body: { items: [] },
    });
  });
  test('a non-2xx status is a failed call', () => {
    assert.equal(caller.call({ url: 'https://svc.example/check', method: 'POST' })?.ok, false);
  });
  test('no mock for the method or url → undefined', () => {
    assert.equal(caller.call({ urlPath: '/api/v1/namespaces', method: 'POST' }), undefined);
  });
});

describe('globalContextEntries mock', () => {
  test('returns data, or the listed resources', () => {
    const r = createGlobalContextReader([
      { name: 'a', data: { x: 1 } },
      { name: 'b', resources: [pod] },
    ]);
    assert.deepEqual(r.get('a'), { ok: true, data: { x: 1 } });
    assert.deepEqual(r.get('b'), { ok: true, data: [pod] });
    assert.equal(r.get('c').ok, false);
  });

  // Kyverno CLI (store/gctx_resolve.go): fieldPath, then projections as a map of name → result;
  // `entry.projection` reads one key of that map.
  const data = { deployments: [{ name: 'd1' }, { name: 'd2' }], meta: { team: 'core' } };
  const cases: { name: string; entry: GlobalContextMock; key: string; want: unknown }[] = [
    {
      name: 'projections make the value a map',
      entry: { name: 'g', data, projections: [{ name: 'items', path: 'deployments' }] },
      key: 'g',
      want: { ok: true, data: { items: data.deployments } },
    },
    {
      name: 'entry.projection reads one projection',
      entry: { name: 'g', data, projections: [{ name: 'count', path: 'length(deployments)' }] },
      key: 'g.count',
      want: { ok: true, data: 2 },
    },
    {
      name: 'fieldPath applies before projections',
      entry: { name: 'g', data, fieldPath: 'deployments', projections: [{ name: 'names', path: '[].name' }] },
      key: 'g.names',
      want: { ok: true, data: ['d1', 'd2'] },
    },
    {
      name: 'fieldPath alone',
      entry: { name: 'g', data, fieldPath: 'meta.team' },
      key: 'g',
      want: { ok: true, data: 'core' },
    },
    {
      name: 'a dotted entry name is matched whole',
      entry: { name: 'a.b.io', data },
      key: 'a.b.io',
      want: { ok: true, data },
    },
    {
      name: 'an unknown projection is an error',
      entry: { name: 'g', data, projections: [{ name: 'items', path: 'deployments' }] },
      key: 'g.other',
      want: { ok: false, error: 'global context mock: projection "other" not found' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(createGlobalContextReader([c.entry]).get(c.key), c.want));
  }
});

describe('Context file images', () => {
  const images = [
    { image: 'clover/volume:passbolt', config: { Volumes: [{ name: 'volume1' }] } },
    { image: 'busybox:1.35', registry: 'index.docker.io', tag: '1.35', digest: '', manifest: null },
    { image: 'busybox:1.35', repository: 'library/busybox', config: { created: '2099-01-01T00:00:00Z' } },
  ];
  const r = createImageDataReader(images);
  test("answers with Kyverno's shape: string fields always, others when given", () => {
    assert.deepEqual(r.get('clover/volume:passbolt'), {
      ok: true,
      data: {
        image: 'clover/volume:passbolt',
        resolvedImage: '',
        registry: '',
        repository: '',
        config: { Volumes: [{ name: 'volume1' }] },
      },
    });
  });
  test('a later entry for the same image wins', () => {
    const got = r.get('busybox:1.35');
    assert.ok(got.ok);
    assert.deepEqual(got.data, {
      image: 'busybox:1.35',
      resolvedImage: '',
      registry: '',
      repository: 'library/busybox',
      config: { created: '2099-01-01T00:00:00Z' },
    });
  });
  test('the reference must match exactly (no normalisation)', () => {
    assert.deepEqual(r.get('docker.io/busybox:1.35'), {
      ok: false,
      error: 'image data for docker.io/busybox:1.35 not found in the context',
    });
  });
  test('createOfflinePorts has an image data port only when images are given', () => {
    assert.equal(createOfflinePorts({}).imageData, undefined);
    assert.equal(createOfflinePorts({ images: [] }).imageData?.get('nginx').ok, false);
  });
});

test('createOfflinePorts always has a real clock', () => {
  const before = Date.now();
  const now = createOfflinePorts({}).clock?.now().getTime() ?? 0;
  assert.ok(now >= before);
});

describe('clone sources', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', namespace: 'default' } };
  test('are readable even when cluster reads are not allowed', () => {
    const ports = createOfflinePorts({
      clusterObjects: [cm],
      allowClusterReads: false,
      cloneSources: [secret],
    });
    assert.deepEqual(ports.cluster?.get('v1', 'Secret', 'default', 'regcred'), secret);
    assert.equal(ports.cluster?.get('v1', 'ConfigMap', 'ns1', 'cfg'), undefined);
  });
  test('join the cluster objects when reads are allowed', () => {
    const ports = createOfflinePorts({
      clusterObjects: [cm],
      allowClusterReads: true,
      cloneSources: [secret],
    });
    assert.ok(ports.cluster?.get('v1', 'ConfigMap', 'ns1', 'cfg'));
    assert.ok(ports.cluster?.get('v1', 'Secret', 'default', 'regcred'));
  });
  test('no cluster at all without clone sources or allowed reads', () => {
    assert.equal(createOfflinePorts({ clusterObjects: [cm], cloneSources: [] }).cluster, undefined);
  });
});

describe('createCelHttpMockCaller (Kyverno CLI HTTP mock index)', () => {
  const caller = createCelHttpMockCaller([
    { url: 'https://a/x', method: 'post', response: { body: { allowed: false }, statusCode: 403 } },
    { urlPath: ' /api/v1/y ', response: { body: 'any method' } },
    { url: 'https://a/x', method: 'GET', response: { body: { allowed: true }, statusCode: 200 } },
  ]);
  const cases: { name: string; method: 'GET' | 'POST'; url: string; want: unknown }[] = [
    {
      name: 'METHOD:url key, status kept',
      method: 'POST',
      url: 'https://a/x',
      want: { body: { allowed: false }, statusCode: 403 },
    },
    {
      name: 'the other method of the same url',
      method: 'GET',
      url: 'https://a/x',
      want: { body: { allowed: true }, statusCode: 200 },
    },
    {
      name: 'no method: any method, urlPath trimmed, status 200 by default',
      method: 'POST',
      url: '/api/v1/y',
      want: { body: 'any method', statusCode: 200 },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(caller.call({ method: c.method, url: c.url }), { ok: true, body: c.want });
    });
  }
  test('an unmocked url has no answer', () => {
    assert.equal(caller.call({ method: 'GET', url: 'https://b' }), undefined);
  });
});
