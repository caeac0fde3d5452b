// Generate on the real API server, beyond generate-sync.test.ts (issue #15): clones tracked by their
// source as Kyverno does (`generate.kyverno.io/source-uid`): a GeneratingPolicy's synchronized clone
// follows its source's changes and is deleted with it, and stays when its policy is deleted while
// the policy's other downstream goes; a ClusterPolicy's synchronized clone is deleted with its
// source. And triggers matching DELETE: a ClusterPolicy rule and a GeneratingPolicy whose match names
// DELETE generate from the deleted trigger.
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
const NS = 'work';
const CM = (name: string, ns = NS) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const SECRET = (name: string, ns = NS) => `/api/v1/namespaces/${ns}/secrets/${name}`;

const configMapRule = (operations = '[CREATE, UPDATE]') => `
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: ${operations}
        resources: [configmaps]`;

const POLICIES = `apiVersion: policies.kyverno.io/v1beta1
kind: GeneratingPolicy
metadata:
  name: gp-clone
spec:${configMapRule()}
  matchConditions:
    - name: labelled
      expression: "object.metadata.?labels.?gpclone.orValue('') == 'yes'"
  evaluation:
    synchronize:
      enabled: true
  variables:
    - name: source
      expression: resource.Get("v1", "secrets", "source", object.metadata.name + "-src")
  generate:
    - expression: generator.Apply(object.metadata.namespace, [variables.source])
---
apiVersion: policies.kyverno.io/v1beta1
kind: GeneratingPolicy
metadata:
  name: gp-keep
spec:${configMapRule()}
  matchConditions:
    - name: labelled
      expression: "object.metadata.?labels.?gpkeep.orValue('') == 'yes'"
  evaluation:
    synchronize:
      enabled: true
  generate:
    - expression: generator.Apply(object.metadata.namespace, [resource.Get("v1", "secrets", "source", "keep-src")])
    - template:
        interpolate: cel
        value: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: (( object.metadata.name ))-made
            namespace: (( object.metadata.namespace ))
          data:
            owner: (( object.metadata.name ))
---
apiVersion: policies.kyverno.io/v1beta1
kind: GeneratingPolicy
metadata:
  name: gp-farewell
spec:${configMapRule('[DELETE]')}
  matchConditions:
    - name: labelled
      expression: "oldObject != null && oldObject.metadata.?labels.?farewell.orValue('') == 'yes'"
  generate:
    - template:
        interpolate: cel
        value: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: (( oldObject.metadata.name ))-gp
            namespace: archive
          data:
            deleted: (( string(object == null) ))
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: legacy
spec:
  rules:
    - name: copy
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  lclone: "yes"
      generate:
        apiVersion: v1
        kind: Secret
        name: "{{request.object.metadata.name}}-copy"
        namespace: "{{request.object.metadata.namespace}}"
        synchronize: true
        clone:
          namespace: source
          name: legacy-src
    - name: farewell
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              operations: [DELETE]
              selector:
                matchLabels:
                  farewell: "yes"
      generate:
        apiVersion: v1
        kind: ConfigMap
        name: "{{request.object.metadata.name}}-gone"
        namespace: archive
        data:
          data:
            was: "{{request.object.metadata.name}}"
`;

async function body(tb: Testbed, path: string): Promise<Record<string, unknown> | undefined> {
  const r = await tb.api('GET', path);
  return r.status === 200 ? (r.body as Record<string, unknown>) : undefined;
}

const gone = (tb: Testbed, path: string) => async () =>
  (await tb.api('GET', path)).status === 404 ? true : undefined;

const labelsOf = (o: Record<string, unknown> | undefined): Record<string, string> =>
  ((o?.metadata as { labels?: Record<string, string> })?.labels ?? {}) as Record<string, string>;
const uidOf = (o: Record<string, unknown> | undefined): string =>
  (o?.metadata as { uid?: string } | undefined)?.uid ?? '';
const decoded = (o: Record<string, unknown> | undefined, key: string): string =>
  Buffer.from(String((o?.data as Record<string, string> | undefined)?.[key] ?? ''), 'base64').toString();

