// The chart with reportsController.separate and backgroundController.separate on the real API
// server (docs/decisions/0021): each of serve, `palisade controller reports` and `palisade
// controller background` runs as a local process with the token of its own ServiceAccount, and
// together they do the work (a report with the admission result serve recorded, a generated
// NetworkPolicy) without a single refusal; each account is denied what belongs to another.
// (No kubelet here: the Deployments' pods never start.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { helmTemplate, NAMESPACE } from '../../scripts/manifests.js';
import { REPORT_AND_GENERATE_POLICIES } from '../support/controller-policies.js';
import { helm, helmSkip } from '../support/helm.js';
import { refusedCalls } from '../support/refused-calls.js';
import {
  freePort,
  removeWebhookConfigurations,
  type ServeProcess,
  startController,
  startServe,
} from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const POLR = '/apis/wgpolicyk8s.io/v1alpha2';

const POLICIES = REPORT_AND_GENERATE_POLICIES;

const skip = testbedSkip() || helmSkip();

describe('separate reports and background controllers with the chart’s accounts', { skip }, () => {
  let tb: Testbed;
  const dir = mkdtempSync(join(tmpdir(), 'palisade-separate-rbac-'));
  const processes: ServeProcess[] = [];

  /** A kubeconfig with the token of ServiceAccount `account` in the release namespace. */
  const kubeconfigOf = async (account: string): Promise<string> => {
    const token = await tb.kubectl(['create', 'token', account, '-n', NAMESPACE, '--duration=1h']);
    assert.equal(token.code, 0, token.stderr);
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, tb.caPem);
    const file = join(dir, `${account}.kubeconfig`);
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'testbed', cluster: { server: tb.server, 'certificate-authority': caFile } }],
        users: [{ name: account, user: { token: token.stdout.trim() } }],
        contexts: [{ name: account, context: { cluster: 'testbed', user: account } }],
        'current-context': account,
      }),
    );
    return file;
  };
  const allowed = async (account: string, attrs: Record<string, string>): Promise<boolean> => {
    const r = await tb.api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${NAMESPACE}:${account}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${NAMESPACE}`, 'system:authenticated'],
        resourceAttributes: attrs,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (r.body as { status: { allowed?: boolean } }).status.allowed === true;
  };

  before(async () => {
    tb = await startTestbed();
    const rendered = helmTemplate(helm, [
      '--include-crds',
      '--set',
      'namespace.create=true',
      '--set',
      'reportsController.separate=true',
      '--set',
      'backgroundController.separate=true',
    ]);
    const applied = await tb.kubectl(['apply', '--server-side', '-f', '-'], rendered);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await tb.kubectl(['create', 'namespace', 'apps'])).code, 0);
    await eventually('the policies applied', 30_000, async () =>
      (await tb.kubectl(['apply', '-f', '-'], POLICIES)).code === 0 ? true : undefined,
    );
  });
  after(async () => {
    for (const p of processes) await p.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each account denies what belongs to another', async () => {
    const report = { verb: 'create', group: 'wgpolicyk8s.io', resource: 'policyreports', namespace: 'apps' };
    const netpol = {
      verb: 'create',
      group: 'networking.k8s.io',
      resource: 'networkpolicies',
      namespace: 'x',
    };
    const webhook = {
      verb: 'create',
      group: 'admissionregistration.k8s.io',
      resource: 'validatingwebhookconfigurations',
    };
    const lease = (name: string) => ({
      verb: 'update',
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: NAMESPACE,
      name,
    });
    const events = (verb: string) => ({
      verb,
      group: 'events.k8s.io',
      resource: 'events',
      namespace: 'apps',
    });
    const table: [string, Record<string, string>, boolean][] = [
      // Every process emits Kyverno's events (docs/decisions/0022).
      ['palisade', events('create'), true],
      ['palisade', events('patch'), true],
      ['palisade-reports-controller', events('create'), true],
      ['palisade-reports-controller', events('patch'), true],
      ['palisade-background-controller', events('create'), true],
      ['palisade-background-controller', events('patch'), true],
      ['palisade-background-controller', events('delete'), false],
      ['palisade', report, false],
      ['palisade', netpol, false],
      // Admission evaluates generate rules, which read whether their targets exist.
      ['palisade', { ...netpol, verb: 'get' }, true],
      ['palisade', webhook, true],
      ['palisade-reports-controller', report, true],
      ['palisade-reports-controller', netpol, false],
      ['palisade-reports-controller', webhook, false],
      ['palisade-reports-controller', lease('palisade-reports-controller'), true],
      ['palisade-reports-controller', lease('palisade'), false],
      ['palisade-background-controller', netpol, true],
      ['palisade-background-controller', report, false],
      ['palisade-background-controller', webhook, false],
      ['palisade-background-controller', lease('palisade-background-controller'), true],
      ['palisade-background-controller', lease('palisade-reports-controller'), false],
    ];
    const wrong: string[] = [];
    for (const [account, attrs, want] of table)
      if ((await allowed(account, attrs)) !== want)
        wrong.push(`${account} ${attrs.verb} ${attrs.resource} ${attrs.name ?? ''}: want ${want}`);
    assert.deepEqual(wrong, []);
  });

  test('serve, reports and background with their own tokens do the work without a refusal', async () => {
    const port = await freePort();
    const serve = startServe([
      '--kubeconfig',
      await kubeconfigOf('palisade'),
      '--port',
      String(port),
      '--namespace',
      NAMESPACE,
      '--lease-name',
      'palisade',
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--retry-period',
      '500ms',
      '--resync-period',
      '2s',
      '--reports-controller=false',
      '--background-controller=false',
    ]);
    processes.push(serve);
    await serve.waitFor('webhook configurations reconciled', 60_000);
    const reports = startController('reports', await kubeconfigOf('palisade-reports-controller'), 'r-0', [
      '--resync-period',
      '1s',
      '--lease-name',
      'palisade-reports-controller',
    ]);
    const background = startController(
      'background',
      await kubeconfigOf('palisade-background-controller'),
      'b-0',
      ['--resync-period', '1s', '--lease-name', 'palisade-background-controller'],
    );
    processes.push(reports, background);
    const started = async (p: ServeProcess, msg: string): Promise<void> => {
      try {
        await p.waitFor(msg, 60_000);
      } catch (err) {
        const tail = p.logs.slice(-15).map((l) => JSON.stringify(l));
        throw new Error(`${String(err)}; its log:\n${tail.join('\n')}`);
      }
    };
    await started(reports, 'reports controller started');
    await started(background, 'generate controller started');

    let attempt = 0;
    const want = JSON.stringify(['require-owner=fail admission review', 'require-team=fail background scan']);
    await eventually('the report with serve’s admission result', 60_000, async () => {
      // Applied again (a real update) until the webhook, just registered, is called.
      attempt += 1;
      const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: apps\n  labels: {attempt: "${attempt}"}\n`;
      assert.equal((await tb.kubectl(['apply', '-f', '-'], cm)).code, 0);
      const uid = (
        (await tb.api('GET', '/api/v1/namespaces/apps/configmaps/bad')).body as { metadata: { uid: string } }
      ).metadata.uid;
      await new Promise((r) => setTimeout(r, 1_000));
      const r = await tb.api('GET', `${POLR}/namespaces/apps/policyreports/${uid}`);
      const got = (
        (r.body as { results?: { policy: string; result: string; properties?: { process?: string } }[] })
          .results ?? []
      )
        .map((x) => `${x.policy}=${x.result} ${x.properties?.process ?? ''}`)
        .sort();
      return r.status === 200 && JSON.stringify(got) === want ? true : undefined;
    });
    // The webhook is in effect now: the namespace's generate request is recorded by serve.
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tenant\n  labels: {tenant: "yes"}\n';
    assert.equal((await tb.kubectl(['apply', '-f', '-'], ns)).code, 0);
    await eventually('the generated NetworkPolicy', 60_000, async () =>
      (await tb.api('GET', '/apis/networking.k8s.io/v1/namespaces/tenant/networkpolicies/default-deny'))
        .status === 200
        ? true
        : undefined,
    ).catch(async (err: unknown) => {
      const notable = [...serve.logs, ...background.logs].filter(
        (l) => l.level !== 'info' || /generat/.test(l.msg),
      );
      const records = await tb.kubectl(['get', 'configmaps', '-n', NAMESPACE, '--show-labels']);
      throw new Error(
        `${String(err)}; warnings:\n${notable.map((l) => JSON.stringify(l)).join('\n')}\n${records.stdout}`,
      );
    });
    // Their events, written with their own tokens: admission's audit violation on the ConfigMap, the
    // scan's on it too.
    await eventually('the admission and scan events on the ConfigMap', 30_000, async () => {
      const r = await tb.api('GET', '/apis/events.k8s.io/v1/namespaces/apps/events');
      const items =
        (r.body as { items?: { reportingController: string; reason: string; regarding: { name: string } }[] })
          .items ?? [];
      const on = (source: string) =>
        items.some(
          (e) =>
            e.reportingController === source && e.reason === 'PolicyViolation' && e.regarding.name === 'bad',
        );
      return on('kyverno-admission') && on('kyverno-scan') ? true : undefined;
    });
    for (const [name, p] of [
      ['serve', serve],
      ['reports', reports],
      ['background', background],
    ] as const) {
      const refused = refusedCalls(p.logs);
      assert.deepEqual(refused, [], `${name} was refused a call`);
    }
  });
});
