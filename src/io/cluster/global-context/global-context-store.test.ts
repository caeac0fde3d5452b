// GlobalContextEntries on the real API server: the CRD of config/crds installed, entries created,
// changed and deleted through the API, each source answering as Kyverno's store does.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testbedKubeConfig } from '../../../../test/support/list-watch-probe.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../../../../test/support/testbed.js';
import type { PortResult } from '../../../engine/index.js';
import { kubeHttp } from '../kube-http.js';
import { kubeRest } from '../kube-rest.js';
import { listWatchClient } from '../list-watch-client.js';
import { createLivePorts } from '../live-ports.js';
import { type GlobalContextStore, startGlobalContextStore } from './global-context-store.js';
import { refreshedStatusWriter } from './refresh-status.js';
import { discoverKind } from './resource-kind.js';

const CRD = resolve(import.meta.dirname, '../../../../config/crds/kyverno.io_globalcontextentries.yaml');
const GCE = '/apis/kyverno.io/v2beta1/globalcontextentries';
const NS = 'gctx';

const gce = (name: string, spec: unknown) => ({
  apiVersion: 'kyverno.io/v2beta1',
  kind: 'GlobalContextEntry',
  metadata: { name },
  spec,
});
const configMap = (name: string, team: string) => ({
  metadata: { name, namespace: NS, labels: { team } },
  data: { owner: team },
});

