#!/usr/bin/env node
// The sample-policy library's end-to-end suites (`.chainsaw-test/` folders of
// ../shared/conformance/kyverno-policies) run by the real chainsaw against a real API server with
// `palisade serve` as its admission controller, and compared with a ratchet
// (test/conformance/chainsaw-known-failures.txt): a listed suite that passes, or an unlisted suite that
// fails, fails the check. `--update` rewrites the list instead.
//
//   node scripts/conformance-chainsaw.mjs [--shards N] [--only FILE] [--update] [--report FILE]
//
// The library's own CI runs its suites one at a time (a ClusterPolicy one suite applies judges every
// other suite's objects), so each shard is a cluster of its own (scripts/testbed/start.sh) with its own
// serve, and runs its share of the suites serially. Needs the bundle (bin/) and the testbed binaries.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/conformance/kyverno-policies');
const listFile = join(root, 'test/conformance/chainsaw-known-failures.txt');
const bin =
  process.env.PALISADE_TESTBED_BIN ??
  join(process.env.PALISADE_TESTBED_CACHE ?? join(homedir(), '.cache/palisade-testbed'), 'bin');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const shards = Number(arg('--shards', '3'));
const only = arg('--only', undefined);
const update = process.argv.includes('--update');
const reportFile = arg('--report', undefined);
// Generous, as a loaded 2-core machine needs; the library's own CI allows 90 s per operation.
const TIMEOUTS = ['--apply-timeout', '30s', '--assert-timeout', '30s', '--error-timeout', '30s'];
const CLEANUP = ['--delete-timeout', '30s', '--cleanup-timeout', '30s'];

if (!existsSync(corpus)) {
  console.log('conformance-chainsaw: corpus not found beside the project; skipped');
  process.exit(0);
}
for (const b of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl', 'chainsaw']) {
  if (!existsSync(join(bin, b))) {
    console.error(`conformance-chainsaw: ${join(bin, b)} missing: run scripts/testbed/build.sh`);
    process.exit(2);
  }
}
if (!existsSync(join(root, 'bin/palisade.mjs'))) {
  console.error('conformance-chainsaw: bin/palisade.mjs missing: run npm run bundle');
  process.exit(2);
}

/** Every folder holding a chainsaw test, as corpus-relative suite names (the policy folder). */
function suites() {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (!statSync(p).isDirectory()) continue;
      if (e === '.chainsaw-test') found.push(relative(corpus, dir));
      else if (!e.startsWith('.')) walk(p);
    }
  };
  walk(corpus);
  found.sort();
  if (only === undefined) return found;
  const wanted = new Set(
    readFileSync(only, 'utf8')
      .split('\n')
      .map((l) => l.split('\t')[0]?.trim() ?? '')
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  return found.filter((s) => wanted.has(s));
}

const freePort = () =>
  new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function readiness(port, ca) {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/health/readiness', ca, timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** One cluster with serve registered as its admission controller; `stop()` ends both. */
async function startShard(index, work) {
  const cluster = spawn('bash', [join(root, 'scripts/testbed/start.sh'), '--foreground'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, PALISADE_TESTBED_BIN: bin },
  });
  let clusterErr = '';
  cluster.stderr.setEncoding('utf8').on('data', (d) => {
    clusterErr = (clusterErr + d).slice(-10_000);
  });
  const kubeconfig = await new Promise((done, fail) => {
    let out = '';
    cluster.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('\n')) done(out.slice(0, out.indexOf('\n')));
    });
    cluster.on('exit', () => fail(new Error(`shard ${index}: the cluster did not start:\n${clusterErr}`)));
  });
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const kubectl = (...args) => execFileSync(join(bin, 'kubectl'), args, { env, encoding: 'utf8' });
  kubectl('apply', '--server-side', '-f', join(root, 'config/crds'));
  kubectl('create', 'namespace', 'palisade');
  for (const crd of readdirSync(join(root, 'config/crds'))) {
    const name = /^([^_]+)_(.+)\.yaml$/.exec(crd);
    if (name !== null) kubectl('wait', '--for=condition=Established', `crd/${name[2]}.${name[1]}`);
  }
  const certDir = join(work, `shard-${index}`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=palisade',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(certDir, 'tls.key'),
      '-out',
      join(certDir, 'tls.crt'),
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const ca = readFileSync(join(certDir, 'tls.crt'));
  const serve = spawn(
    process.execPath,
    [
      join(root, 'bin/palisade.mjs'),
      'serve',
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      'palisade',
      '--tls-cert',
      join(certDir, 'tls.crt'),
      '--tls-key',
      join(certDir, 'tls.key'),
      '--port',
      String(port),
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--leader-election',
      'false',
    ],
    // Its log goes to a file: a pipe this process stopped reading would block the server.
    { stdio: ['ignore', 'ignore', openSync(join(certDir, 'serve.log'), 'w')], env: process.env },
  );
  const serveErr = () => readFileSync(join(certDir, 'serve.log'), 'utf8').slice(-10_000);
  const deadline = Date.now() + 120_000;
  while (!(await readiness(port, ca))) {
    if (serve.exitCode !== null || Date.now() > deadline)
      throw new Error(`shard ${index}: palisade serve did not become ready:\n${serveErr()}`);
    await sleep(250);
  }
  return {
    kubeconfig,
    serveLog: serveErr,
    async stop() {
      serve.kill('SIGTERM');
      cluster.stdin.end();
      await new Promise((done) => (cluster.exitCode !== null ? done() : cluster.once('exit', done)));
    },
  };
}

