// Kyverno's own validation cases (api/kyverno/v2beta1/global_context_entry_types_test.go) as a table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_REFRESH_INTERVAL_MS,
  loadGlobalContextEntry,
  refreshIntervalMs,
  splitGlobalReference,
} from './global-context-entry.js';

const doc = (spec: unknown, name = 'gctx') => ({
  apiVersion: 'kyverno.io/v2beta1',
  kind: 'GlobalContextEntry',
  metadata: { name },
  spec,
});
const resource = { group: 'apps', version: 'v1', resource: 'deployments' };
const urlCall = { urlPath: '/api/v1/namespaces', refreshInterval: '10m' };

const CASES: readonly { name: string; spec: unknown; error?: RegExp; field?: string }[] = [
  { name: 'valid kubernetesResource', spec: { kubernetesResource: resource } },
  { name: 'valid apiCall', spec: { apiCall: urlCall } },
  {
    name: 'both kubernetesResource and apiCall',
    spec: { kubernetesResource: resource, apiCall: urlCall },
    error: /either have kubernetesResource or apiCall/,
    field: 'spec.kubernetesResource',
  },
  { name: 'neither source', spec: {}, error: /either have kubernetesResource or apiCall/ },
  { name: 'core group needs no group', spec: { kubernetesResource: { version: 'v1', resource: 'pods' } } },
  {
    name: 'missing group with another version',
    spec: { kubernetesResource: { version: 'v2', resource: 'things' } },
    error: /requires a group/,
    field: 'spec.kubernetesResource.group',
  },
  {
    name: 'missing version',
    spec: { kubernetesResource: { group: 'apps', resource: 'deployments' } },
    error: /requires a version/,
  },
  {
    name: 'missing resource',
    spec: { kubernetesResource: { group: 'apps', version: 'v1' } },
    error: /requires a resource/,
  },
  {
    name: 'zero refresh interval',
    spec: { apiCall: { urlPath: '/api/v1/namespaces', refreshInterval: '0s' } },
    error: /greater than 0 seconds/,
    field: 'spec.apiCall.refreshInterval',
  },
  {
    name: 'both service and urlPath',
    spec: { apiCall: { ...urlCall, service: { url: 'https://x' } } },
    error: /either have service or urlPath/,
  },
  {
    name: 'neither service nor urlPath',
    spec: { apiCall: { refreshInterval: '10m' } },
    error: /either have service or urlPath/,
  },
  {
    name: 'data without POST',
    spec: { apiCall: { ...urlCall, method: 'GET', data: [{ key: 'k', value: { field: 'value' } }] } },
    error: /should have method POST/,
    field: 'spec.apiCall.method',
  },
  {
    name: 'valid projection',
    spec: { kubernetesResource: resource, projections: [{ name: 'names', jmesPath: '[].metadata.name' }] },
  },
  {
    name: 'projection without a name',
    spec: { kubernetesResource: resource, projections: [{ jmesPath: 'metadata.name' }] },
    error: /requires a name$/,
  },
  {
    name: 'projection named like the entry',
    spec: { kubernetesResource: resource, projections: [{ name: 'gctx', jmesPath: 'metadata.name' }] },
    error: /different from the global context entry name/,
  },
  {
    name: 'projection without a JMESPath',
    spec: { kubernetesResource: resource, projections: [{ name: 'p' }] },
    error: /requires a JMESPath/,
  },
  {
    name: 'projection with an invalid JMESPath',
    spec: { kubernetesResource: resource, projections: [{ name: 'p', jmesPath: 'invalid[' }] },
    error: /./,
    field: 'spec.projections[0].jmesPath',
  },
];

describe('loadGlobalContextEntry: Kyverno validation', () => {
  for (const c of CASES)
    test(c.name, () => {
      const r = loadGlobalContextEntry(doc(c.spec));
      if (c.error === undefined) {
        assert.equal(r.ok, true, r.ok ? '' : r.issues.map((d) => d.message).join('; '));
        return;
      }
      assert.equal(r.ok, false);
      if (r.ok) return;
      const hit = r.issues.find((d) => c.error!.test(d.message));
      assert.ok(hit, r.issues.map((d) => d.message).join('; '));
      if (c.field !== undefined) {
        const path = hit.path
          .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`))
          .join('');
        assert.equal(path, c.field);
      }
    });

  test('a namespace on the cluster-scoped kind is refused', () => {
    const r = loadGlobalContextEntry({
      ...doc({ kubernetesResource: resource }),
      metadata: { name: 'g', namespace: 'x' },
    });
    assert.equal(r.ok, false);
  });

  test('every served apiVersion loads; others do not', () => {
    for (const v of ['kyverno.io/v2alpha1', 'kyverno.io/v2beta1', 'kyverno.io/v2'])
      assert.equal(loadGlobalContextEntry({ ...doc({ apiCall: urlCall }), apiVersion: v }).ok, true, v);
    assert.equal(
      loadGlobalContextEntry({ ...doc({ apiCall: urlCall }), apiVersion: 'kyverno.io/v1' }).ok,
      false,
    );
  });
});

test('refreshIntervalMs: the spec value, or Kyverno default 10m', () => {
  const load = (spec: unknown) => {
    const r = loadGlobalContextEntry(doc(spec));
    assert.ok(r.ok);
    return r.value;
  };
  assert.equal(refreshIntervalMs(load({ apiCall: { urlPath: '/x', refreshInterval: '1m30s' } })), 90_000);
  assert.equal(refreshIntervalMs(load({ apiCall: { urlPath: '/x' } })), DEFAULT_REFRESH_INTERVAL_MS);
});

test('splitGlobalReference: entry, then the projection up to the next dot', () => {
  assert.deepEqual(splitGlobalReference('deployments'), { entry: 'deployments', projection: '' });
  assert.deepEqual(splitGlobalReference('deployments.names'), { entry: 'deployments', projection: 'names' });
  assert.deepEqual(splitGlobalReference('a.b.c'), { entry: 'a', projection: 'b' });
});
