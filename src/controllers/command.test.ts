// `palisade controller cleanup`: the flags, and the command on the real API server with its own
// Lease — it takes `palisade-cleanup-controller`, deletes an expired TTL-labelled object, exposes the
// counter on /metrics, and steps down on stop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../../test/support/testbed.js';
import { controller } from './command.js';
import { parseControllerArgs } from './controller-args.js';

describe('palisade controller: flags', () => {
  test('cleanup with defaults: its own Lease name, leader election on, TTL every minute', () => {
    const r = parseControllerArgs(['cleanup'], { POD_NAMESPACE: 'kyv' });
    assert.ok(r.ok && r.help !== true);
    assert.deepEqual(
      [
        r.config.name,
        r.config.namespace,
        r.config.lease.name,
        r.config.leaderElection,
        r.config.ttlIntervalMs,
      ],
      ['cleanup', 'kyv', 'palisade-cleanup-controller', true, 60_000],
    );
  });
  test("reports and background: Kyverno's lease names under Palisade's prefix, serve's defaults", () => {
    const r = parseControllerArgs(['reports'], {});
    assert.ok(r.ok && r.help !== true);
    const c = r.config;
    assert.deepEqual(
      [c.lease.name, c.resyncMs, c.scanIntervalMs, c.openreports, c.exceptionGate.enablePolicyException],
      ['palisade-reports-controller', 10_000, 3_600_000, false, false],
    );
    assert.ok(c.filters.length > 0, 'serve default resource filters');
    const b = parseControllerArgs(
      [
        'background',
        '--resync-period=3s',
        '--enable-policy-exception',
        '--exception-namespace=exc',
        '--background-scan-interval=5m',
        '--openreports-enabled',
      ],
      {},
    );
    assert.ok(b.ok && b.help !== true);
    assert.deepEqual(
      [b.config.lease.name, b.config.resyncMs, b.config.exceptionGate, b.config.scanIntervalMs],
      [
        'palisade-background-controller',
        3_000,
        { enablePolicyException: true, exceptionNamespace: 'exc' },
        300_000,
      ],
    );
    assert.equal(b.config.openreports, true);
  });
  test('CEL http egress as serve: the default blocklist, or the lists given; GlobalContextEntries bound', () => {
    const refusal = (argv: string[], url: string) => {
      const r = parseControllerArgs(argv, {});
      assert.ok(r.ok && r.help !== true);
      return r.config.httpEgress.refuse(new URL(url));
    };
    assert.match(refusal(['reports'], 'http://169.254.169.254/latest') ?? '', /blocked/);
    assert.equal(refusal(['reports', '--http-blocklist', ''], 'http://169.254.169.254/latest'), undefined);
    assert.match(
      refusal(['background', '--http-allowlist', 'https://api.example.com/v1'], 'https://other.example/x') ??
        '',
      /allow/,
    );
    const r = parseControllerArgs(['reports', '--max-global-context-entries', '7'], {});
    assert.equal(r.ok && r.help !== true ? r.config.maxGlobalContextEntries : -1, 7);
    const zero = parseControllerArgs(['reports', '--max-global-context-entries', '0'], {});
    assert.equal(zero.ok && zero.help !== true ? zero.config.maxGlobalContextEntries : -1, 0);
  });
  test("events: Kyverno's omitted reasons by default; the flags as serve's", () => {
    const d = parseControllerArgs(['cleanup'], {});
    assert.ok(d.ok && d.help !== true);
    assert.deepEqual([...d.config.events.omit], ['PolicyApplied', 'PolicySkipped']);
    const r = parseControllerArgs(['cleanup', '--omit-events', '', '--max-queued-events', '5'], {});
    assert.ok(r.ok && r.help !== true);
    assert.deepEqual([r.config.events.omit.size, r.config.events.maxQueued], [0, 5]);
  });
  const bad: [string[], RegExp][] = [
    [[], /name a controller/],
    [['nope'], /unknown controller "nope"/],
    [['reports', 'background'], /one controller per process/],
    [['reports', '--resync-period', 'often'], /--resync-period expects a duration/],
    [['cleanup', '--metrics-port', 'x'], /--metrics-port expects a port/],
    [['cleanup', '--ttl-reconciliation-interval', 'soon'], /expects a duration/],
    [['cleanup', '--leader-election', 'maybe'], /expects true or false/],
    [['cleanup', '--lease-nam', 'x'], /unknown flag --lease-nam/],
    [['reports', '--http-blocklist', '300.1.1.1/99'], /300\.1\.1\.1/],
    [['reports', '--max-global-context-entries', 'many'], /expects a count/],
    [['cleanup', '--omit-events', 'PolicyApplied,Sometimes'], /--omit-events: unknown reason "Sometimes"/],
    [['background', '--max-queued-events', 'lots'], /--max-queued-events expects a count/],
  ];
  for (const [argv, re] of bad)
    test(`usage error: ${argv.join(' ') || '(nothing)'}`, () => {
      const r = parseControllerArgs(argv, {});
      assert.ok(!r.ok);
      assert.match(r.error, re);
    });
});