describe('generate: clones tracked by source, triggers matching DELETE (real API server)', {
  skip: testbedSkip(),
}, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-generate-sources-'));
  const kubectl = async (args: string[], input?: string) => {
    const r = await tb.kubectl(args, input);
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  const source = (name: string, value: string) =>
    kubectl(['create', 'secret', 'generic', name, '-n', 'source', `--from-literal=foo=${value}`]);
  /** Creates a ConfigMap trigger once the webhooks are in effect (their first requests may fail). */
  const trigger = async (name: string, labels: Record<string, string>) => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n  labels: ${JSON.stringify(labels)}\n`;
    let last = '';
    const r = await eventually(`trigger ${name} created`, 30_000, async () => {
      const out = await tb.kubectl(['apply', '-f', '-'], yaml);
      last = out.stderr;
      return out.code === 0 ? out : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}: ${last}`);
    });
    assert.equal(r.code, 0, r.stderr);
  };

  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'source', 'archive', NS]) await kubectl(['create', 'namespace', ns]);
    for (const file of [
      'kyverno.io_clusterpolicies.yaml',
      'kyverno.io_policies.yaml',
      'policies.kyverno.io_generatingpolicies.yaml',
      'policies.kyverno.io_namespacedgeneratingpolicies.yaml',
    ])
      await kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
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

  test('a GeneratingPolicy’s synchronized clone carries its source’s uid, follows it and goes with it', async () => {
    await source('a1-src', 'blue');
    const src = await body(tb, SECRET('a1-src', 'source'));
    await trigger('a1', { gpclone: 'yes' });
    const copy = await eventually('the clone', 30_000, () => body(tb, SECRET('a1-src')));
    assert.equal(decoded(copy, 'foo'), 'blue');
    assert.equal(labelsOf(copy)['generate.kyverno.io/source-uid'], uidOf(src));
    assert.equal(labelsOf(copy)['generate.kyverno.io/policy-name'], 'gp-clone');
    await kubectl([
      'patch',
      'secret',
      'a1-src',
      '-n',
      'source',
      '--type=merge',
      '-p',
      '{"stringData":{"foo":"green"}}',
    ]);
    await eventually('the clone follows its source', 30_000, async () =>
      decoded(await body(tb, SECRET('a1-src')), 'foo') === 'green' ? true : undefined,
    );
    await kubectl(['delete', 'secret', 'a1-src', '-n', 'source']);
    await eventually('the clone deleted with its source', 30_000, gone(tb, SECRET('a1-src')));
    // Its trigger is still there and matching: the clone does not come back.
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal((await tb.api('GET', SECRET('a1-src'))).status, 404);
  });

  test('a ClusterPolicy’s synchronized clone is deleted with its source', async () => {
    await source('legacy-src', 'x');
    const src = await body(tb, SECRET('legacy-src', 'source'));
    await trigger('c1', { lclone: 'yes' });
    const copy = await eventually('the clone', 30_000, () => body(tb, SECRET('c1-copy')));
    assert.equal(labelsOf(copy)['generate.kyverno.io/source-uid'], uidOf(src));
    assert.equal(labelsOf(copy)['generate.kyverno.io/source-name'], 'legacy-src');
    await kubectl(['delete', 'secret', 'legacy-src', '-n', 'source']);
    await eventually('the clone deleted with its source', 30_000, gone(tb, SECRET('c1-copy')));
  });

  test('deleting a GeneratingPolicy keeps its clones and deletes the rest of its downstream', async () => {
    await source('keep-src', 'kept');
    await trigger('b1', { gpkeep: 'yes' });
    await eventually('the clone and the generated ConfigMap', 30_000, async () =>
      (await body(tb, SECRET('keep-src'))) !== undefined && (await body(tb, CM('b1-made'))) !== undefined
        ? true
        : undefined,
    );
    await kubectl(['delete', 'generatingpolicy', 'gp-keep']);
    await eventually('the generated ConfigMap deleted with its policy', 30_000, gone(tb, CM('b1-made')));
    await new Promise((r) => setTimeout(r, 3000));
    const kept = await body(tb, SECRET('keep-src'));
    assert.equal(decoded(kept, 'foo'), 'kept', 'the clone stays');
  });

  test('a ClusterPolicy rule and a GeneratingPolicy matching DELETE generate from the deleted trigger', async () => {
    await trigger('d1', { farewell: 'yes' });
    const cm = await body(tb, CM('d1'));
    // Created, nothing is generated: the rules match DELETE only.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await tb.api('GET', CM('d1-gone', 'archive'))).status, 404);
    await kubectl(['delete', 'configmap', 'd1', '-n', NS]);
    const note = await eventually('the rule’s ConfigMap', 30_000, () => body(tb, CM('d1-gone', 'archive')));
    assert.deepEqual(note.data, { was: 'd1' });
    assert.equal(labelsOf(note)['generate.kyverno.io/trigger-uid'], uidOf(cm));
    assert.equal(labelsOf(note)['generate.kyverno.io/rule-name'], 'farewell');
    const gp = await eventually('the GeneratingPolicy’s ConfigMap', 30_000, () =>
      body(tb, CM('d1-gp', 'archive')),
    );
    assert.deepEqual(gp.data, { deleted: 'true' });
    assert.equal(labelsOf(gp)['generate.kyverno.io/policy-name'], 'gp-farewell');
  });
});