/**
 * One chainsaw run, asynchronously (the shards share this process: a blocking call would stall the
 * others), killed after 10 minutes; resolves to its exit status.
 */
function runChainsaw(args, kubeconfig) {
  return new Promise((done) => {
    const child = spawn(join(bin, 'chainsaw'), args, {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal });
    });
  });
}

const POLICY_KINDS = [
  'clusterpolicies.kyverno.io',
  'policies.kyverno.io',
  'policyexceptions.kyverno.io',
  'validatingpolicies.policies.kyverno.io',
  'mutatingpolicies.policies.kyverno.io',
  'generatingpolicies.policies.kyverno.io',
  'deletingpolicies.policies.kyverno.io',
  'imagevalidatingpolicies.policies.kyverno.io',
  'policyexceptions.policies.kyverno.io',
].join(',');

function runKubectl(args, kubeconfig) {
  return new Promise((done) => {
    const child = spawn(join(bin, 'kubectl'), args, {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: 'ignore',
    });
    child.on('exit', () => done());
  });
}

/** Runs chainsaw over the shard's suites one at a time; resolves to one row per suite. */
async function runShard(index, names, work) {
  const shard = await startShard(index, work);
  const rows = [];
  try {
    for (const name of names) {
      const reportDir = join(work, `shard-${index}`);
      const reportName = `report-${rows.length}`;
      const started = Date.now();
      const run = await runChainsaw(
        [
          'test',
          '--test-dir',
          join(corpus, name, '.chainsaw-test'),
          '--no-color',
          ...TIMEOUTS,
          ...CLEANUP,
          '--report-format',
          'JSON',
          '--report-path',
          reportDir,
          '--report-name',
          reportName,
        ],
        shard.kubeconfig,
      );
      // A suite that timed out leaves its policies behind, and they would judge the next suites.
      await runKubectl(
        ['delete', POLICY_KINDS, '--all', '--all-namespaces', '--ignore-not-found', '--wait=false'],
        shard.kubeconfig,
      );
      const why = failureOf(join(reportDir, `${reportName}.json`), run);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      rows.push({ suite: name, status: why === '' ? 'PASS' : 'FAIL', why, seconds });
      console.log(`${why === '' ? 'PASS' : 'FAIL'}\t${name}\t${seconds}s${why === '' ? '' : `\t${why}`}`);
    }
  } finally {
    await shard.stop();
  }
  return rows;
}

/** '' when every operation of every test passed, else the first failure in one line. */
function failureOf(reportPath, run) {
  if (!existsSync(reportPath)) return `chainsaw exited ${run.status ?? run.signal} without a report`;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  if ((report.tests ?? []).length === 0) return 'no test ran';
  for (const t of report.tests ?? []) {
    for (const step of t.steps ?? []) {
      for (const op of step.operations ?? []) {
        if (op.failure !== undefined)
          return `${step.name}/${op.type}: ${String(op.failure.error ?? '')
            .replace(/\s+/g, ' ')
            .slice(0, 200)}`;
      }
    }
  }
  return run.status === 0 ? '' : `chainsaw exited ${run.status}`;
}

const all = suites();
const work = mkdtempSync(join(tmpdir(), 'palisade-chainsaw-'));
const started = Date.now();
let rows;
try {
  const count = Math.max(1, Math.min(shards, all.length));
  const parts = Array.from({ length: count }, () => []);
  for (const [i, s] of all.entries()) parts[i % count].push(s);
  for (let i = 0; i < count; i++) execFileSync('mkdir', ['-p', join(work, `shard-${i}`)]);
  rows = (await Promise.all(parts.map((names, i) => runShard(i, names, work)))).flat();
} finally {
  rmSync(work, { recursive: true, force: true });
}
rows.sort((a, b) => a.suite.localeCompare(b.suite));
if (reportFile !== undefined)
  writeFileSync(
    reportFile,
    rows.map((r) => `${r.status}\t${r.suite}\t${r.seconds}\t${r.why}`).join('\n') + '\n',
  );
const failing = rows.filter((r) => r.status !== 'PASS');
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(
  `chainsaw: ${rows.length - failing.length} passed, ${failing.length} failed of ${rows.length} suites (${minutes} min, ${shards} clusters)`,
);

if (update) {
  const header = [
    '# Library chainsaw suites that do not pass against palisade serve yet (a ratchet: the check fails when',
    '# one of these passes or an unlisted suite fails). Rewrite with `node scripts/conformance-chainsaw.mjs --update`.',
  ];
  writeFileSync(listFile, `${[...header, ...failing.map((r) => `${r.suite}\t# ${r.why}`)].join('\n')}\n`);
  console.log(`known failures: ${failing.length} written to ${relative(root, listFile)}`);
  process.exit(0);
}
const known = new Set(
  existsSync(listFile)
    ? readFileSync(listFile, 'utf8')
        .split('\n')
        .map((l) => l.split('\t')[0]?.trim() ?? '')
        .filter((l) => l !== '' && !l.startsWith('#'))
    : [],
);
const regressions = failing.filter((r) => !known.has(r.suite));
const fixed = rows.filter((r) => r.status === 'PASS' && known.has(r.suite));
for (const r of regressions) console.error(`regression: ${r.suite} ${r.why}`);
for (const r of fixed) console.error(`now passing, remove it from ${relative(root, listFile)}: ${r.suite}`);
process.exit(regressions.length + fixed.length === 0 ? 0 : 1);