describe('palisade controller reports: before its policy set loads', () => {
  test('live but not ready, stands for no election, and stops cleanly', async () => {
    // An API server that refuses every connection: the policy set never compiles.
    const dir = mkdtempSync(join(tmpdir(), 'palisade-controller-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'none', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'c', context: { cluster: 'none', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((r) => {
      stop = r;
    });
    let ready: (url: string) => void = () => undefined;
    const listening = new Promise<string>((r) => {
      ready = r;
    });
    const logs: string[] = [];
    const run = controller(
      ['reports', '--kubeconfig', kubeconfig, '--metrics-port', '0', '--metrics-address', '127.0.0.1'],
      { stdout: () => undefined, stderr: (t) => logs.push(t), env: {}, stopped, onListening: ready },
    );
    try {
      const url = await listening;
      assert.equal((await fetch(`${url}/health/liveness`)).status, 200);
      assert.equal((await fetch(`${url}/health/readiness`)).status, 503);
      assert.equal((await fetch(`${url}/metrics`)).status, 200);
    } finally {
      stop('SIGTERM');
      assert.equal(await run, 0);
      rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(!logs.join('').includes('became leader'), 'no election before the policy set');
  });
});

describe('palisade controller cleanup on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
    for (const ns of ['palisade', 'work'])
      assert.equal((await tb.api('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  });
  after(() => tb?.stop());

  test('leads through its own Lease, deletes an expired TTL object, counts it, steps down', async () => {
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((r) => {
      stop = r;
    });
    let metricsUrl = '';
    const logs: string[] = [];
    const run = controller(
      [
        'cleanup',
        '--kubeconfig',
        tb.kubeconfig,
        '--namespace',
        'palisade',
        '--metrics-port',
        '0',
        '--metrics-address',
        '127.0.0.1',
        '--ttl-reconciliation-interval',
        '1s',
        '--retry-period',
        '500ms',
        '--lease-duration',
        '4s',
        '--renew-deadline',
        '3s',
      ],
      {
        stdout: () => undefined,
        stderr: (t) => logs.push(t),
        env: {},
        stopped,
        identity: 'cleanup-0',
        onListening: (url) => {
          metricsUrl = url;
        },
      },
    );
    const lease = await eventually('the Lease held', 20_000, async () => {
      const r = await tb.api(
        'GET',
        '/apis/coordination.k8s.io/v1/namespaces/palisade/leases/palisade-cleanup-controller',
      );
      return (r.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity;
    });
    assert.equal(lease, 'cleanup-0');
    const cm = { metadata: { name: 'old', labels: { 'cleanup.kyverno.io/ttl': '2020-01-01' } } };
    assert.equal((await tb.api('POST', '/api/v1/namespaces/work/configmaps', cm)).status, 201);
    await eventually('the expired ConfigMap deleted', 20_000, async () =>
      (await tb.api('GET', '/api/v1/namespaces/work/configmaps/old')).status === 404 ? true : undefined,
    );
    const metrics = await (await fetch(`${metricsUrl}/metrics`)).text();
    assert.match(
      metrics,
      /kyverno_ttl_controller_deletedobjects_total\{resource_namespace="work",resource_group="",resource_version="v1",resource_resource="configmaps"\} 1/,
    );
    stop('SIGTERM');
    assert.equal(await run, 0);
    const released = await tb.api(
      'GET',
      '/apis/coordination.k8s.io/v1/namespaces/palisade/leases/palisade-cleanup-controller',
    );
    assert.ok(!(released.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity, logs.join(''));
  });
});
