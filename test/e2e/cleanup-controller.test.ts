// The cleanup and TTL controllers end to end, in real time (issue #15): `palisade serve` in cluster
// mode, as leader, deletes the ConfigMaps a ClusterCleanupPolicy selects at its next cron tick (up to
// a minute) and records status.lastExecutionTime; deletes an object whose cleanup.kyverno.io/ttl has
// passed; and, registered through its TTL webhook configuration, rejects an unreadable TTL value at
// admission (--invalid-ttl=deny; the default warns as Kyverno does). Counters on /metrics.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import { freePort, type ServeProcess, startServe } from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const MWC = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const CM = (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const CRDS = [
  'kyverno.io_clusterpolicies.yaml',
  'kyverno.io_policies.yaml',
  'kyverno.io_clustercleanuppolicies.yaml',
  'kyverno.io_cleanuppolicies.yaml',
  'policies.kyverno.io_deletingpolicies.yaml',
  'policies.kyverno.io_namespaceddeletingpolicies.yaml',
];

const configMap = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'work', labels },
  data: { a: 'b' },
});

describe('cleanup and TTL in palisade serve, in real time', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  let metricsPort: number;
  const work = mkdtempSync(join(tmpdir(), 'palisade-cleanup-'));
  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'work'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    for (const file of CRDS) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v2/clustercleanuppolicies')).status === 200 ? true : undefined,
    );
    const port = await freePort();
    metricsPort = await freePort();
    serve = startServe([
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--port',
      String(port),
      '--metrics-port',
      String(metricsPort),
      '--kubeconfig',
      tb.kubeconfig,
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--leader-election',
      'false',
      '--allow-empty',
      '--resync-period',
      '2s',
      '--ttl-reconciliation-interval',
      '2s',
      '--invalid-ttl',
      'deny',
    ]);
    await serve.waitFor('webhook configurations reconciled', 60_000);
  });
  after(async () => {
    await serve?.kill();
    for (const name of [
      'palisade-resource-validating-webhook-cfg',
      'palisade-policy-validating-webhook-cfg',
      'palisade-ttl-validating-webhook-cfg',
    ])
      await tb?.api('DELETE', `${VWC}/${name}`).catch(() => undefined);
    await tb?.api('DELETE', `${MWC}/palisade-resource-mutating-webhook-cfg`).catch(() => undefined);
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('an unreadable TTL value is rejected at admission; a readable one is admitted', async () => {
    const cfg = await eventually('the TTL webhook registered', 30_000, async () => {
      const r = await tb.api('GET', `${VWC}/palisade-ttl-validating-webhook-cfg`);
      return r.status === 200 ? r.body : undefined;
    });
    assert.ok(JSON.stringify(cfg).includes('/verifyttl'));
    const bad = await tb.api(
      'POST',
      '/api/v1/namespaces/work/configmaps',
      configMap('bad-ttl', { 'cleanup.kyverno.io/ttl': 'tomorrow' }),
    );
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.match(
      JSON.stringify(bad.body),
      /cleanup\.kyverno\.io\/ttl label value cannot be parsed as any recognizable format/,
    );
    const good = await tb.api(
      'POST',
      '/api/v1/namespaces/work/configmaps',
      configMap('good-ttl', { 'cleanup.kyverno.io/ttl': '1h' }),
    );
    assert.equal(good.status, 201, JSON.stringify(good.body));
  });

  test('the TTL label deletes the object once its time has passed', async () => {
    const created = await tb.api(
      'POST',
      '/api/v1/namespaces/work/configmaps',
      configMap('short-lived', { 'cleanup.kyverno.io/ttl': '3s' }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await eventually('the labelled ConfigMap deleted', 30_000, async () =>
      (await tb.api('GET', CM('work', 'short-lived'))).status === 404 ? true : undefined,
    );
    assert.equal((await tb.api('GET', CM('work', 'good-ttl'))).status, 200);
  });

  test('a ClusterCleanupPolicy deletes on its schedule and records lastExecutionTime', async () => {
    for (const cm of [configMap('purge-me', { purge: 'yes' }), configMap('stay', { purge: 'no' })])
      assert.equal((await tb.api('POST', '/api/v1/namespaces/work/configmaps', cm)).status, 201);
    const policy = {
      apiVersion: 'kyverno.io/v2',
      kind: 'ClusterCleanupPolicy',
      metadata: { name: 'purge' },
      spec: {
        schedule: '* * * * *',
        match: {
          any: [{ resources: { kinds: ['ConfigMap'], selector: { matchLabels: { purge: 'yes' } } } }],
        },
      },
    };
    const created = await tb.api('POST', '/apis/kyverno.io/v2/clustercleanuppolicies', policy);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await eventually('the selected ConfigMap deleted at the next tick', 80_000, async () =>
      (await tb.api('GET', CM('work', 'purge-me'))).status === 404 ? true : undefined,
    );
    assert.equal((await tb.api('GET', CM('work', 'stay'))).status, 200);
    const stored = await eventually('lastExecutionTime written', 10_000, async () => {
      const r = await tb.api('GET', '/apis/kyverno.io/v2/clustercleanuppolicies/purge');
      return (r.body as { status?: { lastExecutionTime?: string } }).status?.lastExecutionTime;
    });
    assert.match(stored, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$|^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(
      metrics,
      /kyverno_cleanup_controller_deletedobjects_total\{[^}]*policy_name="purge"[^}]*\} 1/,
    );
    assert.match(metrics, /kyverno_ttl_controller_deletedobjects_total\{resource_namespace="work"[^}]*\} 1/);
  });
});
