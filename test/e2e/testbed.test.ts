// The test cluster itself (docs/testbed.md), before any Palisade code runs in it: the API server answers,
// kubectl writes objects, the controller-manager gives namespaces their ServiceAccount and finishes
// deleting them, and a webhook registered by clientConfig.url + caBundle on loopback is called by the
// API server, its denial reaching kubectl. Skipped without the binaries (scripts/testbed/build.sh).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  eventually,
  loopbackCertificate,
  runCommand,
  SCRIPTS,
  startTestbed,
  type Testbed,
  testbedSkip,
} from '../support/testbed.js';

const NS = 'testbed-e2e';
const DENY_LABEL = 'palisade.test/deny';
const WEBHOOK = 'deny-labelled.testbed.palisade.dev';

interface Review {
  request: { uid: string; name?: string; dryRun?: boolean; object?: { metadata?: { labels?: object } } };
}

/** A webhook that denies objects carrying DENY_LABEL and records every request it gets. */
async function denyingWebhook(): Promise<{ server: Server; url: string; caPem: string; seen: Review[] }> {
  const { certPem, keyPem } = loopbackCertificate();
  const seen: Review[] = [];
  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      const review = JSON.parse(body) as Review;
      seen.push(review);
      const deny = DENY_LABEL in (review.request.object?.metadata?.labels ?? {});
      const response = deny
        ? { allowed: false, status: { code: 403, message: `label ${DENY_LABEL} is not allowed here` } }
        : { allowed: true };
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, ...response },
        }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { server, url: `https://127.0.0.1:${port}/validate`, caPem: certPem, seen };
}

const configMap = (name: string, labels: Record<string, string> = {}): string =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NS, labels },
    data: { a: '1' },
  });

describe('the test cluster', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
  });
  after(async () => {
    await tb?.stop();
  });

  test('the API server is ready and reports the version it was built as', async () => {
    const version = await tb.api('GET', '/version');
    assert.equal(version.status, 200);
    assert.equal((version.body as { gitVersion: string }).gitVersion, 'v1.37.2');
    const kubectl = await tb.kubectl(['version', '-o', 'json']);
    assert.equal(kubectl.code, 0, kubectl.stderr);
    assert.equal(
      (JSON.parse(kubectl.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion,
      'v1.37.2',
    );
  });

  test('kubectl creates a namespace and a ConfigMap in it', async () => {
    const ns = await tb.kubectl(['create', 'namespace', NS]);
    assert.equal(ns.code, 0, ns.stderr);
    const cm = await tb.kubectl(['create', '-f', '-'], configMap('plain'));
    assert.equal(cm.code, 0, cm.stderr);
    const got = await tb.api('GET', `/api/v1/namespaces/${NS}/configmaps/plain`);
    assert.equal(got.status, 200);
    assert.deepEqual((got.body as { data: unknown }).data, { a: '1' });
  });

  test('the controller-manager gives the namespace its default ServiceAccount', async () => {
    const sa = await eventually('ServiceAccount default', 30_000, async () => {
      const r = await tb.api('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`);
      return r.status === 200 ? r.body : undefined;
    });
    assert.equal((sa as { metadata: { namespace: string } }).metadata.namespace, NS);
  });

  test('a webhook at clientConfig.url on loopback is called, and its denial reaches kubectl', async () => {
    const hook = await denyingWebhook();
    try {
      const config = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'palisade-testbed-e2e' },
        webhooks: [
          {
            name: WEBHOOK,
            clientConfig: { url: hook.url, caBundle: Buffer.from(hook.caPem).toString('base64') },
            rules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['configmaps'],
                scope: 'Namespaced',
              },
            ],
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } },
            failurePolicy: 'Fail',
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            timeoutSeconds: 5,
          },
        ],
      };
      const created = await tb.kubectl(['create', '-f', '-'], JSON.stringify(config));
      assert.equal(created.code, 0, created.stderr);

      // A new configuration takes effect within a moment: probe with server-side dry runs.
      await eventually('the webhook to take effect', 10_000, async () => {
        const r = await tb.kubectl(
          ['create', '--dry-run=server', '-f', '-'],
          configMap('probe', { [DENY_LABEL]: 'x' }),
        );
        return r.code !== 0 ? true : undefined;
      });
      assert.ok(hook.seen.some((r) => r.request.dryRun === true));

      const denied = await tb.kubectl(['create', '-f', '-'], configMap('labelled', { [DENY_LABEL]: 'yes' }));
      assert.notEqual(denied.code, 0);
      assert.match(
        denied.stderr,
        new RegExp(
          `admission webhook "${WEBHOOK}" denied the request: label ${DENY_LABEL} is not allowed here`,
        ),
      );
      const absent = await tb.api('GET', `/api/v1/namespaces/${NS}/configmaps/labelled`);
      assert.equal(absent.status, 404);

      const allowed = await tb.kubectl(['create', '-f', '-'], configMap('unlabelled'));
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.ok(hook.seen.some((r) => r.request.name === 'unlabelled' && r.request.dryRun !== true));

      const removed = await tb.kubectl(['delete', 'validatingwebhookconfiguration', 'palisade-testbed-e2e']);
      assert.equal(removed.code, 0, removed.stderr);
    } finally {
      hook.server.close();
    }
  });

  test('chainsaw runs a suite against the cluster (scripts/testbed/chainsaw.sh)', async () => {
    const suite = resolve(import.meta.dirname, 'chainsaw-smoke');
    const r = await runCommand(join(SCRIPTS, 'chainsaw.sh'), [suite], { KUBECONFIG: tb.kubeconfig });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Passed\s+tests 1\b/);
    assert.match(r.stdout, /Failed\s+tests 0\b/);
  });

  test('a deleted namespace finishes deleting (namespace controller)', async () => {
    const r = await tb.kubectl(['delete', 'namespace', NS, '--wait=false']);
    assert.equal(r.code, 0, r.stderr);
    await eventually('namespace gone', 60_000, async () => {
      const got = await tb.api('GET', `/api/v1/namespaces/${NS}`);
      return got.status === 404 ? true : undefined;
    });
  });

  test('stop() ends every process of the cluster and removes its dir', async () => {
    const pids = readFileSync(resolve(tb.dir, 'pids'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(' ')[0]));
    assert.equal(pids.length, 3);
    await tb.stop();
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid}`);
    assert.throws(() => readFileSync(resolve(tb.dir, 'pids')));
  });
});

describe('the test cluster dies with its test process', { skip: testbedSkip() }, () => {
  test('a process killed with SIGKILL leaves no cluster behind', async () => {
    // A child process starts a cluster, prints its dir and pids, and is then killed outright.
    const script = `
      import { readFileSync } from 'node:fs';
      import { startTestbed } from ${JSON.stringify(resolve(import.meta.dirname, '../support/testbed.ts'))};
      const tb = await startTestbed();
      console.log(readFileSync(tb.dir + '/pids', 'utf8').trim().split('\\n').map((l) => l.split(' ')[0]).join(','));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) done(out.trim());
      });
      child.on('exit', (code) => fail(new Error(`child exited (${code}) before the cluster was up`)));
    });
    const pids = line.split(',').map(Number);
    assert.equal(pids.length, 3);
    assert.ok(pids.every(alive));
    child.kill('SIGKILL');
    await eventually('every cluster process to exit', 20_000, async () =>
      pids.some(alive) ? undefined : true,
    );
  });
});

/** Running (a zombie, exited but not yet reaped, counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
