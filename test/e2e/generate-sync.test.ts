// Generate synchronization on the real API server, beyond generate-controller.test.ts (issue #15):
// a trigger relabelled so that a synchronized rule no longer matches loses that rule's downstream
// while an unsynchronized rule's stays (Kyverno's syncTriggerAction); a clone rule's downstream goes
// with its trigger; and GeneratingPolicies with `evaluation.synchronize`: Kyverno's labels, the
// downstream restored when deleted or changed, deleted when the trigger no longer matches or is
// deleted, and with the policy unless `orphanDownstreamOnPolicyDelete`.
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
const NS = 'sync';
const CM = (name: string, ns = NS) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const SECRET = (name: string, ns = NS) => `/api/v1/namespaces/${ns}/secrets/${name}`;

const generatingPolicy = (name: string, suffix: string, kind: 'Secret' | 'ConfigMap', orphan: boolean) => `
apiVersion: policies.kyverno.io/v1beta1
kind: GeneratingPolicy
metadata:
  name: ${name}
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [configmaps]
  matchConditions:
    - name: labelled
      expression: "object.metadata.?labels.?gp.orValue('') == 'yes'"
  evaluation:
    synchronize:
      enabled: true
    orphanDownstreamOnPolicyDelete:
      enabled: ${orphan}
  generate:
    - template:
        interpolate: cel
        value: |
          apiVersion: v1
          kind: ${kind}
          metadata:
            name: (( object.metadata.name ))-${suffix}
            namespace: (( object.metadata.namespace ))
          ${kind === 'Secret' ? 'stringData' : 'data'}:
            owner: (( object.metadata.name ))
`;

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: per-label
spec:
  rules:
    - name: synced
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  gen: "yes"
      generate:
        apiVersion: v1
        kind: Secret
        name: "{{request.object.metadata.name}}-synced"
        namespace: "{{request.object.metadata.namespace}}"
        synchronize: true
        data:
          stringData:
            owner: "{{request.object.metadata.name}}"
    - name: kept
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  gen: "yes"
      generate:
        apiVersion: v1
        kind: Secret
        name: "{{request.object.metadata.name}}-kept"
        namespace: "{{request.object.metadata.namespace}}"
        data:
          stringData:
            owner: "{{request.object.metadata.name}}"
    - name: cloned
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  clone: "yes"
      generate:
        apiVersion: v1
        kind: ConfigMap
        name: "{{request.object.metadata.name}}-clone"
        namespace: "{{request.object.metadata.namespace}}"
        synchronize: true
        clone:
          namespace: source
          name: shared
