// The reports controller on the real API server (issue #15, reports): `palisade serve` in cluster
// mode, as leader, scans the resources that existed before it and writes one PolicyReport per
// resource (ClusterPolicyReport for a cluster-scoped one), named by UID and owned by it; a fixed
// resource's report changes; a disabled resource gets none; a second scan and a new leader rewrite
// nothing; a deleted resource's report goes with it (garbage collector) and a deleted policy's
// results go too.
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
const POLR = '/apis/wgpolicyk8s.io/v1alpha2';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-owner
spec:
  background: false
  rules:
    - name: owner
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [apps]
      validate:
        failureAction: Audit
        message: an owner annotation is required
        pattern:
          metadata:
            annotations:
              owner: "?*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
  annotations:
    policies.kyverno.io/severity: medium
    policies.kyverno.io/category: Best Practices
spec:
  background: true
  rules:
    - name: configmaps
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [apps]
      validate:
        failureAction: Audit
        message: a team label is required
        pattern:
          metadata:
            labels:
              team: "?*"
    - name: namespaces
      match:
        any:
          - resources:
              kinds: [Namespace]
              names: [apps]
      validate:
        failureAction: Audit
        message: a team label is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;

interface Report {
  metadata: { name: string; namespace?: string; resourceVersion: string; labels?: Record<string, string> };
  metadata_ownerReferences?: unknown;
  scope?: Record<string, string>;
  results?: { policy: string; rule: string; result: string; source: string; severity?: string }[];
  summary?: Record<string, number>;
}

async function uidOf(tb: Testbed, path: string): Promise<string> {
  const r = await tb.api('GET', path);
  assert.equal(r.status, 200, path);
  return (r.body as { metadata: { uid: string } }).metadata.uid;
}

async function report(tb: Testbed, path: string): Promise<Report | undefined> {
  const r = await tb.api('GET', path);
  return r.status === 200 ? (r.body as Report) : undefined;
}

async function reportsIn(tb: Testbed, ns: string): Promise<Report[]> {
  const r = await tb.api('GET', `${POLR}/namespaces/${ns}/policyreports`);
  assert.equal(r.status, 200);
  return (r.body as { items: Report[] }).items;
}

