#!/usr/bin/env node
// The sample-policy library's end-to-end suites (`.chainsaw-test/` folders of
// ../shared/conformance/kyverno-policies) run by the real chainsaw against a real API server with
// `palisade serve` as its admission controller, and compared with a ratchet
// (test/conformance/chainsaw-known-failures.txt): a listed suite that passes, or an unlisted suite that
// fails twice in a row, fails the check. `--update` rewrites the list instead (keeping its notes).
//
//   node scripts/conformance-chainsaw.mjs [--shards N] [--only FILE] [--passing] [--update]
//                                         [--report FILE] [--keep] [--max-regressions N]
//
// --passing runs only the suites the list does not name (CI's subset, docs/testbed.md); --only FILE only
// the suites FILE names; --report FILE writes one line per suite (status, suite, seconds, slowest
// operation, why); --keep leaves the work dir (chainsaw's logs and reports, serve's log) in place;
// --max-regressions N stops starting suites after N regressions.
// Exit status: 0 the ratchet holds, 1 it does not, 2 the run could not be made (missing binaries, a
// cluster or server that did not start).
//
// The library's own CI runs its suites one at a time (a ClusterPolicy one suite applies judges every
// other suite's objects), so each shard is a cluster of its own (scripts/testbed/start.sh) with its own
// serve, and runs its share of the suites serially. Needs the bundle (bin/) and the testbed binaries.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
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
import { dirname, join, relative, resolve } from 'node:path';
import { startNamespaceFinisher } from './chainsaw/namespace-finisher.mjs';
import { deal, failureOf, listedNotes, listedSuites, rule, slowestOperation } from './chainsaw/ruling.mjs';

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
const shards = Number(arg('--shards', '2'));
const only = arg('--only', undefined);
const passingOnly = process.argv.includes('--passing');
const update = process.argv.includes('--update');
const keep = process.argv.includes('--keep');
const reportFile = arg('--report', undefined);
// Per-operation timeouts (docs/testbed.md, "What the runner sets"): about twice the slowest operation
// of any passing suite on a machine at load 25 (a policy-ready assert, 11 s), since a failing operation
// costs its full timeout (chainsaw retries apply, assert and error until then). The library's CI allows
// 90 s everywhere.
const TIMEOUTS = [
  ...['--apply-timeout', '15s', '--assert-timeout', '20s', '--error-timeout', '20s'],
  ...['--delete-timeout', '20s', '--cleanup-timeout', '30s', '--exec-timeout', '20s'],
  // As the library's own configuration has it.
  ...['--force-termination-grace-period', '5s'],
];
// A suite still running after this is killed (its whole process group) and fails. A chainsaw script
// whose command outlives the script's timeout hangs chainsaw for good (it waits for the command's
// output pipe), as `kubectl debug -it` does when nothing denies it here: the container never starts.
const SUITE_LIMIT_SECONDS = 120;
// A check stops starting suites after this many regressions (or when a server died): a broken build
// should fail CI in minutes, not after every suite has timed out twice.
const maxRegressions = Number(arg('--max-regressions', 'Infinity'));
const stop = { reason: '', regressions: 0 };

if (update && (only !== undefined || passingOnly)) {
  console.error('conformance-chainsaw: --update needs the whole corpus (no --only, no --passing)');
  process.exit(2);
}
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
  const wanted = listedSuites(readFileSync(only, 'utf8'));
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

/** What to end if this process has to stop early: clusters, servers, running chainsaw groups. */
const live = new Set();
async function endAll() {
  await Promise.all([...live].map((end) => end()));
}
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => endAll().finally(() => process.exit(code)));
}

