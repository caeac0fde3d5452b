import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkNamespacedApiPath,
  confinePorts,
  objectOutsideNamespace,
  readOutsideNamespace,
} from './namespace-confinement.js';
import type { ApiCallRequest, Ports } from './ports.js';

describe('checkNamespacedApiPath (policy namespace "mine")', () => {
  const rows: { path: string; ok: boolean; reason?: RegExp }[] = [
    { path: '/api/v1/namespaces/mine/configmaps', ok: true },
    { path: '/api/v1/namespaces/mine', ok: true },
    { path: '/apis/apps/v1/namespaces/mine/deployments/web', ok: true },
    { path: '/api/v1/namespaces/mine/pods?labelSelector=app%3Dweb', ok: false, reason: /"#", "%"/ },
    { path: '/api/v1/namespaces/mine/pods?limit=1', ok: true },
    { path: '/api/v1/namespaces/other/configmaps', ok: false, reason: /refers to namespace other/ },
    { path: '/api/v1/namespaces', ok: false, reason: /does not contain a namespace segment/ },
    { path: '/api/v1/secrets', ok: false, reason: /does not contain a namespace segment/ },
    { path: '/api/v1/namespaces/mine/../other/secrets', ok: false, reason: /"\." or "\.\." segment/ },
    { path: '/api/v1/namespaces/mine/./configmaps', ok: false, reason: /"\." or "\.\." segment/ },
    { path: '/api/v1/namespaces/mine/%2e%2e/other/secrets', ok: false, reason: /"#", "%"/ },
    { path: '/api/v1/namespaces/mine/%2E%2E/other/secrets', ok: false, reason: /"#", "%"/ },
    { path: '/api/v1/namespaces/mine/.%2e/other/secrets', ok: false, reason: /"#", "%"/ },
    { path: '/api/v1/secrets#/namespaces/mine/', ok: false, reason: /"#", "%"/ },
    {
      path: '/api/v1/secrets?x=/namespaces/mine/',
      ok: false,
      reason: /does not contain a namespace segment/,
    },
    {
      path: '/api/v1/namespaces/other/secrets?x=/api/v1/namespaces/mine/',
      ok: false,
      reason: /namespace other/,
    },
    { path: '/apis/x/namespaces/mine/y', ok: false, reason: /does not contain a namespace segment/ },
    { path: '/api/v1/namespaces/mine\\..\\..\\secrets', ok: false, reason: /"\\"/ },
    { path: '/api/v1/namespaces/mi\tne/configmaps', ok: false, reason: /namespace mi\tne/ },
    { path: '/api/v1/namespaces/mine/configmaps/a\tb', ok: false, reason: /not sent as written/ },
    { path: '//evil.example/api/v1/namespaces/mine', ok: false, reason: /does not contain/ },
    { path: 'api/v1/namespaces/mine', ok: false, reason: /does not contain/ },
    { path: '', ok: false, reason: /path \. does not contain/ },
  ];
  for (const row of rows)
    test(`${JSON.stringify(row.path)} → ${row.ok ? 'allowed' : 'refused'}`, () => {
      const out = checkNamespacedApiPath(row.path, 'mine');
      assert.equal(out.ok, row.ok, out.ok ? 'allowed' : out.reason);
      if (out.ok) assert.equal(out.path, row.path, 'the string checked is the string sent');
      else if (row.reason !== undefined) assert.match(out.reason, row.reason);
    });
});

describe('reads and writes of a namespaced policy', () => {
  const reads: { ns: string | undefined; name?: string; refused: boolean }[] = [
    { ns: 'mine', name: 'cm', refused: false },
    { ns: 'other', name: 'cm', refused: true },
    { ns: undefined, name: 'cm', refused: true },
    { ns: '', refused: true },
    { ns: 'mine', name: '../../other/configmaps/x', refused: true },
    { ns: 'mine', name: '..', refused: true },
  ];
  for (const r of reads)
    test(`read ${String(r.ns)}/${r.name ?? '*'} → ${r.refused ? 'refused' : 'allowed'}`, () => {
      assert.equal(readOutsideNamespace(r.ns, r.name, 'mine') !== undefined, r.refused);
    });

  test('writes: only into the policy namespace; a cluster policy writes anywhere', () => {
    const at = (namespace?: string) => ({ metadata: { name: 'x', ...(namespace ? { namespace } : {}) } });
    assert.equal(objectOutsideNamespace(at('mine'), 'mine'), undefined);
    assert.match(objectOutsideNamespace(at('other'), 'mine') ?? '', /not "other"/);
    assert.match(objectOutsideNamespace(at(), 'mine') ?? '', /cluster-wide/);
    assert.equal(objectOutsideNamespace(at('other'), undefined), undefined);
  });

  test('confined ports: cluster reads outside refused before the port is asked, apiCall paths checked, service calls refused', () => {
    const asked: string[] = [];
    const ports: Ports = {
      cluster: {
        get: (_a, kind, ns, name) => {
          asked.push(`get ${kind} ${ns}/${name}`);
          return { metadata: { name } };
        },
        list: (_a, kind, ns) => {
          asked.push(`list ${kind} ${ns}`);
          return [];
        },
      },
      apiCaller: {
        call: (r: ApiCallRequest) => {
          asked.push(`call ${r.urlPath ?? r.url}`);
          return { ok: true, body: {} };
        },
      },
    };
    const confined = confinePorts(ports, 'mine');
    assert.equal(confinePorts(ports, 'mine'), confined, 'memoised');
    assert.ok(confined.cluster?.get('v1', 'ConfigMap', 'mine', 'a'));
    assert.throws(
      () => confined.cluster?.get('v1', 'Secret', 'kube-system', 'a'),
      /reads only in its namespace/,
    );
    assert.throws(() => confined.cluster?.list('v1', 'Secret', undefined), /not cluster-wide/);
    assert.deepEqual(confined.cluster?.list('v1', 'Secret', 'mine'), []);
    assert.equal(
      confined.apiCaller?.call({ method: 'GET', urlPath: '/api/v1/namespaces/mine/pods' })?.ok,
      true,
    );
    assert.equal(
      confined.apiCaller?.call({ method: 'GET', urlPath: '/api/v1/namespaces/mine/%2e%2e/x/pods' })?.ok,
      false,
    );
    assert.equal(confined.apiCaller?.call({ method: 'GET', url: 'https://svc.example/x' })?.ok, false);
    assert.deepEqual(
      confined.apiCaller?.call({ method: 'GET', url: 'https://svc.example/x', library: 'http' }),
      {
        ok: false,
        error: 'http calls are not allowed in namespaced policies',
      },
    );
    assert.deepEqual(asked, [
      'get ConfigMap mine/a',
      'list Secret mine',
      'call /api/v1/namespaces/mine/pods',
    ]);
  });
});
