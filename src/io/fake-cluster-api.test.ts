// apply's fake cluster answering apiCall urlPath entries, against what Kyverno's CLI answered on
// the same objects (measured with the reference binary, session 16).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../engine/index.js';
import {
  createFakeClusterApiCaller,
  guessResource,
  inferKind,
  specReadsFakeCluster,
} from './fake-cluster-api.js';
import { createOfflinePorts } from './offline-ports.js';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
});
const objects = [
  obj('v1', 'ConfigMap', 'cm1', 'ns1'),
  obj('v1', 'Pod', 'p1', 'ns1'),
  obj('v1', 'ConfigMap', 'cm2', 'ns2'),
  obj('v1', 'Pod', 'p2', 'default'),
  obj('v1', 'ConfigMap', 'cm0', 'ns1'),
  obj('apps/v1', 'Deployment', 'd1', 'ns1'),
  obj('v1', 'ConfigMap', 'a9', 'zz'),
  obj('v1', 'ConfigMap', 'b1', 'aa'),
  obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'view'),
];
const caller = createFakeClusterApiCaller(objects);
const names = (body: unknown) =>
  (body as { items: KubeObject[] }).items.map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);

describe('fake cluster urlPath lists', () => {
  const cases: [string, string[], string, string][] = [
    // path, items (namespace/name, sorted so), list kind, list resourceVersion
    ['/api/v1/configmaps', ['aa/b1', 'ns1/cm0', 'ns1/cm1', 'ns2/cm2', 'zz/a9'], 'ConfigMapList', '6'],
    ['/api/v1/namespaces/ns1/configmaps', ['ns1/cm0', 'ns1/cm1'], 'ConfigMapList', '6'],
    ['/api/v1/pods', ['default/p2', 'ns1/p1'], 'PodList', '3'],
    ['/apis/apps/v1/namespaces/ns1/deployments', ['ns1/d1'], 'DeploymentList', '2'],
    ['/apis/rbac.authorization.k8s.io/v1/clusterroles/', ['/view'], 'ClusterRoleList', '2'],
  ];
  for (const [path, items, kind, rv] of cases)
    test(path, () => {
      const r = caller.call({ urlPath: path, method: 'GET' });
      assert.ok(r?.ok, JSON.stringify(r));
      assert.deepEqual(names(r.body), items);
      const body = r.body as Record<string, unknown>;
      assert.equal(body.kind, kind);
      assert.deepEqual(body.metadata, { continue: '', resourceVersion: rv });
    });
});

describe('fake cluster urlPath gets and errors', () => {
  test('one object by namespace and name, as loaded', () => {
    const r = caller.call({ urlPath: '/api/v1/namespaces/ns1/configmaps/cm1', method: 'GET' });
    assert.deepEqual(r, { ok: true, body: objects[0] });
    const cluster = caller.call({
      urlPath: '/apis/rbac.authorization.k8s.io/v1/clusterroles/view',
      method: 'GET',
    });
    assert.deepEqual(cluster, { ok: true, body: objects[8] });
  });
  const errors: [string, string, string][] = [
    [
      '/api/v1/namespaces/ns1/configmaps/nope',
      'GET',
      'failed to GET resource with raw url: /api/v1/namespaces/ns1/configmaps/nope: failed to get resource v1/ConfigMap/nope: configmaps "nope" not found',
    ],
    [
      '/apis/apps/v1/namespaces/ns1/deployments/nope',
      'GET',
      'failed to GET resource with raw url: /apis/apps/v1/namespaces/ns1/deployments/nope: failed to get resource apps/v1/Deployment/nope: deployments.apps "nope" not found',
    ],
    [
      // a kind nothing loaded: Kyverno's guessed kind and an empty resource
      '/api/v1/namespaces/ns1/services/x',
      'GET',
      'failed to GET resource with raw url: /api/v1/namespaces/ns1/services/x: failed to get resource v1/Servic/x:  "x" not found',
    ],
    [
      // another namespace than the object's
      '/api/v1/namespaces/ns2/configmaps/cm1',
      'GET',
      'failed to GET resource with raw url: /api/v1/namespaces/ns2/configmaps/cm1: failed to get resource v1/ConfigMap/cm1: configmaps "cm1" not found',
    ],
    [
      '/api/v1/namespaces/ns1/configmaps',
      'POST',
      'failed to POST resource with raw url: /api/v1/namespaces/ns1/configmaps: method POST not supported for fake client',
    ],
  ];
  for (const [path, method, error] of errors)
    test(`${method} ${path}`, () => {
      assert.deepEqual(caller.call({ urlPath: path, method: method as 'GET' | 'POST' }), {
        ok: false,
        error,
      });
    });
  test('a list of a resource nothing loaded is an error (Kyverno panics)', () => {
    const r = caller.call({ urlPath: '/api/v1/services', method: 'GET' });
    assert.equal(r?.ok, false);
  });
  test('service calls get no answer', () => {
    assert.equal(caller.call({ url: 'https://svc.example/x', method: 'GET' }), undefined);
  });
});