---
${generatingPolicy('gp-sync', 'gp', 'Secret', false)}
---
${generatingPolicy('gp-orphan', 'orphan', 'ConfigMap', true)}
`;

async function body(tb: Testbed, path: string): Promise<Record<string, unknown> | undefined> {
  const r = await tb.api('GET', path);
  return r.status === 200 ? (r.body as Record<string, unknown>) : undefined;
}

const gone = (tb: Testbed, path: string) => async () =>
  (await tb.api('GET', path)).status === 404 ? true : undefined;

const labelsOf = (o: Record<string, unknown> | undefined): Record<string, string> =>
  ((o?.metadata as { labels?: Record<string, string> })?.labels ?? {}) as Record<string, string>;

const decoded = (o: Record<string, unknown> | undefined, key: string): string =>
  Buffer.from(String((o?.data as Record<string, string> | undefined)?.[key] ?? ''), 'base64').toString();

describe('generate synchronization on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-generate-sync-'));
  /** Creates a ConfigMap trigger once the webhooks are in effect (their first requests may fail). */
  const trigger = async (name: string, labels: Record<string, string>) => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n  labels: ${JSON.stringify(labels)}\n`;
    const r = await eventually(`trigger ${name} created`, 30_000, async () => {
      const out = await tb.kubectl(['apply', '-f', '-'], yaml);
      return out.code === 0 ? out : undefined;
    });
    assert.equal(r.code, 0, r.stderr);
  };
  const relabel = async (name: string, label: string) => {
    const r = await tb.kubectl(['label', 'configmap', name, '-n', NS, label, '--overwrite']);
    assert.equal(r.code, 0, r.stderr);
  };

  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'source', NS])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    const source = await tb.kubectl([
      'create',
      'configmap',
      'shared',
      '-n',
      'source',
      '--from-literal=color=blue',
    ]);
    assert.equal(source.code, 0, source.stderr);
    for (const file of [
      'kyverno.io_clusterpolicies.yaml',
      'kyverno.io_policies.yaml',
      'policies.kyverno.io_generatingpolicies.yaml',
      'policies.kyverno.io_namespacedgeneratingpolicies.yaml',
    ]) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies')).status === 200 &&
      (await tb.api('GET', '/apis/policies.kyverno.io/v1beta1/generatingpolicies')).status === 200
        ? true
        : undefined,
    );
    await eventually('the policies applied', 30_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], POLICIES);
      return r.code === 0 ? true : undefined;
    });
    serve = await startLeadingServe(tb.kubeconfig, cert, key);
  });
  after(async () => {
    if (process.env.DUMP_SERVE_LOGS) for (const l of serve?.logs ?? []) console.log(JSON.stringify(l));
    await serve?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('a trigger that no longer matches loses its synchronized downstream and keeps the unsynchronized one', async () => {
    await trigger('app', { gen: 'yes' });
    await eventually('the synchronized Secret', 30_000, () => body(tb, SECRET('app-synced')));
    await eventually('the unsynchronized Secret', 30_000, () => body(tb, SECRET('app-kept')));
    await relabel('app', 'gen=no');
    await eventually('the synchronized Secret deleted', 30_000, gone(tb, SECRET('app-synced')));
    // Several resyncs later the create-once downstream is still there.
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal((await tb.api('GET', SECRET('app-kept'))).status, 200);
    // Matching again generates again.
    await relabel('app', 'gen=yes');
    await eventually('the synchronized Secret back', 30_000, () => body(tb, SECRET('app-synced')));
  });

  test('a synchronized clone goes with its trigger', async () => {
    await trigger('copier', { clone: 'yes' });
    const copy = await eventually('the clone', 30_000, () => body(tb, CM('copier-clone')));
    assert.deepEqual(copy.data, { color: 'blue' });
    assert.equal((await tb.kubectl(['delete', 'configmap', 'copier', '-n', NS])).code, 0);
    await eventually('the clone deleted', 30_000, gone(tb, CM('copier-clone')));
  });

  test('a GeneratingPolicy’s downstream carries Kyverno’s labels and is restored when deleted or changed', async () => {
    await trigger('web', { gp: 'yes' });
    const cm = await body(tb, CM('web'));
    const secret = await eventually('the generated Secret', 30_000, () => body(tb, SECRET('web-gp')));
    assert.equal(decoded(secret, 'owner'), 'web');
    assert.deepEqual(labelsOf(secret), {
      'app.kubernetes.io/managed-by': 'kyverno',
      'generate.kyverno.io/policy-name': 'gp-sync',
      'generate.kyverno.io/trigger-name': 'web',
      'generate.kyverno.io/trigger-namespace': NS,
      'generate.kyverno.io/trigger-uid': (cm?.metadata as { uid?: string } | undefined)?.uid,
      'generate.kyverno.io/trigger-kind': 'ConfigMap',
      'generate.kyverno.io/trigger-group': '',
      'generate.kyverno.io/trigger-version': 'v1',
    });
    assert.equal((await tb.api('DELETE', SECRET('web-gp'))).status, 200);
    const back = await eventually('the Secret restored', 30_000, () => body(tb, SECRET('web-gp')));
    assert.notEqual((back.metadata as { uid: string }).uid, (secret.metadata as { uid: string }).uid);
    const patched = await tb.kubectl([
      'patch',
      'secret',
      'web-gp',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"stringData":{"owner":"someone-else"}}',
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually('the Secret reverted', 30_000, async () =>
      decoded(await body(tb, SECRET('web-gp')), 'owner') === 'web' ? true : undefined,
    );
  });

  test('a GeneratingPolicy’s downstream goes when its trigger no longer matches, and when it is deleted', async () => {
    await trigger('relabelled', { gp: 'yes' });
    await trigger('removed', { gp: 'yes' });
    await eventually('both Secrets', 30_000, async () =>
      (await body(tb, SECRET('relabelled-gp'))) !== undefined &&
      (await body(tb, SECRET('removed-gp'))) !== undefined
        ? true
        : undefined,
    );
    await relabel('relabelled', 'gp=no');
    await eventually('the relabelled trigger’s Secret deleted', 30_000, gone(tb, SECRET('relabelled-gp')));
    assert.equal((await tb.kubectl(['delete', 'configmap', 'removed', '-n', NS])).code, 0);
    await eventually('the deleted trigger’s Secret deleted', 30_000, gone(tb, SECRET('removed-gp')));
    // The other trigger's downstream is untouched.
    assert.equal((await tb.api('GET', SECRET('web-gp'))).status, 200);
  });

  test('a GeneratingPolicy with generateExisting generates for triggers older than itself', async () => {
    await trigger('older', { old: 'yes' });
    const policy = generatingPolicy('gp-existing', 'existing', 'ConfigMap', false)
      .replace('.?gp.orValue', '.?old.orValue')
      .replace('  evaluation:\n', '  evaluation:\n    generateExisting:\n      enabled: true\n');
    const r = await tb.kubectl(['apply', '-f', '-'], policy);
    assert.equal(r.code, 0, r.stderr);
    const made = await eventually('the downstream of the older trigger', 30_000, () =>
      body(tb, CM('older-existing')),
    );
    assert.equal(labelsOf(made)['generate.kyverno.io/policy-name'], 'gp-existing');
  });

  test('a new leader finds a GeneratingPolicy’s downstream again and keeps it in sync', async () => {
    await eventually('web’s Secret', 30_000, () => body(tb, SECRET('web-gp')));
    await serve.kill();
    const { cert, key } = writeLoopbackCertificate(work);
    serve = await startLeadingServe(tb.kubeconfig, cert, key);
    const patched = await tb.kubectl([
      'patch',
      'secret',
      'web-gp',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"stringData":{"owner":"after-restart"}}',
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually('the Secret reverted by the new leader', 30_000, async () =>
      decoded(await body(tb, SECRET('web-gp')), 'owner') === 'web' ? true : undefined,
    );
  });

  test('deleting a GeneratingPolicy deletes its downstream, unless orphanDownstreamOnPolicyDelete', async () => {
    await eventually('both policies’ downstream for web', 30_000, async () =>
      (await body(tb, SECRET('web-gp'))) !== undefined && (await body(tb, CM('web-orphan'))) !== undefined
        ? true
        : undefined,
    );
    assert.equal((await tb.kubectl(['delete', 'generatingpolicy', 'gp-sync'])).code, 0);
    await eventually('the Secret deleted with its policy', 30_000, gone(tb, SECRET('web-gp')));
    assert.equal((await tb.kubectl(['delete', 'generatingpolicy', 'gp-orphan'])).code, 0);
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal((await tb.api('GET', CM('web-orphan'))).status, 200);
  });
});
