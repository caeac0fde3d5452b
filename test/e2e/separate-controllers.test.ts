// The reports and background controllers as processes of their own (issue #15, "one process or
// several"; docs/decisions/0021), on the real API server: `palisade serve` runs with
// --reports-controller=false --background-controller=false and only records admission's share;
// two `palisade controller reports` replicas elect a leader through palisade-reports-controller and
// write one PolicyReport per resource, admission results of a background-off policy included (they
// cross from serve through its ConfigMap records); the leader is SIGKILLed, the other replica takes
// the Lease and keeps the reports current (a resource fixed after the kill changes its report, one
// created after it gets one), with one report per resource and none lost; `palisade controller
// background` generates for a namespace admitted before it started and one admitted after, and
// patches a mutate-existing target for a trigger serve admitted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPORT_AND_GENERATE_POLICIES } from '../support/controller-policies.js';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import {
  freePort,
  removeWebhookConfigurations,
  type ServeProcess,
  startController,
  startLeadingServe,
} from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const POLR = '/apis/wgpolicyk8s.io/v1alpha2';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/palisade/leases';
const NETPOL = (ns: string) => `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/default-deny`;

// Those of the RBAC test, and a mutate-existing rule.
const POLICIES = `${REPORT_AND_GENERATE_POLICIES}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: mark-target
spec:
  rules:
    - name: marked
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [work]
              selector:
                matchLabels:
                  trigger: "yes"
      mutate:
        targets:
          - {apiVersion: v1, kind: ConfigMap, namespace: work, name: target}
        patchStrategicMerge:
          metadata:
            labels:
              marked-by: "{{ request.object.metadata.name }}"
`;

interface Report {
  metadata: { name: string; resourceVersion: string };
  scope?: { uid?: string; name?: string };
  results?: { policy: string; result: string; properties?: { process?: string } }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reports and background controllers in processes of their own', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess | undefined;
  const replicas = new Map<string, ServeProcess>();
  const work = mkdtempSync(join(tmpdir(), 'palisade-separate-'));