describe('the reports controller on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'palisade-reports-'));
  let port = 0;
  let tls = { cert: '', key: '' };
  const start = (): ServeProcess =>
    startServe([
      '--tls-cert',
      tls.cert,
      '--tls-key',
      tls.key,
      '--port',
      String(port),
      '--kubeconfig',
      tb.kubeconfig,
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--lease-duration',
      '4s',
      '--renew-deadline',
      '3s',
      '--retry-period',
      '500ms',
      '--resync-period',
      '1s',
      '--background-scan-interval',
      '4s',
    ]);

  before(async () => {
    tb = await startTestbed();
    tls = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'apps'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    // Existed before the policy and the controller.
    const existing = await tb.kubectl(
      ['apply', '-f', '-'],
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad, namespace: apps}\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good, namespace: apps, labels: {team: a}}\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: quiet\n  namespace: apps\n  labels: {reports.kyverno.io/disabled: "true"}\n',
      ].join('---\n'),
    );
    assert.equal(existing.code, 0, existing.stderr);
    for (const file of [
      'kyverno.io_clusterpolicies.yaml',
      'wgpolicyk8s.io_policyreports.yaml',
      'wgpolicyk8s.io_clusterpolicyreports.yaml',
    ]) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies')).status === 200 &&
      (await tb.api('GET', `${POLR}/clusterpolicyreports`)).status === 200
        ? true
        : undefined,
    );
    await eventually('the policy applied', 30_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], POLICY);
      return r.code === 0 ? true : undefined;
    });
    port = await freePort();
    serve = start();
    await serve.waitFor('webhook configurations reconciled', 60_000);
  });
  after(async () => {
    await serve?.kill();
    for (const name of ['palisade-resource-validating-webhook-cfg', 'palisade-policy-validating-webhook-cfg'])
      await tb?.api('DELETE', `${VWC}/${name}`).catch(() => undefined);
    await tb?.api('DELETE', `${MWC}/palisade-resource-mutating-webhook-cfg`).catch(() => undefined);
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('existing resources get one report each, named by UID, owned by the resource', async () => {
    const bad = await uidOf(tb, '/api/v1/namespaces/apps/configmaps/bad');
    const good = await uidOf(tb, '/api/v1/namespaces/apps/configmaps/good');
    const r = await eventually('the report of bad', 30_000, () =>
      report(tb, `${POLR}/namespaces/apps/policyreports/${bad}`),
    );
    assert.equal(r.metadata.labels?.['app.kubernetes.io/managed-by'], 'kyverno');
    assert.deepEqual((r.metadata as unknown as { ownerReferences: unknown[] }).ownerReferences, [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'bad', uid: bad },
    ]);
    assert.deepEqual(r.scope, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'bad',
      namespace: 'apps',
      uid: bad,
    });
    assert.equal(r.results?.length, 1);
    assert.deepEqual(
      { ...r.results?.[0], timestamp: undefined, message: undefined },
      {
        policy: 'require-team',
        rule: 'configmaps',
        result: 'fail',
        source: 'kyverno',
        scored: true,
        severity: 'medium',
        category: 'Best Practices',
        properties: { process: 'background scan' },
        timestamp: undefined,
        message: undefined,
      },
    );
    assert.deepEqual(r.summary, { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    const g = await eventually('the report of good', 30_000, () =>
      report(tb, `${POLR}/namespaces/apps/policyreports/${good}`),
    );
    assert.equal(g.results?.[0]?.result, 'pass');
  });

  test('a cluster-scoped resource gets a ClusterPolicyReport', async () => {
    const apps = await uidOf(tb, '/api/v1/namespaces/apps');
    const r = await eventually('the report of the namespace', 30_000, () =>
      report(tb, `${POLR}/clusterpolicyreports/${apps}`),
    );
    assert.equal(r.metadata.namespace, undefined);
    assert.equal(r.results?.[0]?.rule, 'namespaces');
    assert.equal(r.results?.[0]?.result, 'fail');
  });

  test('a resource labelled reports.kyverno.io/disabled gets none', async () => {
    const quiet = await uidOf(tb, '/api/v1/namespaces/apps/configmaps/quiet');
    await eventually('a full scan done', 30_000, async () =>
      (await reportsIn(tb, 'apps')).length >= 2 ? true : undefined,
    );
    assert.equal(await report(tb, `${POLR}/namespaces/apps/policyreports/${quiet}`), undefined);
  });

  test('a fixed resource’s report changes', async () => {
    const bad = await uidOf(tb, '/api/v1/namespaces/apps/configmaps/bad');
    const labelled = await tb.kubectl(['label', 'configmap', 'bad', '-n', 'apps', 'team=b']);
    assert.equal(labelled.code, 0, labelled.stderr);
    await eventually('the report passes', 30_000, async () => {
      const r = await report(tb, `${POLR}/namespaces/apps/policyreports/${bad}`);
      const team = r?.results?.find((x) => x.policy === 'require-team');
      return team?.result === 'pass' && r?.summary?.pass === 1 ? true : undefined;
    });
  });

  test('admission results of a background-off policy join the report and stay through rescans', async () => {
    const created = await eventually('the webhook in effect', 30_000, async () => {
      const r = await tb.kubectl(['create', 'configmap', 'late', '-n', 'apps']);
      return r.code === 0 ? r : undefined;
    });
    assert.equal(created.code, 0);
    const late = await uidOf(tb, '/api/v1/namespaces/apps/configmaps/late');
    const rules = async () => {
      const r = await report(tb, `${POLR}/namespaces/apps/policyreports/${late}`);
      return (r?.results ?? [])
        .map(
          (x) =>
            `${x.policy}/${x.rule}=${x.result} ${(x as { properties?: { process?: string } }).properties?.process}`,
        )
        .sort();
    };
    const want = [
      'require-owner/owner=fail admission review',
      'require-team/configmaps=fail background scan',
    ];
    await eventually('both results', 30_000, async () =>
      JSON.stringify(await rules()) === JSON.stringify(want) ? true : undefined,
    );
    // A full scan (every 4 s) keeps the admission result.
    await new Promise((r) => setTimeout(r, 6_000));
    assert.deepEqual(await rules(), want);
    // The record was merged and removed.
    const records = await tb.api(
      'GET',
      `/api/v1/namespaces/palisade/configmaps?labelSelector=${encodeURIComponent('palisade.kyverno.io/admission-results=true')}`,
    );
    assert.deepEqual((records.body as { items: unknown[] }).items, []);
  });

  test('later scans and a new leader rewrite nothing and never duplicate', async () => {
    const before = new Map(
      (await reportsIn(tb, 'apps')).map((r) => [r.metadata.name, r.metadata.resourceVersion]),
    );
    // Two full scans (interval 4 s) by this leader.
    await new Promise((r) => setTimeout(r, 9_000));
    const later = await reportsIn(tb, 'apps');
    assert.deepEqual(new Map(later.map((r) => [r.metadata.name, r.metadata.resourceVersion])), before);
    // A new leader (the Lease expires, the next process takes it) scans everything again.
    await serve?.kill();
    serve = start();
    await serve.waitFor('background scan', 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await reportsIn(tb, 'apps');
    assert.deepEqual(new Map(after.map((r) => [r.metadata.name, r.metadata.resourceVersion])), before);
  });

  test('a deleted resource takes its report; a deleted policy takes its results', async () => {
    const good = await uidOf(tb, '/api/v1/namespaces/apps/configmaps/good');
    assert.equal((await tb.kubectl(['delete', 'configmap', 'good', '-n', 'apps'])).code, 0);
    await eventually('the report collected', 60_000, async () =>
      (await report(tb, `${POLR}/namespaces/apps/policyreports/${good}`)) === undefined ? true : undefined,
    );
    assert.equal((await tb.kubectl(['delete', 'clusterpolicy', 'require-team', 'require-owner'])).code, 0);
    await eventually('every report gone', 60_000, async () => {
      const cluster = await tb.api('GET', `${POLR}/clusterpolicyreports`);
      const left = (cluster.body as { items: unknown[] }).items.length + (await reportsIn(tb, 'apps')).length;
      return left === 0 ? true : undefined;
    });
  });
});