/** One cluster with serve registered as its admission controller; `stop()` ends both. */
async function startShard(index, work) {
  const cluster = spawn('bash', [join(root, 'scripts/testbed/start.sh'), '--foreground'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, PALISADE_TESTBED_BIN: bin },
  });
  // Its stdin closing stops it (start.sh --foreground), this process ending included.
  const endCluster = () =>
    new Promise((done) => {
      live.delete(endCluster);
      cluster.stdin.end();
      if (cluster.exitCode !== null || cluster.signalCode !== null) done();
      else cluster.once('exit', () => done());
    });
  live.add(endCluster);
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
  // start.sh's `env` file: the API server's URL, CA and admin token.
  const testbed = Object.fromEntries(
    [...readFileSync(join(dirname(kubeconfig), 'env'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  const finisher = startNamespaceFinisher({
    server: testbed.TESTBED_SERVER,
    ca: readFileSync(testbed.TESTBED_CA),
    token: testbed.TESTBED_TOKEN,
  });
  const endFinisher = async () => {
    live.delete(endFinisher);
    finisher.stop();
  };
  live.add(endFinisher);
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
  const endServe = async () => {
    live.delete(endServe);
    serve.kill('SIGTERM');
  };
  live.add(endServe);
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
    serveExit: () => serve.exitCode ?? serve.signalCode,
    namespacesFinished: finisher.counts,
    async stop() {
      await endServe();
      await endFinisher();
      await endCluster();
    },
  };
}

/**
 * One chainsaw run, asynchronously (the shards share this process: a blocking call would stall the
 * others), its output to `log`. After SUITE_LIMIT_SECONDS its whole process group is killed: a
 * script's command (kubectl) that chainsaw started would outlive chainsaw itself otherwise.
 */
function runChainsaw(args, kubeconfig, log) {
  return new Promise((done) => {
    const out = openSync(log, 'w');
    const child = spawn(join(bin, 'chainsaw'), args, {
      // The scripts' `kubectl` is the built one, matching the API server.
      env: { ...process.env, KUBECONFIG: kubeconfig, PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', out, out],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, SUITE_LIMIT_SECONDS * 1000);
    const end = async () => killGroup(child.pid);
    live.add(end);
    child.on('exit', (status, signal) => {
      live.delete(end);
      clearTimeout(timer);
      closeSync(out);
      // Whatever the suite's scripts left running dies with it.
      killGroup(child.pid);
      done({ status, signal, timedOut });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
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

/** The cluster's namespace names. */
function namespaces(kubeconfig) {
  return new Promise((done) => {
    execFile(
      join(bin, 'kubectl'),
      ['get', 'namespaces', '-o', 'jsonpath={.items[*].metadata.name}'],
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
      (_err, stdout) => done(new Set(String(stdout).split(/\s+/).filter(Boolean))),
    );
  });
}

function runKubectl(args, kubeconfig) {
  return new Promise((done) => {
    const child = spawn(join(bin, 'kubectl'), args, {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: 'ignore',
    });
    child.on('exit', (status) => done(status));
  });
}

/**
 * A writable copy of a suite's policy folder in the run's own folder: some suites' scripts write files
 * (a kubeconfig copy, keys, certificates) beside their test, and the corpus is read-only and shared by
 * every run on the machine.
 */
function suiteCopy(name, dir) {
  const copy = join(dir, 'suite');
  cpSync(join(corpus, name), copy, { recursive: true });
  const writable = (path) => {
    const stat = statSync(path);
    chmodSync(path, stat.mode | 0o200 | (stat.isDirectory() ? 0o100 : 0));
    if (stat.isDirectory()) for (const entry of readdirSync(path)) writable(join(path, entry));
  };
  writable(copy);
  return copy;
}

/**
 * One suite on a shard: in a namespace of its own made beforehand (chainsaw would make one per test and
 * wait the namespace controller's fixed 5 s grace for its deletion; this one is deleted without
 * waiting), then every policy is deleted, as one that a failed suite left behind would judge the next.
 */
async function runSuite(shard, name, attempt) {
  const dir = join(shard.dir, `${name.replaceAll('/', '_')}-${attempt}`);
  mkdirSync(dir, { recursive: true });
  const namespace = `chainsaw-${shard.index}-${++shard.runs}`;
  await runKubectl(['create', 'namespace', namespace], shard.kubeconfig);
  const started = Date.now();
  const exit = await runChainsaw(
    [
      'test',
      '--test-dir',
      join(suiteCopy(name, dir), '.chainsaw-test'),
      '--namespace',
      namespace,
      '--no-color',
      ...TIMEOUTS,
      '--report-format',
      'JSON',
      '--report-path',
      dir,
      '--report-name',
      'report',
    ],
    shard.kubeconfig,
    join(dir, 'chainsaw.log'),
  );
  const seconds = (Date.now() - started) / 1000;
  // Side by side: each kubectl costs a second or more on a loaded machine.
  await Promise.all([
    runKubectl(
      ['delete', POLICY_KINDS, '--all', '--all-namespaces', '--ignore-not-found', '--wait=false'],
      shard.kubeconfig,
    ),
    runKubectl(['delete', 'namespace', namespace, '--wait=false'], shard.kubeconfig),
  ]);
  if (exit.timedOut) {
    // A killed chainsaw cleaned nothing up: every namespace made since the shard started goes (with
    // what is in it), so a rerun or the next suite does not meet the suite's objects.
    const left = [...(await namespaces(shard.kubeconfig))].filter(
      (n) => !shard.baseNamespaces.has(n) && n !== namespace,
    );
    if (left.length > 0)
      await runKubectl(['delete', 'namespace', ...left, '--timeout=60s'], shard.kubeconfig);
  }
  const reportPath = join(dir, 'report.json');
  let report;
  try {
    report = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : undefined;
  } catch {
    report = undefined;
  }
  const log = exit.timedOut ? readFileSync(join(dir, 'chainsaw.log'), 'utf8') : '';
  let why = failureOf(report, exit, SUITE_LIMIT_SECONDS, log);
  const serveExit = shard.serveExit();
  if (serveExit !== null) why = `palisade serve exited (${serveExit}); ${why}`;
  return { why, seconds, slowest: slowestOperation(report) };
}

/**
 * Runs the shard's suites one at a time; resolves to one row per suite. With `retry`, a failing suite
 * is run once more before it counts as failing (a ratchet must not fail on a passing hiccup).
 */
async function runShard(index, names, work, retry) {
  const dir = join(work, `shard-${index}`);
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const shard = { ...(await startShard(index, work)), index, dir, runs: 0 };
  shard.baseNamespaces = await namespaces(shard.kubeconfig);
  console.log(
    `shard ${index}: cluster and palisade serve ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const rows = [];
  try {
    for (const name of names) {
      if (stop.reason !== '') {
        rows.push({ suite: name, status: 'FAIL', attempts: 0, why: `not run: ${stop.reason}`, seconds: 0 });
        continue;
      }
      let run = await runSuite(shard, name, 1);
      let attempts = 1;
      if (run.why !== '' && retry(name) && shard.serveExit() === null) {
        console.log(`RETRY\t${name}\t${run.seconds.toFixed(1)}s\t${run.why}`);
        run = await runSuite(shard, name, 2);
        attempts = 2;
      }
      const status = run.why === '' ? 'PASS' : 'FAIL';
      rows.push({ suite: name, status, attempts, ...run });
      console.log(`${status}\t${name}\t${run.seconds.toFixed(1)}s${run.why === '' ? '' : `\t${run.why}`}`);
      if (status === 'FAIL' && retry(name) && ++stop.regressions >= maxRegressions)
        stop.reason = `${stop.regressions} regressions, the run stopped (--max-regressions)`;
      if (shard.serveExit() !== null && stop.reason === '')
        stop.reason = `palisade serve of shard ${index} exited (${shard.serveExit()})`;
    }
    const { finished, leftToController } = shard.namespacesFinished;
    console.log(
      `shard ${index}: ${finished} namespaces finished at once, ${leftToController} left to the controller`,
    );
    if (shard.serveExit() !== null)
      console.error(`shard ${index}: palisade serve's log:\n${shard.serveLog()}`);
  } finally {
    await shard.stop();
  }
  return rows;
}

const listText = existsSync(listFile) ? readFileSync(listFile, 'utf8') : '';
const known = listedSuites(listText);
const all = suites().filter((s) => !passingOnly || !known.has(s));
if (all.length === 0) {
  console.log('conformance-chainsaw: no suite to run');
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'palisade-chainsaw-'));
const started = Date.now();
let rows;
try {
  // Only a suite whose failure would fail the check is worth a second run.
  const retry = (name) => !update && !known.has(name);
  rows = (await Promise.all(deal(all, shards).map((names, i) => runShard(i, names, work, retry)))).flat();
} catch (err) {
  console.error(`conformance-chainsaw: ${err instanceof Error ? err.message : String(err)}`);
  await endAll();
  process.exitCode = 2;
} finally {
  if (keep) console.log(`conformance-chainsaw: work dir kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
if (rows === undefined) process.exit(2);
rows.sort((a, b) => a.suite.localeCompare(b.suite));
if (reportFile !== undefined)
  writeFileSync(
    reportFile,
    rows
      .map((r) =>
        [
          r.status,
          r.suite,
          r.seconds.toFixed(1),
          r.slowest === undefined ? '' : `${r.slowest.what} ${r.slowest.seconds.toFixed(1)}s`,
          r.why,
        ].join('\t'),
      )
      .join('\n') + '\n',
  );
const failing = rows.filter((r) => r.status !== 'PASS');
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(
  `chainsaw: ${rows.length - failing.length} passed, ${failing.length} failed of ${rows.length} suites (${minutes} min, ${deal(all, shards).length} clusters${passingOnly ? ', the suites the list does not name' : ''})`,
);

if (update) {
  const notes = listedNotes(listText);
  const header = [
    '# Library chainsaw suites that do not pass against palisade serve yet (a ratchet: the check fails when',
    '# one of these passes or an unlisted suite fails twice). Rewrite with',
    '# `node scripts/conformance-chainsaw.mjs --update` (notes after the tab are kept for listed suites).',
  ];
  const lines = failing.map((r) => `${r.suite}\t${notes.get(r.suite) ?? `# ${r.why}`}`);
  writeFileSync(listFile, `${[...header, ...lines].join('\n')}\n`);
  console.log(`known failures: ${failing.length} written to ${relative(root, listFile)}`);
  process.exit(0);
}
const { regressions, fixed, ok } = rule(rows, known);
for (const r of regressions) console.error(`regression (failed ${r.attempts} times): ${r.suite} ${r.why}`);
for (const r of fixed) console.error(`now passing, remove it from ${relative(root, listFile)}: ${r.suite}`);
process.exit(ok ? 0 : 1);