  const uidOf = async (name: string): Promise<string> => {
    const r = await tb.api('GET', `/api/v1/namespaces/apps/configmaps/${name}`);
    assert.equal(r.status, 200, name);
    return (r.body as { metadata: { uid: string } }).metadata.uid;
  };
  const reports = async (): Promise<Report[]> => {
    const r = await tb.api('GET', `${POLR}/namespaces/apps/policyreports`);
    assert.equal(r.status, 200);
    return (r.body as { items: Report[] }).items;
  };
  /** `policy=result process` of the report of ConfigMap `name`, sorted. */
  const resultsOf = async (name: string): Promise<string[]> => {
    const uid = await uidOf(name);
    const r = await tb.api('GET', `${POLR}/namespaces/apps/policyreports/${uid}`);
    if (r.status !== 200) return [];
    return ((r.body as Report).results ?? [])
      .map((x) => `${x.policy}=${x.result} ${x.properties?.process ?? ''}`)
      .sort();
  };
  const holder = async (lease: string): Promise<string | undefined> => {
    const r = await tb.api('GET', `${LEASES}/${lease}`);
    return r.status === 200
      ? (r.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity || undefined
      : undefined;
  };
  const kubectlApply = async (yaml: string) => {
    const r = await tb.kubectl(['apply', '-f', '-'], yaml);
    assert.equal(r.code, 0, r.stderr);
  };
  const configMap = (name: string, labels = '', annotations = '') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\n` +
    (labels !== '' ? `  labels: {${labels}}\n` : '') +
    (annotations !== '' ? `  annotations: {${annotations}}\n` : '');

  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'apps', 'work'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    assert.equal((await tb.kubectl(['create', 'configmap', 'target', '-n', 'work'])).code, 0);
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
      (await tb.api('GET', `${POLR}/policyreports`)).status === 200
        ? true
        : undefined,
    );
    await eventually('the policies applied', 30_000, async () =>
      (await tb.kubectl(['apply', '-f', '-'], POLICIES)).code === 0 ? true : undefined,
    );
    serve = await startLeadingServe(tb.kubeconfig, cert, key, [
      '--reports-controller=false',
      '--background-controller=false',
    ]);
  });
  after(async () => {
    for (const p of replicas.values()) await p.kill();
    await serve?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('serve with both flags off records admission but neither scans nor generates', async () => {
    // What admission leaves for the separate controllers: cluster objects, not this process's memory.
    const recorded = async (label: string): Promise<number> => {
      const r = await tb.api(
        'GET',
        `/api/v1/namespaces/palisade/configmaps?labelSelector=${encodeURIComponent(`${label}=true`)}`,
      );
      return (r.body as { items: unknown[] }).items.length;
    };
    // Admitted by serve: a record for the reports. The API server may take a moment to call a
    // webhook just registered, so bad is applied again (a real update each time) until one is written.
    let attempt = 0;
    await eventually('bad admitted through the webhook', 30_000, async () => {
      attempt += 1;
      await kubectlApply(configMap('bad', `attempt: "${attempt}"`));
      await sleep(500);
      return (await recorded('palisade.kyverno.io/admission-results')) === 1 ? true : undefined;
    });
    await kubectlApply(configMap('good', 'team: a', 'owner: me'));
    await kubectlApply(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: early\n  labels: {tenant: "yes"}\n',
    );
    await eventually('admission records and a generate request written', 20_000, async () =>
      (await recorded('palisade.kyverno.io/admission-results')) === 2 &&
      (await recorded('palisade.kyverno.io/generate-request')) === 1
        ? true
        : undefined,
    );
    await sleep(4_000); // two of serve's resync periods
    assert.deepEqual(await reports(), []);
    assert.equal((await tb.api('GET', NETPOL('early'))).status, 404);
    const started = serve?.logs.filter((l) => / controller started$/.test(l.msg)).map((l) => l.msg);
    assert.deepEqual(started, []);
  });

  test('two `controller reports` replicas: one leads its own Lease and writes one report per resource', async () => {
    for (const id of ['reports-0', 'reports-1'])
      replicas.set(
        id,
        startController('reports', tb.kubeconfig, id, [
          '--resync-period',
          '1s',
          '--background-scan-interval',
          '4s',
        ]),
      );
    const leader = await eventually('the reports Lease held', 60_000, () =>
      holder('palisade-reports-controller'),
    );
    assert.ok(replicas.has(leader), leader);
    const serveLeader = await holder('palisade'); // serve's own Lease, apart
    assert.ok(serveLeader !== undefined && !replicas.has(serveLeader));
    // The background-off policy's result crossed from serve's admission through its record.
    await eventually('bad reported, admission result included', 60_000, async () =>
      JSON.stringify(await resultsOf('bad')) ===
      JSON.stringify(['require-owner=fail admission review', 'require-team=fail background scan'])
        ? true
        : undefined,
    );
    await eventually('good reported', 30_000, async () =>
      JSON.stringify(await resultsOf('good')) ===
      JSON.stringify(['require-owner=pass admission review', 'require-team=pass background scan'])
        ? true
        : undefined,
    );
    const other = [...replicas.keys()].find((id) => id !== leader) ?? '';
    assert.equal(
      replicas.get(other)?.logs.some((l) => l.msg === 'reports controller started'),
      false,
      'the waiting replica does not scan',
    );
  });

  test('the leader killed: the other replica takes over, keeps reports current, none duplicated or lost', async () => {
    const leader = (await holder('palisade-reports-controller')) ?? '';
    const other = [...replicas.keys()].find((id) => id !== leader) ?? '';
    const before = new Map((await reports()).map((r) => [r.metadata.name, r.metadata.resourceVersion]));
    await replicas.get(leader)?.kill(); // SIGKILL: the Lease is not released
    replicas.delete(leader);
    // Changes while no replica leads: a fix of bad (through serve's admission), a new resource.
    await kubectlApply(configMap('bad', 'team: b', 'owner: you'));
    await kubectlApply(configMap('late'));
    await eventually('the other replica holds the Lease', 60_000, async () =>
      (await holder('palisade-reports-controller')) === other ? true : undefined,
    );
    await replicas.get(other)?.waitFor('reports controller started', 30_000);
    await eventually('the fixed resource’s report changed', 60_000, async () =>
      JSON.stringify(await resultsOf('bad')) ===
      JSON.stringify(['require-owner=pass admission review', 'require-team=pass background scan'])
        ? true
        : undefined,
    );
    await eventually('the new resource reported', 60_000, async () =>
      JSON.stringify(await resultsOf('late')) ===
      JSON.stringify(['require-owner=fail admission review', 'require-team=fail background scan'])
        ? true
        : undefined,
    );
    // One report per resource: each named by its resource's UID, each UID once, every ConfigMap covered.
    const uids = await Promise.all(['bad', 'good', 'late'].map(uidOf));
    const all = await reports();
    assert.deepEqual(all.map((r) => r.metadata.name).sort(), [...uids].sort());
    assert.deepEqual(all.map((r) => r.scope?.uid).sort(), [...uids].sort());
    // None lost: the old leader's report of good is still there, and unchanged (not rewritten).
    const good = await uidOf('good');
    assert.equal(all.find((r) => r.metadata.name === good)?.metadata.resourceVersion, before.get(good));
    assert.deepEqual(await resultsOf('good'), [
      'require-owner=pass admission review',
      'require-team=pass background scan',
    ]);
  });

  test('`controller background` generates for namespaces admitted before and after it started, and patches a mutate-existing target', async () => {
    const metricsPort = await freePort();
    const bg = startController('background', tb.kubeconfig, 'background-0', [
      '--resync-period',
      '1s',
      '--metrics-port',
      String(metricsPort),
      '--metrics-address',
      '127.0.0.1',
    ]);
    replicas.set('background-0', bg);
    await eventually('the background Lease held', 60_000, async () =>
      (await holder('palisade-background-controller')) === 'background-0' ? true : undefined,
    );
    // Admitted by serve before the controller ran: its recorded request is picked up now.
    await eventually('the early namespace’s NetworkPolicy', 60_000, async () =>
      (await tb.api('GET', NETPOL('early'))).status === 200 ? true : undefined,
    );
    await kubectlApply(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: later\n  labels: {tenant: "yes"}\n',
    );
    const made = await eventually('the later namespace’s NetworkPolicy', 60_000, async () => {
      const r = await tb.api('GET', NETPOL('later'));
      return r.status === 200 ? (r.body as { metadata: { labels?: Record<string, string> } }) : undefined;
    });
    assert.equal(made.metadata.labels?.['generate.kyverno.io/policy-name'], 'default-deny');
    // Ready (its policy set is loaded), with its metrics.
    const base = `http://127.0.0.1:${metricsPort}`;
    assert.equal((await fetch(`${base}/health/readiness`)).status, 200);
    assert.match(await (await fetch(`${base}/metrics`)).text(), /process_cpu_user_seconds_total/);
    // Mutate-existing crosses the same way: serve records the (policy, trigger) pair, this patches.
    await kubectlApply(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trigger-1\n  namespace: work\n  labels: {trigger: "yes"}\n',
    );
    await eventually('the target patched', 60_000, async () => {
      const r = await tb.api('GET', '/api/v1/namespaces/work/configmaps/target');
      const labels = (r.body as { metadata: { labels?: Record<string, string> } }).metadata.labels;
      return labels?.['marked-by'] === 'trigger-1' ? true : undefined;
    });
    // The reports replica left running never generated, nor did serve.
    assert.ok(!serve?.logs.some((l) => l.msg === 'generate controller started'));
  });
});