describe('kind and resource names', () => {
  // kind, apimachinery's guessed resource, the fake discovery's kind back (its quirks kept)
  const rows: [string, string, string][] = [
    ['Pod', 'pods', 'Pod'],
    ['Ingress', 'ingresses', 'Ingress'],
    ['NetworkPolicy', 'networkpolicies', 'Networkpolicy'],
    ['ClusterRole', 'clusterroles', 'Clusterrol'],
  ];
  for (const [kind, resource, back] of rows)
    test(`${kind} → ${resource} → ${back}`, () => {
      assert.equal(guessResource(kind), resource);
      assert.equal(inferKind(resource), back);
    });
});

describe('which policies read the fake cluster', () => {
  const rule = (extra: Record<string, unknown>) => ({ rules: [{ name: 'r', ...extra }] });
  const cases: [string, unknown, boolean][] = [
    ['mutate targets', rule({ mutate: { targets: [{ kind: 'ConfigMap' }] } }), true],
    ['empty targets', rule({ mutate: { targets: [] } }), false],
    ['apiCall urlPath', rule({ context: [{ name: 'x', apiCall: { urlPath: '/api/v1/pods' } }] }), true],
    [
      'foreach apiCall urlPath',
      rule({ validate: { foreach: [{ context: [{ name: 'x', apiCall: { urlPath: '/a' } }] }] } }),
      true,
    ],
    [
      'service apiCall',
      rule({ context: [{ name: 'x', apiCall: { service: { url: 'https://s' } } }] }),
      false,
    ],
    ['a pattern field named targets', rule({ validate: { pattern: { targets: ['x'] } } }), false],
    ['validate only', rule({ validate: { pattern: { a: 'b' } } }), false],
  ];
  for (const [name, spec, reads] of cases) test(name, () => assert.equal(specReadsFakeCluster(spec), reads));
});

test("apply's fake cluster ports: apiCall from the objects, configMap entries skipped", () => {
  const ports = createOfflinePorts({
    clusterObjects: objects,
    allowClusterReads: true,
    applyFakeCluster: true,
  });
  assert.equal(ports.skipConfigMapEntries, true);
  assert.ok(ports.cluster);
  assert.deepEqual(ports.apiCaller?.call({ urlPath: '/api/v1/namespaces/ns1/pods/p1', method: 'GET' }), {
    ok: true,
    body: objects[1],
  });
  const plain = createOfflinePorts({ clusterObjects: objects, allowClusterReads: true });
  assert.equal(plain.skipConfigMapEntries, undefined);
  assert.equal(plain.apiCaller, undefined);
});

test("test's fake cluster with cluster resources: an apiCallResponses mock first, then the objects", () => {
  const ports = createOfflinePorts({
    clusterObjects: objects,
    allowClusterReads: true,
    apiCallsFromCluster: true,
    apiCallResponses: [{ urlPath: '/api/v1/namespaces/ns1/pods/p1', response: { body: { mocked: true } } }],
  });
  assert.equal(ports.skipConfigMapEntries, undefined);
  assert.deepEqual(ports.apiCaller?.call({ urlPath: '/api/v1/namespaces/ns1/pods/p1', method: 'GET' }), {
    ok: true,
    body: { mocked: true },
  });
  assert.deepEqual(
    ports.apiCaller?.call({ urlPath: '/api/v1/namespaces/ns1/configmaps/cm1', method: 'GET' }),
    {
      ok: true,
      body: objects[0],
    },
  );
});
