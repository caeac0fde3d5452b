// The background controllers call out through serve's own ports (issue #15): a background scan of a
// policy that reads a GlobalContextEntry sees the entry serve keeps (before, the controllers had
// ports of their own without GlobalContextEntries, and such rules ended in `error`), on the real API
// server; and \`palisade controller reports\` keeps the entries itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import {
  removeWebhookConfigurations,
  type ServeProcess,
  startController,
  startLeadingServe,
} from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const POLR = '/apis/wgpolicyk8s.io/v1alpha2';
const NS = 'bg-ports';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: known-namespace
spec:
  background: true
  rules:
    - name: known
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              namespaces: [${NS}]
              selector:
                matchExpressions:
                  - {key: points-to, operator: Exists}
      context:
        - name: known
          globalReference:
            name: namespaces.names
      validate:
        failureAction: Audit
        message: 'namespace {{ request.object.metadata.labels."points-to" }} does not exist'
        deny:
          conditions:
            any:
              - key: '{{ request.object.metadata.labels."points-to" }}'
                operator: AnyNotIn
                value: '{{ known }}'
`;

interface Report {
  results?: { policy: string; rule: string; result: string; message?: string }[];
}

describe('background scans read serve’s GlobalContextEntries', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess | undefined;
  let controller: ServeProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'palisade-bg-ports-'));

  before(async () => {
    tb = await startTestbed();
    for (const ns of ['palisade', NS]) assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    for (const file of [
      'kyverno.io_clusterpolicies.yaml',
      'kyverno.io_globalcontextentries.yaml',
      'wgpolicyk8s.io_policyreports.yaml',
      'wgpolicyk8s.io_clusterpolicyreports.yaml',
    ]) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v2beta1/globalcontextentries')).status === 200 &&
      (await tb.api('GET', `${POLR}/policyreports`)).status === 200
        ? true
        : undefined,
    );
    const entry = await tb.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: kyverno.io/v2beta1
kind: GlobalContextEntry
metadata: {name: namespaces}
spec:
  kubernetesResource: {version: v1, resource: namespaces}
  projections:
    - {name: names, jmesPath: '[].metadata.name'}
`,
    );
    assert.equal(entry.code, 0, entry.stderr);
    const objects = await tb.kubectl(
      ['apply', '-f', '-'],
      [
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: real, namespace: ${NS}, labels: {points-to: ${NS}}}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: made-up, namespace: ${NS}, labels: {points-to: nowhere}}\n`,
      ].join('---\n'),
    );
    assert.equal(objects.code, 0, objects.stderr);
    await eventually('the policy applied', 30_000, async () =>
      (await tb.kubectl(['apply', '-f', '-'], POLICY)).code === 0 ? true : undefined,
    );
    const tls = writeLoopbackCertificate(work);
    serve = await startLeadingServe(tb.kubeconfig, tls.cert, tls.key, ['--background-scan-interval', '3s']);
  });
  after(async () => {
    await serve?.kill();
    await controller?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const resultOf = async (name: string): Promise<string | undefined> => {
    const cm = await tb.api('GET', `/api/v1/namespaces/${NS}/configmaps/${name}`);
    const uid = (cm.body as { metadata: { uid: string } }).metadata.uid;
    const r = await tb.api('GET', `${POLR}/namespaces/${NS}/policyreports/${uid}`);
    if (r.status !== 200) return undefined;
    return (r.body as Report).results?.find((x) => x.policy === 'known-namespace')?.result;
  };

  test('a ConfigMap naming an existing namespace passes, one naming none fails (not error)', async () => {
    // The entry is loaded shortly after serve starts: a scan before that may say error, so wait
    // for the settled verdicts of the rescans.
    const settled = await eventually('both reports settled', 60_000, async () => {
      const [real, madeUp] = [await resultOf('real'), await resultOf('made-up')];
      return real === 'pass' && madeUp === 'fail' ? { real, madeUp } : undefined;
    });
    assert.deepEqual(settled, { real: 'pass', madeUp: 'fail' });
  });

  test('palisade controller reports keeps GlobalContextEntries of its own', async () => {
    await serve?.kill();
    serve = undefined;
    const del = await tb.kubectl(['delete', 'policyreports', '--all', '-n', NS]);
    assert.equal(del.code, 0, del.stderr);
    controller = startController('reports', tb.kubeconfig, 'reports-1', ['--background-scan-interval', '3s']);
    const settled = await eventually('both reports written again', 60_000, async () => {
      const [real, madeUp] = [await resultOf('real'), await resultOf('made-up')];
      return real === 'pass' && madeUp === 'fail' ? { real, madeUp } : undefined;
    });
    assert.deepEqual(settled, { real: 'pass', madeUp: 'fail' });
  });
});
