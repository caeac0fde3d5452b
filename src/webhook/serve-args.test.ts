// `palisade serve` flags: defaults, limits, usage errors (docs/serve.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseServeArgs } from './serve-args.js';

const REQUIRED = ['--policies', 'p', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'];

describe('parseServeArgs', () => {
  test('defaults: loopback 9443, no metrics, 10 s webhook and 8 s deadline, 3 MiB, depth 1000', () => {
    const r = parseServeArgs(REQUIRED);
    assert.ok(r.ok && r.help !== true);
    const c = r.config;
    assert.deepEqual(
      [c.address, c.port, c.metrics, c.webhookTimeoutMs, c.deadlineMs, c.maxBodyBytes, c.maxDepth],
      ['127.0.0.1', 9443, undefined, 10_000, 8_000, 3 * 1024 * 1024, 1000],
    );
    assert.equal(c.filters.length, 17);
    assert.deepEqual(c.exclusions.exclude.groups, ['system:nodes']);
  });
  test("PolicyExceptions: Kyverno's defaults (none honoured), and the two flags", () => {
    const off = parseServeArgs(REQUIRED);
    assert.ok(off.ok && off.help !== true);
    assert.deepEqual(off.config.exceptionGate, { enablePolicyException: false, exceptionNamespace: '' });
    const on = parseServeArgs([...REQUIRED, '--enable-policy-exception', '--exception-namespace', 'exempt']);
    assert.ok(on.ok && on.help !== true);
    assert.deepEqual(on.config.exceptionGate, { enablePolicyException: true, exceptionNamespace: 'exempt' });
  });
  test("events: Kyverno's defaults, the flags, an unknown reason refused", () => {
    const d = parseServeArgs(REQUIRED);
    assert.ok(d.ok && d.help !== true);
    assert.deepEqual([...d.config.cluster.events.omit], ['PolicyApplied', 'PolicySkipped']);
    assert.equal(d.config.cluster.events.maxQueued, 1000);
    const r = parseServeArgs([...REQUIRED, '--omit-events', 'PolicyViolation', '--max-queued-events', '10']);
    assert.ok(r.ok && r.help !== true);
    assert.deepEqual([...r.config.cluster.events.omit], ['PolicyViolation']);
    assert.equal(r.config.cluster.events.maxQueued, 10);
    const bad = parseServeArgs([...REQUIRED, '--omit-events', 'Violations']);
    assert.ok(!bad.ok);
    assert.match(bad.error, /--omit-events: unknown reason "Violations"/);
  });
  test('CEL http egress: Kyverno default blocklist, the two flags, invalid entries refused at start', () => {
    const cfg = (...extra: string[]) => {
      const r = parseServeArgs([...REQUIRED, ...extra]);
      assert.ok(r.ok && r.help !== true, r.ok ? '' : r.error);
      return r.config;
    };
    const metadata = new URL('http://169.254.169.254/');
    assert.match(cfg().httpEgress.refuse(metadata) ?? '', /blocked/);
    assert.equal(cfg('--http-blocklist', '').httpEgress.refuse(metadata), undefined);
    const own = cfg('--http-blocklist', '10.0.0.0/8', '--http-allowlist', 'https://api.example.com');
    assert.equal(
      own.httpEgress.refuse(metadata),
      'URL "http://169.254.169.254/" is not permitted: no matching allowlist entry',
    );
    assert.equal(own.httpEgress.refuse(new URL('https://api.example.com/x')), undefined);
    const bad = parseServeArgs([...REQUIRED, '--http-blocklist', '10.0.0.0/40']);
    assert.deepEqual(bad, { ok: false, error: 'invalid CIDR "10.0.0.0/40" in the HTTP blocklist' });
  });
  test('--max-global-context-entries: 0 by default (no bound), a count when given', () => {
    const r = parseServeArgs(REQUIRED);
    assert.ok(r.ok && r.help !== true);
    assert.equal(r.config.maxGlobalContextEntries, 0);
    const five = parseServeArgs([...REQUIRED, '--max-global-context-entries', '5']);
    assert.ok(five.ok && five.help !== true);
    assert.equal(five.config.maxGlobalContextEntries, 5);
    // 0 is the documented "no bound", accepted when written out (as the controllers accept it).
    const zero = parseServeArgs([...REQUIRED, '--max-global-context-entries', '0']);
    assert.ok(zero.ok && zero.help !== true);
    assert.equal(zero.config.maxGlobalContextEntries, 0);
    assert.deepEqual(parseServeArgs([...REQUIRED, '--max-global-context-entries=-1']), {
      ok: false,
      error: '--max-global-context-entries expects a count (0: no bound), got "-1"',
    });
  });
  test('flags override, the metrics address follows --address', () => {
    const r = parseServeArgs([
      ...REQUIRED,
      '--address',
      '0.0.0.0',
      '--port',
      '8443',
      '--metrics-port',
      '8000',
      '--webhook-timeout',
      '30s',
      '--max-request-body',
      '1Mi',
      '--resource-filters',
      '',
      '--exclude-groups',
      '',
      '--max-json-depth',
      '64',
      '--timeout',
      '2s',
    ]);
    assert.ok(r.ok && r.help !== true);
    const c = r.config;
    assert.deepEqual(c.metrics, { address: '0.0.0.0', port: 8000 });
    assert.equal(c.deadlineMs, 28_000);
    assert.equal(c.maxBodyBytes, 1024 * 1024);
    assert.equal(c.maxDepth, 64);
    assert.deepEqual(c.filters, []);
    assert.deepEqual(c.exclusions.exclude.groups, []);
    assert.deepEqual(c.limits, { requestTimeoutMs: 2000 });
  });
  test('one policy source: a folder, or the cluster (--kubeconfig implies --cluster)', () => {
    const TLS = ['--tls-cert', 'c.pem', '--tls-key', 'k.pem'];
    const source = (argv: string[]) => {
      const r = parseServeArgs([...argv, ...TLS]);
      assert.ok(r.ok && r.help !== true);
      return r.config.source;
    };
    assert.deepEqual(source(['--policies', 'p']), { kind: 'folder', folder: 'p' });
    assert.deepEqual(source(['--cluster']), { kind: 'cluster' });
    assert.deepEqual(source(['--kubeconfig', 'kc']), { kind: 'cluster', kubeconfig: 'kc' });
    assert.deepEqual(source(['--cluster', '--kubeconfig', 'kc']), { kind: 'cluster', kubeconfig: 'kc' });
  });
  const errors = [
    { argv: ['--policies', 'p', '--tls-cert', 'c'], want: /--tls-key is required/ },
    {
      argv: ['--tls-cert', 'c', '--tls-key', 'k'],
      want: /a policy source is required: --policies DIR, or --cluster/,
    },
    { argv: [...REQUIRED, '--cluster'], want: /two policy sources; give one/ },
    { argv: [...REQUIRED, '--kubeconfig', 'kc'], want: /two policy sources; give one/ },
    { argv: [...REQUIRED, '--port', 'x'], want: /--port expects a port number/ },
    { argv: [...REQUIRED, '--port', '70000'], want: /--port expects a port number/ },
    { argv: [...REQUIRED, '--deadline', '10s'], want: /--deadline must be below --webhook-timeout/ },
    { argv: [...REQUIRED, '--deadline', 'soon'], want: /--deadline expects a duration/ },
    { argv: [...REQUIRED, '--bogus'], want: /unknown flag --bogus/ },
    { argv: [...REQUIRED, 'extra'], want: /unexpected argument "extra"/ },
  ];
  for (const e of errors)
    test(`refuses ${e.argv.slice(-2).join(' ')}`, () => {
      const r = parseServeArgs(e.argv);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, e.want);
    });
  test('--help', () => assert.deepEqual(parseServeArgs(['--help']), { ok: true, help: true }));
});

