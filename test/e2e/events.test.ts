// Kyverno's Kubernetes events end to end (docs/decisions/0022): `palisade serve` in cluster mode on
// the real API server writes events.k8s.io/v1 Events for an Enforce denial (on the policy, the same
// denial counted in the Event's series rather than written again), for an Audit violation found by a
// background scan (on the resource and on the policy), and for a generated object; a reason named by
// --omit-events (PolicySkipped here, the exception's) is never written.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REQUIRE_TEAM_POLICY } from '../support/controller-policies.js';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import {
  freePort,
  removeWebhookConfigurations,
  type ServeProcess,
  startServe,
} from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface KubeEvent {
  metadata: { name: string; namespace: string };
  reportingController: string;
  reportingInstance: string;
  reason: string;
  action: string;
  type: string;
  note: string;
  regarding: { kind: string; name: string; namespace?: string };
  related?: { kind: string; name: string; namespace?: string };
  series?: { count: number };
}

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: deny-forbidden
spec:
  background: false
  rules:
    - name: forbidden
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [apps]
      validate:
        failureAction: Enforce
        message: forbidden ConfigMaps are denied
        deny:
          conditions:
            any:
              - key: "{{ request.object.metadata.labels.forbidden || '' }}"
                operator: Equals
                value: "yes"
---
${REQUIRE_TEAM_POLICY}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: welcome
spec:
  rules:
    - name: welcome-config
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
        name: welcome
        namespace: "{{request.object.metadata.name}}"
        data:
          data:
            hello: world
---
apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: exempt
  namespace: apps
spec:
  exceptions:
    - policyName: require-team
      ruleNames: [team]
  match:
    any:
      - resources:
          kinds: [ConfigMap]
          namespaces: [apps]
          names: ["exempt-*"]
