// `palisade serve --kubeconfig` on a real API server: the policies come from the cluster (the
// generated CRDs installed, policies created and deleted with kubectl), namespace labels and RBAC
// bindings from its watches. AdmissionReviews go straight to serve's HTTPS endpoint (registering serve
// as the API server's webhook is test/e2e's other suite's business).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CRDS = join(ROOT, 'config/crds');

type Log = Record<string, unknown>;

const reviewOf = (uid: string, namespace: string, labels: Record<string, string> = {}, username = 'bob') => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid,
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    name: 'cm',
    namespace,
    operation: 'CREATE',
    userInfo: { username, groups: ['system:authenticated'] },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace, labels } },
    oldObject: null,
    dryRun: false,
  },
});

/** An Enforce ClusterPolicy requiring `label` on ConfigMaps matched by `match`. */
const requireLabel = (name: string, label: string, match: Record<string, unknown> = {}) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name },
  spec: {
    validationFailureAction: 'Enforce',
    background: false,
    rules: [
      {
        name: 'check',
        match: { any: [{ resources: { kinds: ['ConfigMap'] }, ...match }] },
        validate: {
          message: `label ${label} is required`,
          pattern: { metadata: { labels: { [label]: '?*' } } },
        },
      },
    ],
  },
});

describe('palisade serve with the cluster as its policy source', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let child: ChildProcess;
  let work: string;
  let cert: string;
  let base = '';
  const logs: Log[] = [];

  const kubectl = async (args: string[], input?: unknown): Promise<string> => {
    const r = await tb.kubectl(args, input === undefined ? undefined : JSON.stringify(input));
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  const review = (path: string, body: unknown): Promise<{ allowed: boolean; message?: string }> =>
    new Promise((done, fail) => {
      const req = httpsRequest(
        `${base}${path}`,
        { method: 'POST', ca: readFileSync(cert), headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => {
            const r = (JSON.parse(text) as { response: { allowed: boolean; status?: { message?: string } } })
              .response;
            done({
              allowed: r.allowed,
              ...(r.status?.message !== undefined ? { message: r.status.message } : {}),
            });
          });
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify(body));
    });

  const status = (path: string): Promise<number> =>
    new Promise((done, fail) => {
      httpsRequest(`${base}${path}`, { ca: readFileSync(cert) }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      })
        .on('error', fail)
        .end();
    });

  /** The latest policy set serve loaded from the cluster. */
  const lastLoad = (): Log | undefined => logs.filter((l) => l.msg === 'policy set loaded').at(-1);
  const untilLoaded = (what: string, policies: number): Promise<Log> =>
    eventually(what, 20_000, async () => {
      const l = lastLoad();
      return l !== undefined && l.policies === policies ? l : undefined;
    });

  before(async () => {
    tb = await startTestbed();
    work = mkdtempSync(join(tmpdir(), 'palisade-serve-cluster-'));
    ({ cert } = writeLoopbackCertificate(work));
    await kubectl(['apply', '--server-side', '-f', CRDS]);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', CRDS]);
    await kubectl(['create', 'namespace', 'prod-apps']);
    await kubectl(['label', 'namespace', 'prod-apps', 'env=prod']);
    await kubectl(['create', 'namespace', 'dev-apps']);
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/main.ts'),
        'serve',
        '--kubeconfig',
        tb.kubeconfig,
        '--tls-cert',
        cert,
        '--tls-key',
        join(work, 'key.pem'),
        '--port',
        '0',
        '--watch-debounce',
        '100ms',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KUBECONFIG: '' } },
    );
    let buffered = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') logs.push(JSON.parse(line) as Log);
    });
    const listening = await eventually('listening', 30_000, async () =>
      logs.find((l) => l.msg === 'listening'),
    );
    base = String(listening.url);
  });

  after(async () => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    await tb?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test('ready once every collection is listed: an empty cluster is an empty set', async () => {
    const first = await untilLoaded('the first set', 0);
    assert.equal(first.source, 'cluster');
    await eventually('readiness', 10_000, async () =>
      (await status('/health/readiness')) === 200 ? true : undefined,
    );
    assert.deepEqual(await review('/validate/fail', reviewOf('u0', 'dev-apps')), { allowed: true });
    const listening = logs.find((l) => l.msg === 'listening');
    assert.equal(listening?.source, 'cluster');
  });

  test('a ClusterPolicy created through the API denies; deleted, it admits again', async () => {
    await kubectl(['apply', '-f', '-'], requireLabel('require-team', 'team'));
    await untilLoaded('require-team loaded', 1);
    const denied = await review('/validate/fail', reviewOf('u1', 'dev-apps'));
    assert.equal(denied.allowed, false);
    assert.match(denied.message ?? '', /blocked due to the following policies/);
    assert.match(denied.message ?? '', /require-team:\s+check: .*label team is required/s);
    assert.deepEqual(await review('/validate/fail', reviewOf('u2', 'dev-apps', { team: 'a' })), {
      allowed: true,
    });
    await kubectl(['delete', 'clusterpolicy', 'require-team']);
    await untilLoaded('require-team gone', 0);
    assert.deepEqual(await review('/validate/fail', reviewOf('u3', 'dev-apps')), { allowed: true });
  });

  test('namespaceSelector matches the labels of the namespace, as the cluster has them now', async () => {
    await kubectl(
      ['apply', '-f', '-'],
      requireLabel('prod-owner', 'owner', {
        resources: { kinds: ['ConfigMap'], namespaceSelector: { matchLabels: { env: 'prod' } } },
      }),
    );
    await untilLoaded('prod-owner loaded', 1);
    assert.equal((await review('/validate/fail', reviewOf('n1', 'prod-apps'))).allowed, false);
    assert.equal((await review('/validate/fail', reviewOf('n2', 'dev-apps'))).allowed, true);
    await kubectl(['label', 'namespace', 'dev-apps', 'env=prod']);
    await eventually('dev-apps relabelled', 10_000, async () =>
      (await review('/validate/fail', reviewOf('n3', 'dev-apps'))).allowed ? undefined : true,
    );
    await kubectl(['delete', 'clusterpolicy', 'prod-owner']);
    await untilLoaded('prod-owner gone', 0);
  });

  test('roles come from the RBAC bindings of the user', async () => {
    await kubectl(['create', 'role', 'editor', '-n', 'prod-apps', '--verb=get', '--resource=configmaps']);
    await kubectl([
      'create',
      'rolebinding',
      'alice-editor',
      '-n',
      'prod-apps',
      '--role=editor',
      '--user=alice',
    ]);
    await kubectl(
      ['apply', '-f', '-'],
      requireLabel('editors-need-reason', 'reason', { roles: ['prod-apps:editor'] }),
    );
    await untilLoaded('editors-need-reason loaded', 1);
    const alice = await eventually('alice is an editor', 10_000, async () => {
      const r = await review('/validate/fail', reviewOf('r1', 'prod-apps', {}, 'alice'));
      return r.allowed ? undefined : r;
    });
    assert.match(alice.message ?? '', /label reason is required/);
    assert.equal((await review('/validate/fail', reviewOf('r2', 'prod-apps', {}, 'bob'))).allowed, true);
    await kubectl(['delete', 'clusterpolicy', 'editors-need-reason']);
    await untilLoaded('editors-need-reason gone', 0);
  });

  test('a policy that does not compile is left out and named; the others are served', async () => {
    const broken = {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ValidatingPolicy',
      metadata: { name: 'broken-cel' },
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
        validations: [{ expression: 'object.metadata.labels.(((' }],
      },
    };
    await kubectl(['apply', '-f', '-'], broken);
    await kubectl(['apply', '-f', '-'], requireLabel('require-team', 'team'));
    const load = await untilLoaded('require-team loaded beside the broken one', 1);
    assert.deepEqual(load.rejected, ['ValidatingPolicy/broken-cel']);
    const named = logs.find((l) => l.msg === 'policy left out of the set: it does not compile');
    assert.equal(named?.policy, 'ValidatingPolicy/broken-cel');
    assert.equal((await review('/validate/fail', reviewOf('b1', 'dev-apps'))).allowed, false);
  });

  test('Kubernetes admission policies and their bindings come from admissionregistration.k8s.io/v1', async () => {
    const rules = [
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
    ];
    await kubectl(['apply', '-f', '-'], {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'vap-small' },
      spec: {
        matchConstraints: { resourceRules: rules },
        validations: [{ expression: 'size(object.data) < 100' }],
      },
    });
    await kubectl(['apply', '-f', '-'], {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'vap-small' },
      spec: { policyName: 'vap-small', validationActions: ['Deny'] },
    });
    // Two ClusterPolicy/ValidatingPolicy objects (one left out), the VAP and its binding.
    const load = await eventually('the VAP and its binding loaded', 20_000, async () => {
      const l = lastLoad();
      return l?.objects === 4 ? l : undefined;
    });
    assert.equal(load.policies, 2);
  });

  test('SIGTERM stops it cleanly', async () => {
    const exited = new Promise((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
