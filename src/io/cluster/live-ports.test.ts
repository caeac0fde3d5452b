// The live ports against a real API server (the testbed) and local HTTP(S) services: what each
// call answers, and how each way of failing becomes a port error rather than a rejection.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../../../test/support/loopback-certificate.js';
import { startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import type { AsyncPorts, KubeObject, PortResult } from '../../engine/index.js';
import { DEFAULT_HTTP_BLOCKLIST, egressPolicy } from './egress-policy.js';
import { loadKubeConfig } from './kube-client.js';
import { createLivePorts } from './live-ports.js';

const NS = 'live-ports';
const open = () => ({ signal: new AbortController().signal });

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done(String((server.address() as AddressInfo).port))),
  );
}

function value<T>(r: PortResult<T>): T {
  assert.ok(r.ok, r.ok ? '' : `${r.code}: ${r.message}`);
  return r.value;
}

describe('live ports', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let ports: AsyncPorts;
  let work: string;
  let caPem: string;
  let httpsUrl = '';
  let httpUrl = '';
  const servers: Server[] = [];

  before(async () => {
    tb = await startTestbed();
    ports = createLivePorts({
      kubeConfig: loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} }).config,
      maxResponseBytes: 64 * 1024,
      callTimeoutMs: 5_000,
    });
    for (const args of [
      ['create', 'namespace', NS],
      ['create', 'configmap', 'settings', '-n', NS, '--from-literal=mode=strict'],
      ['run', 'p1', '-n', NS, '--image=nginx', '--restart=Never'],
    ]) {
      const r = await tb.kubectl(args);
      assert.equal(r.code, 0, r.stderr);
    }
    work = mkdtempSync(join(tmpdir(), 'palisade-live-ports-'));
    const { cert, key } = writeLoopbackCertificate(work);
    caPem = readFileSync(cert, 'utf8');
    // One handler for both services: `/echo` answers what it got, `/big` too much, `/status/N` N,
    // `/text` no JSON, `/hang` never.
    const handler: Parameters<typeof createHttpServer>[1] = (req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        const path = req.url ?? '';
        const status = /^\/status\/(\d+)$/.exec(path)?.[1];
        if (path === '/hang') return;
        if (path === '/big') res.end(JSON.stringify({ blob: 'x'.repeat(100 * 1024) }));
        else if (path === '/text') res.end('<html>hello</html>');
        else if (status !== undefined) {
          res.statusCode = Number(status);
          res.end('{"message":"no such thing"}');
        } else {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ method: req.method, path, header: req.headers['x-team'] ?? null, body }));
        }
      });
    };
    const https = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, handler);
    const http = createHttpServer(handler);
    servers.push(https, http);
    httpsUrl = `https://127.0.0.1:${await listen(https)}`;
    httpUrl = `http://127.0.0.1:${await listen(http)}`;
  });

  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await tb?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test('get: an object with its apiVersion and kind; a missing one is undefined, not an error', async () => {
    const cluster = ports.cluster;
    assert.ok(cluster);
    const cm = value(await cluster.get('v1', 'ConfigMap', NS, 'settings', open())) as KubeObject;
    assert.equal(cm.apiVersion, 'v1');
    assert.equal(cm.kind, 'ConfigMap');
    assert.deepEqual(cm.data, { mode: 'strict' });
    assert.equal(value(await cluster.get('v1', 'ConfigMap', NS, 'absent', open())), undefined);
    const ns = value(await cluster.get('v1', 'Namespace', undefined, NS, open())) as KubeObject;
    assert.equal(ns.metadata?.name, NS);
  });

  test('list: namespaced or cluster-wide, items stamped with their kind', async () => {
    const cluster = ports.cluster;
    assert.ok(cluster);
    const pods = value(await cluster.list('v1', 'Pod', NS, open()));
    assert.deepEqual(
      pods.map((p) => [p.kind, p.metadata?.name]),
      [['Pod', 'p1']],
    );
    const namespaces = value(await cluster.list('v1', 'Namespace', undefined, open()));
    assert.ok(namespaces.some((n) => n.metadata?.name === NS && n.kind === 'Namespace'));
    const classes = value(await cluster.list('scheduling.k8s.io/v1', 'PriorityClass', undefined, open()));
    assert.ok(classes.some((c) => c.metadata?.name === 'system-node-critical' && c.kind === 'PriorityClass'));
  });

  test('a kind the server does not serve is a not-found error naming it', async () => {
    const r = await ports.cluster?.get('v1', 'Widget', NS, 'w', open());
    assert.deepEqual(r, {
      ok: false,
      code: 'not-found',
      message: `get v1 Widget ${NS}/w: the API server serves no resource of kind Widget in v1`,
    });
    const g = await ports.cluster?.list('nope.example.io/v1', 'Thing', undefined, open());
    assert.equal(g?.ok === false ? g.code : '', 'not-found');
  });

  test('apiCall urlPath: the raw JSON answer of the API server, GET and POST', async () => {
    const caller = ports.apiCaller;
    assert.ok(caller);
    const pods = value(
      await caller.call({ urlPath: `/api/v1/namespaces/${NS}/pods`, method: 'GET' }, open()),
    );
    assert.equal((pods as { kind: string }).kind, 'PodList');
    const review = value(
      await caller.call(
        {
          urlPath: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          method: 'POST',
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: NS } },
          },
        },
        open(),
      ),
    ) as { status: { allowed: boolean } };
    assert.equal(review.status.allowed, true);
  });

  test('apiCall urlPath errors keep Kyverno wording and the status code', async () => {
    const caller = ports.apiCaller;
    assert.ok(caller);
    const missing = await caller.call(
      { urlPath: `/api/v1/namespaces/${NS}/configmaps/absent`, method: 'GET' },
      open(),
    );
    assert.deepEqual(missing, {
      ok: false,
      code: 'not-found',
      message: `failed to GET resource with raw url: /api/v1/namespaces/${NS}/configmaps/absent: configmaps "absent" not found`,
    });
    const relative = await caller.call({ urlPath: 'api/v1', method: 'GET' }, open());
    assert.equal(relative.ok ? '' : relative.code, 'failed');
  });

  test('a urlPath the URL parser would rewrite is refused, whoever asks: what is sent is what was checked', async () => {
    const caller = ports.apiCaller;
    assert.ok(caller);
    for (const urlPath of [
      `/api/v1/namespaces/${NS}/../kube-system/configmaps`,
      `/api/v1/namespaces/${NS}/%2e%2e/kube-system/configmaps`,
      `/api/v1/namespaces/${NS}/%2E%2E/kube-system/configmaps`,
      '/api/v1/configmaps#/namespaces/x/',
    ]) {
      const r = await caller.call({ urlPath, method: 'GET' }, open());
      assert.equal(r.ok, false, urlPath);
      assert.match(r.ok ? '' : r.message, /not sent as written/, urlPath);
    }
    const query = await caller.call(
      { urlPath: `/api/v1/namespaces/${NS}/configmaps?limit=1`, method: 'GET' },
      open(),
    );
    assert.equal(query.ok, true);
  });

  test('an answer past the size limit is a failed call, not a memory spike', async () => {
    // Every ConfigMap of the cluster as one list is more than the 64 KiB this test allows.
    for (let i = 0; i < 4; i++) {
      const r = await tb.kubectl([
        'create',
        'configmap',
        `big${i}`,
        '-n',
        NS,
        `--from-literal=v=${'y'.repeat(30_000)}`,
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await ports.apiCaller?.call(
      { urlPath: `/api/v1/namespaces/${NS}/configmaps`, method: 'GET' },
      open(),
    );
    assert.equal(r?.ok, false);
    assert.match(r?.ok === false ? r.message : '', /exceeds the limit of 65536 bytes/);
  });

  test('service call over https trusts its caBundle; without it the self-signed server is refused', async () => {
    const caller = ports.apiCaller;
    assert.ok(caller);
    const answer = value(
      await caller.call(
        {
          url: `${httpsUrl}/check`,
          method: 'POST',
          body: { name: 'web' },
          headers: { 'X-Team': 'a' },
          caBundle: caPem,
        },
        open(),
      ),
    );
    assert.deepEqual(answer, { method: 'POST', path: '/check', header: 'a', body: '{"name":"web"}' });
    const untrusted = await caller.call({ url: `${httpsUrl}/check`, method: 'GET' }, open());
    assert.equal(untrusted.ok, false);
    assert.match(untrusted.ok ? '' : untrusted.message, /self.signed|certificate/i);
  });

  test('service call failures: status, not JSON, too big, refused, not http', async () => {
    const caller = ports.apiCaller;
    assert.ok(caller);
    assert.deepEqual(await caller.call({ url: `${httpUrl}/status/503`, method: 'GET' }, open()), {
      ok: false,
      code: 'unavailable',
      message: `GET ${httpUrl}/status/503: HTTP 503: no such thing`,
    });
    const text = await caller.call({ url: `${httpUrl}/text`, method: 'GET' }, open());
    assert.equal(text.ok ? '' : text.code, 'failed');
    const big = await caller.call({ url: `${httpUrl}/big`, method: 'GET' }, open());
    assert.match(big.ok ? '' : big.message, /exceeds the limit/);
    const refused = await caller.call({ url: 'http://127.0.0.1:1/x', method: 'GET' }, open());
    assert.equal(refused.ok ? '' : refused.code, 'unavailable');
    const file = await caller.call({ url: 'file:///etc/passwd', method: 'GET' }, open());
    assert.equal(file.ok ? '' : file.code, 'failed');
  });

  test('CEL http calls obey the egress policy; apiCall.service calls do not (as Kyverno)', async () => {
    const made = egressPolicy(DEFAULT_HTTP_BLOCKLIST, []);
    assert.ok(made.ok);
    const guarded = createLivePorts({
      kubeConfig: loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} }).config,
      httpEgress: made.policy,
    }).apiCaller;
    assert.ok(guarded);
    const literal = await guarded.call({ url: `${httpUrl}/json`, method: 'GET', library: 'http' }, open());
    assert.deepEqual(literal.ok ? undefined : [literal.code, literal.message.replaceAll(httpUrl, 'URL')], [
      'forbidden',
      'GET URL/json: URL "URL/json" is blocked: the address is in a blocked range',
    ]);
    const named = await guarded.call(
      { url: httpUrl.replace('127.0.0.1', 'localhost'), method: 'GET', library: 'http' },
      open(),
    );
    assert.equal(named.ok ? '' : named.code, 'forbidden');
    assert.match(named.ok ? '' : named.message, /connection to localhost blocked/);
    const service = await guarded.call({ url: `${httpUrl}/json`, method: 'GET' }, open());
    assert.equal(service.ok, true);
    // Ports made without a policy (the background controllers' own) get Kyverno's default one.
    const unconfigured = await ports.apiCaller?.call(
      { url: `${httpUrl}/json`, method: 'GET', library: 'http' },
      open(),
    );
    assert.equal(unconfigured?.ok === false ? unconfigured.code : 'called', 'forbidden');
  });

  test('the evaluation signal ends a call at once: deadline → timeout, stop → cancelled', async () => {
    const caller = ports.apiCaller;
    assert.ok(caller);
    const started = Date.now();
    const timedOut = await caller.call(
      { url: `${httpUrl}/hang`, method: 'GET' },
      { signal: AbortSignal.timeout(200) },
    );
    assert.equal(timedOut.ok ? '' : timedOut.code, 'timeout');
    assert.ok(Date.now() - started < 3_000, 'ended by the signal, not by the call timeout');
    const stop = new AbortController();
    const pending = ports.cluster?.get('v1', 'ConfigMap', NS, 'settings', { signal: stop.signal });
    stop.abort(new Error('shutting down'));
    const cancelled = await pending;
    assert.equal(cancelled?.ok === false ? cancelled.code : cancelled?.ok, 'cancelled');
  });

  test('authorizer: SubjectAccessReview decides', async () => {
    const authorizer = ports.authorizer;
    assert.ok(authorizer);
    const admin = await authorizer.authorize(
      {
        user: 'someone',
        groups: ['system:masters'],
        verb: 'delete',
        resourceRequest: true,
        resource: 'pods',
        namespace: NS,
      },
      open(),
    );
    assert.equal(admin.decision, 'allow');
    const nobody = await authorizer.authorize(
      { user: 'nobody', verb: 'get', resourceRequest: true, resource: 'secrets', namespace: NS },
      open(),
    );
    assert.equal(nobody.decision, 'noOpinion');
    assert.equal(nobody.error, undefined);
    const path = await authorizer.authorize(
      {
        user: 'nobody',
        groups: ['system:authenticated'],
        verb: 'get',
        resourceRequest: false,
        path: '/healthz',
      },
      open(),
    );
    assert.equal(path.decision, 'allow');
  });

  test('global context without a store: a clear unavailable error', async () => {
    const r = await ports.globalContext?.get('deployments', open());
    assert.deepEqual(r, {
      ok: false,
      code: 'unavailable',
      message: 'global context entry deployments: palisade serve reads no GlobalContextEntries here',
    });
  });
});
