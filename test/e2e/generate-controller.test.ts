// The generate controller on the real API server (issue #15, first slice): `palisade serve` in
// cluster mode, as leader, creates what generate rules want: a NetworkPolicy from `data` when a
// namespace is created, with Kyverno's labels, restored after it is deleted (synchronize); a clone of
// a ConfigMap from another namespace, updated when its source changes; generateExisting filling
// namespaces that existed before the policy; downstream deleted with its trigger or its policy; and
// a namespaced Policy never generating outside its namespace.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import {
  removeWebhookConfigurations,
  type ServeProcess,
  startLeadingServe,
} from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const NETPOL = (ns: string, name: string) =>
  `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/${name}`;
const CM = (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const SECRET = (ns: string, name: string) => `/api/v1/namespaces/${ns}/secrets/${name}`;

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: default-deny
spec:
  rules:
    - name: deny-all
      match:
        any:
          - resources:
              kinds: [Namespace]
              selector:
                matchLabels:
                  tenant: "yes"
      generate:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        name: default-deny
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        data:
          spec:
            podSelector: {}
            policyTypes: [Ingress, Egress]
    - name: shared-config
      match:
        any:
          - resources:
              kinds: [Namespace]
              selector:
                matchLabels:
                  tenant: "yes"
      generate:
        apiVersion: v1
        kind: ConfigMap
        name: shared
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        clone:
          namespace: source
          name: shared
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: existing-marker
spec:
  rules:
    - name: marker
      match:
        any:
          - resources:
              kinds: [Namespace]
              selector:
                matchLabels:
                  legacy: "yes"
      generate:
        generateExisting: true
        apiVersion: v1
        kind: ConfigMap
        name: marker
        namespace: "{{request.object.metadata.name}}"
        data:
          data:
            from: "{{request.object.metadata.name}}"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: secret-per-configmap
spec:
  rules:
    - name: secret
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  make-secret: "yes"
      generate:
        apiVersion: v1
        kind: Secret
        name: "{{request.object.metadata.name}}-secret"
        namespace: "{{request.object.metadata.namespace}}"
        synchronize: true
        data:
          stringData:
            owner: "{{request.object.metadata.name}}"
---
apiVersion: kyverno.io/v1
kind: Policy
metadata:
  name: escape
  namespace: team
spec:
  rules:
    - name: elsewhere
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  escape: "yes"
      generate:
        apiVersion: v1
        kind: ConfigMap
        name: escaped
        namespace: source
        data:
          data:
            a: b
`;

async function body(tb: Testbed, path: string): Promise<Record<string, unknown> | undefined> {
  const r = await tb.api('GET', path);
  return r.status === 200 ? (r.body as Record<string, unknown>) : undefined;
}

const labels = (o: Record<string, unknown> | undefined): Record<string, string> =>
  ((o?.metadata as { labels?: Record<string, string> })?.labels ?? {}) as Record<string, string>;

describe('the generate controller on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-generate-'));
  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'source', 'team'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    // Existed before the policies: only generateExisting reaches it.
    const legacy = await tb.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n  labels: {legacy: "yes"}\n',
    );
    assert.equal(legacy.code, 0, legacy.stderr);
    const source = await tb.kubectl([
      'create',
      'configmap',
      'shared',
      '-n',
      'source',
      '--from-literal=color=blue',
    ]);
    assert.equal(source.code, 0, source.stderr);
    for (const file of ['kyverno.io_clusterpolicies.yaml', 'kyverno.io_policies.yaml']) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies')).status === 200 &&
      (await tb.api('GET', '/apis/kyverno.io/v1/policies')).status === 200
        ? true
        : undefined,
    );
    // kubectl's discovery may lag behind a CRD just established.
    await eventually('the policies applied', 30_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], POLICIES);
      return r.code === 0 ? true : undefined;
    });
    serve = await startLeadingServe(tb.kubeconfig, cert, key);
  });
  after(async () => {
    await serve?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('a new namespace gets its NetworkPolicy (data) with Kyverno’s labels; deleted, it comes back', async () => {
    const created = await tb.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tenant-a\n  labels: {tenant: "yes"}\n',
    );
    assert.equal(created.code, 0, created.stderr);
    const ns = await body(tb, '/api/v1/namespaces/tenant-a');
    const netpol = await eventually('the NetworkPolicy generated', 30_000, () =>
      body(tb, NETPOL('tenant-a', 'default-deny')),
    );
    assert.deepEqual((netpol.spec as Record<string, unknown>).policyTypes, ['Ingress', 'Egress']);
    const uid = (ns?.metadata as { uid?: string } | undefined)?.uid;
    const l = labels(netpol);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(l).filter(
          ([k]) => k.startsWith('generate.kyverno.io/') || k.startsWith('app.kubernetes.io/'),
        ),
      ),
      {
        'app.kubernetes.io/managed-by': 'kyverno',
        'generate.kyverno.io/policy-name': 'default-deny',
        'generate.kyverno.io/policy-namespace': '',
        'generate.kyverno.io/rule-name': 'deny-all',
        'generate.kyverno.io/trigger-group': '',
        'generate.kyverno.io/trigger-kind': 'Namespace',
        'generate.kyverno.io/trigger-namespace': '',
        'generate.kyverno.io/trigger-uid': uid,
        'generate.kyverno.io/trigger-version': 'v1',
      },
    );
    assert.equal((await tb.api('DELETE', NETPOL('tenant-a', 'default-deny'))).status, 200);
    const back = await eventually('the NetworkPolicy restored', 30_000, () =>
      body(tb, NETPOL('tenant-a', 'default-deny')),
    );
    assert.notEqual((back.metadata as { uid: string }).uid, (netpol.metadata as { uid: string }).uid);
  });

  test('a changed synchronized object is restored', async () => {
    await eventually('the NetworkPolicy there', 30_000, () => body(tb, NETPOL('tenant-a', 'default-deny')));
    const patched = await tb.kubectl([
      'patch',
      'networkpolicy',
      'default-deny',
      '-n',
      'tenant-a',
      '--type=merge',
      '-p',
      '{"spec":{"policyTypes":["Ingress"]}}',
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually('the NetworkPolicy restored', 30_000, async () => {
      const o = await body(tb, NETPOL('tenant-a', 'default-deny'));
      const types = (o?.spec as { policyTypes?: string[] } | undefined)?.policyTypes;
      return types?.length === 2 ? true : undefined;
    });
  });

  test('a ConfigMap is cloned from another namespace, and follows its source', async () => {
    const copy = await eventually('the clone', 30_000, () => body(tb, CM('tenant-a', 'shared')));
    assert.deepEqual(copy.data, { color: 'blue' });
    assert.equal(labels(copy)['generate.kyverno.io/source-name'], 'shared');
    assert.equal(labels(copy)['generate.kyverno.io/source-namespace'], 'source');
    const changed = await tb.kubectl([
      'patch',
      'configmap',
      'shared',
      '-n',
      'source',
      '--type=merge',
      '-p',
      '{"data":{"color":"green"}}',
    ]);
    assert.equal(changed.code, 0, changed.stderr);
    await eventually('the clone updated', 30_000, async () => {
      const o = await body(tb, CM('tenant-a', 'shared'));
      return (o?.data as Record<string, string> | undefined)?.color === 'green' ? true : undefined;
    });
  });

  test('generateExisting fills a namespace that existed before the policy', async () => {
    const marker = await eventually('the marker in legacy', 30_000, () => body(tb, CM('legacy', 'marker')));
    assert.deepEqual(marker.data, { from: 'legacy' });
    assert.equal(labels(marker)['generate.kyverno.io/policy-name'], 'existing-marker');
  });

  test('deleting the trigger deletes its synchronized downstream', async () => {
    const cm = await eventually('the webhook in effect', 30_000, async () => {
      const r = await tb.kubectl(
        ['apply', '-f', '-'],
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: team\n  labels: {make-secret: "yes"}\n',
      );
      return r.code === 0 ? r : undefined;
    });
    assert.equal(cm.code, 0);
    const secret = await eventually('the Secret generated', 30_000, () =>
      body(tb, SECRET('team', 'app-secret')),
    );
    assert.equal(
      Buffer.from(String((secret.data as Record<string, string>).owner), 'base64').toString(),
      'app',
    );
    assert.equal((await tb.kubectl(['delete', 'configmap', 'app', '-n', 'team'])).code, 0);
    await eventually('the Secret deleted', 30_000, async () =>
      (await tb.api('GET', SECRET('team', 'app-secret'))).status === 404 ? true : undefined,
    );
  });

  test('a namespaced Policy never generates outside its namespace; dry runs generate nothing', async () => {
    const r = await tb.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaver\n  namespace: team\n  labels: {escape: "yes"}\n',
    );
    assert.equal(r.code, 0, r.stderr);
    const dry = await tb.kubectl(
      ['apply', '--dry-run=server', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: team\n  labels: {make-secret: "yes"}\n',
    );
    assert.equal(dry.code, 0, dry.stderr);
    // A later generation proves the controller has had the time to act on both.
    const later = await tb.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n  namespace: team\n  labels: {make-secret: "yes"}\n',
    );
    assert.equal(later.code, 0, later.stderr);
    await eventually('the later Secret', 30_000, () => body(tb, SECRET('team', 'later-secret')));
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await tb.api('GET', CM('source', 'escaped'))).status, 404);
    assert.equal((await tb.api('GET', SECRET('team', 'dry-secret'))).status, 404);
    // Every admission record was processed and removed.
    await eventually('no generate request left', 30_000, async () => {
      const list = await tb.api(
        'GET',
        '/api/v1/namespaces/palisade/configmaps?labelSelector=palisade.kyverno.io%2Fgenerate-request%3Dtrue',
      );
      return (list.body as { items: unknown[] }).items.length === 0 ? true : undefined;
    });
  });

  test('deleting a policy deletes the downstream of its synchronized rules', async () => {
    await eventually('the NetworkPolicy there', 30_000, () => body(tb, NETPOL('tenant-a', 'default-deny')));
    assert.equal((await tb.kubectl(['delete', 'clusterpolicy', 'default-deny'])).code, 0);
    await eventually('the NetworkPolicy deleted', 30_000, async () =>
      (await tb.api('GET', NETPOL('tenant-a', 'default-deny'))).status === 404 ? true : undefined,
    );
    // A policy without synchronize leaves its downstream.
    assert.equal((await tb.kubectl(['delete', 'clusterpolicy', 'existing-marker'])).code, 0);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await tb.api('GET', CM('legacy', 'marker'))).status, 200);
  });
});