`;

describe('Kubernetes events from palisade serve', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-events-'));

  /** Every events.k8s.io Event in the cluster. */
  const events = async (): Promise<KubeEvent[]> => {
    const r = await tb.api('GET', '/apis/events.k8s.io/v1/events');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return ((r.body as { items?: KubeEvent[] }).items ?? []).filter((e) =>
      e.reportingController.startsWith('kyverno-'),
    );
  };
  const configMap = (name: string, labels: Record<string, string> = {}) =>
    tb.api('POST', '/api/v1/namespaces/apps/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'apps', labels },
    });

  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'apps'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    const crds = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds')]);
    assert.equal(crds.code, 0, crds.stderr);
    await eventually('the policies applied', 30_000, async () =>
      (await tb.kubectl(['apply', '-f', '-'], POLICIES)).code === 0 ? true : undefined,
    );
    // Existing before serve starts: only the background scan sees it.
    assert.equal((await configMap('legacy')).status, 201);
    const port = await freePort();
    serve = startServe([
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--port',
      String(port),
      '--kubeconfig',
      tb.kubeconfig,
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--leader-election',
      'false',
      '--resync-period',
      '2s',
      '--enable-policy-exception',
      '--exception-namespace',
      'apps',
      // PolicyApplied emitted (generate's events), PolicySkipped not.
      '--omit-events',
      'PolicySkipped',
    ]);
    await serve.waitFor('webhook configurations reconciled', 60_000);
  });
  after(async () => {
    await serve?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('an Enforce denial: a PolicyViolation on the policy, blocked; the same denial again raises its count', async () => {
    let attempt = 0;
    let name = '';
    // Until the webhook just registered is called: each attempt a new name, as an admitted one stays.
    await eventually('a denial', 30_000, async () => {
      name = `forbidden-${++attempt}`;
      const r = await configMap(name, { forbidden: 'yes' });
      return r.status === 201 ? undefined : r;
    });
    const mine = (e: KubeEvent) =>
      e.reportingController === 'kyverno-admission' &&
      e.reason === 'PolicyViolation' &&
      e.related?.name === name;
    const first = await eventually('the denial’s event', 20_000, async () => (await events()).find(mine));
    assert.deepEqual(first.regarding, {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      name: 'deny-forbidden',
    });
    assert.equal(first.metadata.namespace, 'default', 'a cluster-scoped policy’s events are in default');
    assert.equal(first.action, 'Resource Blocked');
    assert.equal(first.type, 'Warning');
    assert.match(first.reportingInstance, /^kyverno-admission-/);
    assert.equal(
      first.note,
      `ConfigMap apps/${name}: [forbidden] fail (blocked); forbidden ConfigMaps are denied`,
    );
    // Nothing on the resource: it was never stored.
    assert.ok(!(await events()).some((e) => e.regarding.name === name));

    const again = await configMap(name, { forbidden: 'yes' });
    assert.notEqual(again.status, 201);
    const counted = await eventually('the series counted', 20_000, async () => {
      const same = (await events()).filter(mine);
      return same.length === 1 && (same[0]?.series?.count ?? 0) >= 2 ? same[0] : undefined;
    }).catch(async (err: unknown) => {
      const notable = serve.logs.filter((l) => l.level !== 'info');
      throw new Error(
        `${String(err)}: ${JSON.stringify((await events()).filter(mine))}\n${notable.map((l) => JSON.stringify(l)).join('\n')}`,
      );
    });
    assert.equal(counted.metadata.name, first.metadata.name, 'the same Event, updated');
  });

  test('an Audit violation found by a background scan: on the resource and on the policy', async () => {
    const scan = await eventually('the scan’s events', 60_000, async () => {
      const all = (await events()).filter((e) => e.reportingController === 'kyverno-scan');
      const onResource = all.find((e) => e.regarding.kind === 'ConfigMap' && e.regarding.name === 'legacy');
      const onPolicy = all.find((e) => e.regarding.name === 'require-team' && e.related?.name === 'legacy');
      return onResource !== undefined && onPolicy !== undefined ? { onResource, onPolicy } : undefined;
    });
    assert.equal(scan.onResource.reason, 'PolicyViolation');
    assert.equal(scan.onResource.metadata.namespace, 'apps');
    assert.equal(
      scan.onResource.note,
      'policy require-team/team fail: validation error: a team label is required. rule team failed at path /metadata/labels/',
    );
    assert.equal(scan.onPolicy.action, 'Resource Passed');
    assert.match(scan.onPolicy.note, /^ConfigMap apps\/legacy: \[team\] fail; /);
  });

  test('a generated object: PolicyApplied on it and on the policy, from kyverno-generate', async () => {
    let attempt = 0;
    await eventually('the generated ConfigMap', 60_000, async () => {
      const ns = `tenant-${++attempt}`;
      assert.equal(
        (
          await tb.kubectl(
            ['apply', '-f', '-'],
            `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {tenant: "yes"}\n`,
          )
        ).code,
        0,
      );
      await new Promise((r) => setTimeout(r, 2000));
      for (let i = 1; i <= attempt; i++)
        if ((await tb.api('GET', `/api/v1/namespaces/tenant-${i}/configmaps/welcome`)).status === 200)
          return true;
      return undefined;
    });
    const generated = await eventually('the generate events', 20_000, async () => {
      const all = (await events()).filter((e) => e.reportingController === 'kyverno-generate');
      const onObject = all.find((e) => e.regarding.kind === 'ConfigMap' && e.regarding.name === 'welcome');
      const onPolicy = all.find(
        (e) => e.regarding.name === 'welcome' && e.regarding.kind === 'ClusterPolicy',
      );
      return onObject !== undefined && onPolicy !== undefined ? { onObject, onPolicy } : undefined;
    });
    assert.equal(generated.onObject.reason, 'PolicyApplied');
    assert.equal(generated.onObject.type, 'Normal');
    assert.equal(
      generated.onObject.note,
      'Created ConfigMap welcome as a result of applying policy welcome/welcome-config',
    );
    assert.equal(generated.onPolicy.action, 'Resource Generated');
    assert.equal(generated.onPolicy.note, 'resource generated');
  });

  test('an omitted reason is never written: the exception’s PolicySkipped, though the request’s other events are', async () => {
    assert.equal((await configMap('exempt-1')).status, 201);
    // The request's PolicyApplied (deny-forbidden passed) is written after the skipped ones were dropped.
    await eventually('the exempt request’s PolicyApplied', 20_000, async () =>
      (await events()).some(
        (e) =>
          e.reason === 'PolicyApplied' &&
          e.reportingController === 'kyverno-admission' &&
          e.related?.name === 'exempt-1',
      )
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 3000)); // a scan pass of the change too
    const all = await events();
    assert.deepEqual(
      all.filter((e) => e.reason === 'PolicySkipped').map((e) => e.note),
      [],
    );
    assert.ok(!all.some((e) => e.regarding.kind === 'PolicyException'));
    // And no violation for it: the exception holds.
    assert.ok(
      !all.some(
        (e) =>
          e.reason === 'PolicyViolation' &&
          (e.regarding.name === 'exempt-1' || e.related?.name === 'exempt-1'),
      ),
    );
  });
});