describe('serve cluster flags', () => {
  test('no certificate files: an error with a folder, self-managed with the cluster source', () => {
    const r = parseServeArgs(['--policies', 'p']);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /--tls-cert is required/);
    const k = parseServeArgs(['--kubeconfig', 'kc'], { POD_NAMESPACE: 'kyv' });
    if (!k.ok || k.help === true) return assert.fail('parsed');
    assert.equal(k.config.tlsCert, undefined);
    assert.equal(k.config.cluster.namespace, 'kyv');
    const half = parseServeArgs(['--cluster', '--tls-cert', 'c.pem']);
    assert.match(half.ok ? '' : half.error, /--tls-key is required/);
  });

  test('defaults: Kyverno-like election timing, Service palisade-svc:443, Lease in the namespace', () => {
    const r = parseServeArgs([...REQUIRED]);
    if (!r.ok || r.help === true) return assert.fail('parsed');
    assert.deepEqual(r.config.cluster.lease, {
      name: 'palisade',
      namespace: 'palisade',
      timing: { leaseDurationMs: 12_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    });
    assert.deepEqual(r.config.cluster.service, { name: 'palisade-svc', port: 443 });
    assert.equal(r.config.cluster.leaderElection, true);
  });

  test('the background controllers run in serve by default; each flag hands one to its own process', () => {
    const pick = (argv: readonly string[]) => {
      const r = parseServeArgs([...REQUIRED, ...argv]);
      if (!r.ok || r.help === true) return assert.fail('parsed');
      const c = r.config.cluster;
      return [c.cleanupController, c.reportsController, c.backgroundController];
    };
    assert.deepEqual(pick([]), [true, true, true]);
    assert.deepEqual(pick(['--reports-controller=false']), [true, false, true]);
    assert.deepEqual(pick(['--background-controller', 'false', '--cleanup-controller=false']), [
      false,
      true,
      false,
    ]);
  });

  test('bad values are usage errors', () => {
    for (const [argv, want] of [
      [['--reports-controller', 'later'], /--reports-controller expects true or false/],
      [['--renew-deadline', '20s'], /lease duration must be longer than the renew deadline/],
      [['--webhook-url', 'http://x'], /--webhook-url expects https/],
      [['--leader-election', 'maybe'], /--leader-election expects true or false/],
      [['--service-port', '0'], /--service-port expects a port/],
    ] as const) {
      const r = parseServeArgs([...REQUIRED, ...argv]);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.error, want);
    }
  });
});