describe('global context store on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let store: GlobalContextStore;
  const logs: string[] = [];
  const read = (name: string): Promise<PortResult<unknown>> =>
    store.get(name, { signal: AbortSignal.timeout(5_000) });

  before(async () => {
    tb = await startTestbed();
    const crd = await tb.kubectl(['apply', '--server-side', '-f', CRD]);
    assert.equal(crd.code, 0, crd.stderr);
    await tb.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/globalcontextentries.kyverno.io',
      '--timeout=30s',
    ]);
    assert.equal((await tb.api('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
    for (const [n, t] of [
      ['a', 'red'],
      ['b', 'blue'],
    ] as const)
      assert.equal(
        (await tb.api('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap(n, t))).status,
        201,
      );
    const config = testbedKubeConfig(tb.kubeconfig);
    const http = kubeHttp(config);
    store = startGlobalContextStore({
      client: listWatchClient(http),
      caller: createLivePorts({ kubeConfig: config }).apiCaller!,
      kindOf: discoverKind(http),
      onRefreshed: refreshedStatusWriter(kubeRest(config), (m) => logs.push(m)),
      callTimeoutMs: 5_000,
      log: (_level, m, fields) => logs.push(`${m} ${JSON.stringify(fields)}`),
    });
  });
  after(async () => {
    store?.close();
    await tb?.stop();
  });

  test('an entry that does not exist is "failed to fetch entry key=..."', async () => {
    const r = await read('nothing.here');
    assert.deepEqual(r, { ok: false, code: 'not-found', message: 'failed to fetch entry key=nothing' });
  });

  test('kubernetesResource: the collection (kind stamped), its projections, kept current by the watch', async () => {
    const created = await tb.api(
      'POST',
      GCE,
      gce('teams', {
        kubernetesResource: { version: 'v1', resource: 'configmaps', namespace: NS },
        projections: [{ name: 'owners', jmesPath: 'sort([].data.owner)' }],
      }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const all = await eventually('the collection is listed', 20_000, async () => {
      const r = await read('teams');
      return r.ok && Array.isArray(r.value) && r.value.length >= 2 ? r.value : undefined;
    });
    const mine = (all as { kind: string; metadata: { name: string } }[]).filter((o) =>
      ['a', 'b'].includes(o.metadata.name),
    );
    assert.deepEqual(
      mine.map((o) => o.kind),
      ['ConfigMap', 'ConfigMap'],
    );
    assert.deepEqual(await read('teams.owners'), { ok: true, value: ['blue', 'red'] });
    // A new object shows in the data and the projection.
    await tb.api('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap('c', 'green'));
    await eventually('the new object is projected', 20_000, async () => {
      const r = await read('teams.owners');
      return r.ok && JSON.stringify(r.value) === JSON.stringify(['blue', 'green', 'red']) ? true : undefined;
    });
    const missing = await read('teams.nope');
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.message, /projection "nope" not found/);
  });

  test('apiCall: polled every refreshInterval, projected, lastRefreshTime written; a changed spec restarts it', async () => {
    const created = await tb.api(
      'POST',
      GCE,
      gce('ns-list', {
        apiCall: { urlPath: `/api/v1/namespaces/${NS}/configmaps`, refreshInterval: '1s' },
        projections: [{ name: 'count', jmesPath: 'length(items)' }],
      }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const before = await eventually('the first refresh', 20_000, async () => {
      const r = await read('ns-list.count');
      return r.ok ? (r.value as number) : undefined;
    });
    assert.ok(before >= 3, String(before));
    const whole = await read('ns-list');
    assert.ok(whole.ok && (whole.value as { kind: string }).kind === 'ConfigMapList');
    await tb.api('POST', `/api/v1/namespaces/${NS}/configmaps`, configMap('d', 'black'));
    await eventually('the refresh after a change', 20_000, async () => {
      const r = await read('ns-list.count');
      return r.ok && r.value === before + 1 ? true : undefined;
    });
    const status = await eventually('lastRefreshTime', 20_000, async () => {
      const r = await tb.api('GET', `${GCE}/ns-list`);
      return (r.body as { status?: { lastRefreshTime?: string } }).status?.lastRefreshTime;
    });
    assert.match(status, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // A call that fails makes reads fail with the reason (after its retries), as in Kyverno.
    const patched = await tb.api('PUT', `${GCE}/ns-list`, {
      ...((await tb.api('GET', `${GCE}/ns-list`)).body as object),
      spec: {
        apiCall: { urlPath: '/api/v1/namespaces/no-such-ns/widgets', refreshInterval: '1s', retryLimit: 1 },
      },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const failed = await eventually('the failed call', 20_000, async () => {
      const r = await read('ns-list');
      // Until the restarted entry's first refresh: "no data available", as a new Kyverno entry.
      return !r.ok && r.message !== 'no data available' ? r.message : undefined;
    });
    assert.match(
      failed,
      /failed to GET resource with raw url: \/api\/v1\/namespaces\/no-such-ns\/widgets: the server could not find/,
    );
  });

  test('an entry deleted is gone; an invalid one answers why', async () => {
    assert.equal((await tb.api('DELETE', `${GCE}/teams`)).status, 200);
    await eventually('the deleted entry', 20_000, async () => ((await read('teams')).ok ? undefined : true));
    assert.deepEqual(await read('teams'), {
      ok: false,
      code: 'not-found',
      message: 'failed to fetch entry key=teams',
    });
    // The CRD's schema lets both sources through; Kyverno's validation (and Palisade's) does not.
    const bad = await tb.api(
      'POST',
      GCE,
      gce('both', {
        kubernetesResource: { version: 'v1', resource: 'configmaps' },
        apiCall: { urlPath: '/api/v1/namespaces', refreshInterval: '1m' },
      }),
    );
    assert.equal(bad.status, 201, JSON.stringify(bad.body));
    const why = await eventually('the invalid entry', 20_000, async () => {
      const r = await read('both');
      return !r.ok && r.code === 'unavailable' ? r.message : undefined;
    });
    assert.match(why, /invalid: a global context entry should either have kubernetesResource or apiCall/);
  });

  test('a resource the server does not serve: reads say so', async () => {
    await tb.api(
      'POST',
      GCE,
      gce('widgets', { kubernetesResource: { group: 'example.com', version: 'v1', resource: 'widgets' } }),
    );
    const why = await eventually('the unserved resource', 20_000, async () => {
      const r = await read('widgets');
      return !r.ok && /not served/.test(r.message) ? r.message : undefined;
    });
    assert.match(why, /example\.com\/v1/);
  });
});
