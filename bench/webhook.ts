// `npm run bench:webhook`: the admission webhook under load, against a baseline. Not a test: it prints
// figures and asserts nothing.
//
// Baseline B: a do-nothing Node HTTPS server (this file, role `baseline`) that parses the review and
// answers allowed. Then `palisade serve` (bin/palisade.mjs; run `npm run bundle` first) with the 12
// pod-security ValidatingPolicies (/vpol) and with the 13 pod-security ClusterPolicies (/validate).
// Load comes from a second process (this file, role `load`): keep-alive HTTPS, AdmissionReviews of
// generated Pods (bench/generate-pods.ts; about 1 in 5 violates some rule).
//
// Per server: closed-loop saturation (throughput; latencies are queueing there), an open-loop run at
// half the slowest server's saturation rate (p50/p99 where all keep up: the added latency; B's own
// half rate is out of reach of a server that saturates below it), an open-loop run at 2x B's rate
// (answers, errors, slowest answer against the 8 s deadline, memory), the RSS and CPU time from
// /proc (peak RSS under load and under the overload apart). Open-loop latency runs from when a
// request was due, after 3 s at the same rate that are not counted (connections, the generator's JIT);
// the generator's own lateness is printed beside it. CPU per review is the figure that survives a shared machine: B's over ours is the throughput
// ratio one dedicated core would give.
//
//   node --import tsx bench/webhook.ts [--seconds 10] [--connections 32] [--quick] [--overhead] [--bin PATH] [--node-args 'ARGS']
//
// `--quick` runs only the saturation runs (CPU per review, throughput, RSS): for comparing builds.
// `--bin` serves with another build (default bin/palisade.mjs; `node scripts/bundle.mjs --out DIR`
// bundles a branch without touching bin/), `--node-args` passes flags to the servers' Node, B's too (`--cpu-prof`).
// `--overhead` adds a serve whose one policy matches no Pod: what serve costs around evaluation.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { writeLoopbackCertificate } from '../test/support/loopback-certificate.js';
import { generatePod } from './generate-pods.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = resolve(ROOT, '../shared/conformance/kyverno-policies');
const SELF = resolve(import.meta.dirname, 'webhook.ts');

/** A policy no Pod matches: the reviews go through serve's whole path with nothing to evaluate. */
const CONFIGMAPS_ONLY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: configmaps-only
spec:
  validationFailureAction: Enforce
  rules:
    - name: labelled
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      validate:
        message: a label is required
        pattern:
          metadata:
            labels:
              team: '?*'
`;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

// ---------- role: baseline server -------------------------------------------------------------

function runBaseline(cert: string, key: string): void {
  const server = createServer(
    { cert: readFileSync(cert), key: readFileSync(key), minVersion: 'TLSv1.2' },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          apiVersion: string;
          request: { uid: string };
        };
        const body = JSON.stringify({
          apiVersion: review.apiVersion,
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, allowed: true },
        });
        res.setHeader('Content-Type', 'application/json');
        res.end(body);
      });
    },
  );
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
    );
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---------- role: load generator --------------------------------------------------------------

interface LoadResult {
  readonly mode: string;
  readonly seconds: number;
  readonly sent: number;
  readonly answered: number;
  readonly errors: number;
  readonly denied: number;
  /** Answers after 10 s, the webhook timeout: the API server would have given up on them. */
  readonly late: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly clientCpu: number;
  /** Open loop: how late the generator sent its requests (p99, ms), and its own longest event-loop delay. */
  readonly sendLagP99: number;
  readonly loopDelayMax: number;
}

function reviews(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 100; i++) {
    const pod = parseAllDocuments(generatePod(i))[0]?.toJS() as {
      metadata: { name: string; namespace: string };
    };
    out.push(
      Buffer.from(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          request: {
            uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            kind: { group: '', version: 'v1', kind: 'Pod' },
            resource: { group: '', version: 'v1', resource: 'pods' },
            requestKind: { group: '', version: 'v1', kind: 'Pod' },
            name: pod.metadata.name,
            namespace: pod.metadata.namespace,
            operation: 'CREATE',
            userInfo: { username: 'bench', groups: ['system:authenticated'] },
            object: pod,
            oldObject: null,
            dryRun: false,
          },
        }),
      ),
    );
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function runLoad(
  url: string,
  ca: string,
  mode: string,
  seconds: number,
  connections: number,
  rate: number,
) {
  const bodies = reviews();
  const agent = new Agent({ keepAlive: true, maxSockets: connections, ca: readFileSync(ca) });
  const latencies: number[] = [];
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let denied = 0;
  const cpuStart = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  // Open loop: a request's latency runs from when it was due, not from when the generator got round
  // to sending it (no coordinated omission); `sendLag` says how late the generator itself was.
  const sendLags: number[] = [];
  const one = (i: number, due: number | undefined, counted: boolean): Promise<void> =>
    new Promise((done) => {
      const body = bodies[i % bodies.length] as Buffer;
      const started = performance.now();
      const from = due ?? started;
      if (counted) {
        sent++;
        if (due !== undefined) sendLags.push(started - due);
      }
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - from;
            if (!counted) return done();
            if (res.statusCode === 200) {
              answered++;
              latencies.push(ms);
              if (Buffer.concat(chunks).includes('"allowed":false')) denied++;
            } else errors++;
            done();
          });
        },
      );
      req.on('error', () => {
        if (counted) errors++;
        done();
      });
      req.end(body);
    });
  if (mode === 'closed') {
    const end = performance.now() + seconds * 1000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (performance.now() < end) await one(next++, undefined, true);
    };
    await Promise.all(Array.from({ length: connections }, worker));
  } else {
    // Open loop: request i is due at start + i / rate whatever the answers do, sent while at most 4096
    // are outstanding, until the run's time is up. `open` (the common rate) first runs `warm` seconds
    // at the same rate that are not counted: they open the connections (TLS handshakes) and warm this
    // process's JIT, which otherwise put a cold start of ~1–2 s, hundreds of ms late, into the p99 of
    // a 10 s run; its latency runs from when a request was due. `overload` starts cold and times from
    // the send: a server behind by design, the 4096 standing in for the API server's own limit.
    const fromDue = mode === 'open';
    const warm = fromDue ? 3 : 0;
    const start = performance.now();
    const end = start + (warm + seconds) * 1000;
    const firstCounted = Math.ceil(warm * rate);
    let i = 0;
    let outstanding = 0;
    const pending = new Set<Promise<void>>();
    for (let now = start; now < end; now = performance.now()) {
      while (outstanding < 4096 && start + (i / rate) * 1000 <= now) {
        outstanding++;
        const due = start + (i / rate) * 1000;
        const p = one(i, fromDue ? due : undefined, i >= firstCounted).then(() => {
          outstanding--;
          pending.delete(p);
        });
        pending.add(p);
        i++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
  }
  const cpu = process.cpuUsage(cpuStart);
  loop.disable();
  latencies.sort((a, b) => a - b);
  sendLags.sort((a, b) => a - b);
  const result: LoadResult = {
    mode,
    seconds,
    sent,
    answered,
    errors,
    denied,
    late: latencies.filter((ms) => ms > 10_000).length,
    rate: answered / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    sendLagP99: percentile(sendLags, 99),
    loopDelayMax: loop.max / 1e6,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  agent.destroy();
}

// ---------- orchestrator -----------------------------------------------------------------------

function policyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...policyFiles(full));
    else if (name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? Number.NaN : Number(m[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The first line of `child`'s stream that satisfies `match`, counting lines already read by earlier calls. */
function firstLine(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  match: (line: string) => boolean,
): Promise<string> {
  const seen = linesOf(child, stream);
  return new Promise((resolveLine, reject) => {
    const check = (): boolean => {
      const line = seen.lines.find(match);
      if (line === undefined) return false;
      seen.waiting.delete(check);
      resolveLine(line);
      return true;
    };
    if (check()) return;
    seen.waiting.add(check);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready`)));
  });
}

// Lines arrive several to a chunk (serve writes its log in batches): every line is kept for later waits.
const streams = new WeakMap<object, { lines: string[]; waiting: Set<() => boolean> }>();
function linesOf(child: ChildProcess, stream: 'stdout' | 'stderr') {
  const source = child[stream];
  if (source === null) throw new Error(`no ${stream}`);
  let seen = streams.get(source);
  if (seen === undefined) {
    const state = { lines: [] as string[], waiting: new Set<() => boolean>() };
    seen = state;
    streams.set(source, state);
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (state.lines.length < 1000) state.lines.push(line);
      for (const check of [...state.waiting]) check();
      // Past start-up nothing waits: the decision log is read and dropped.
      if (state.lines.length >= 1000) source.off('data', onData);
    };
    source.on('data', onData);
  }
  return seen;
}

function load(
  url: string,
  ca: string,
  mode: string,
  seconds: number,
  connections: number,
  rate = 0,
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, 'load', url, ca, mode, String(seconds), String(connections), String(rate)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return firstLine(child, 'stdout', (l) => l.startsWith('{')).then((l) => JSON.parse(l) as LoadResult);
}

interface Server {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startBaseline(cert: string, key: string): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SELF, 'baseline', cert, key], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { url } = JSON.parse(await firstLine(child, 'stdout', (l) => l.startsWith('{'))) as { url: string };
  return { name: 'B (do-nothing)', url, pid: child.pid ?? 0, stop: () => stop(child) };
}

async function startPalisade(
  name: string,
  folder: string,
  path: string,
  cert: string,
  key: string,
): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      BIN,
      'serve',
      '--policies',
      folder,
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--port',
      '0',
      '--metrics-port',
      '0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const listening = JSON.parse(await firstLine(child, 'stderr', (l) => l.includes('"listening"'))) as {
    url: string;
  };
  const loaded = await firstLine(
    child,
    'stderr',
    (l) => l.includes('policy set loaded') || l.includes('failed'),
  );
  if (!loaded.includes('policy set loaded')) throw new Error(`${name}: ${loaded}`);
  // Logs (one line per decision) go nowhere: writing them is part of the cost, reading them is not.
  child.stderr?.on('data', () => undefined);
  return { name, url: `${listening.url}${path}`, pid: child.pid ?? 0, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

interface Figures {
  readonly name: string;
  readonly saturation: LoadResult;
  /** Server CPU (user + system) per answered review in the saturation run, in µs. */
  readonly cpuPerReview: number;
  half?: LoadResult;
  overload?: LoadResult;
  readonly rssIdle: number;
  /** Peak RSS while the server is loaded (saturation and the common rate), and under the 2x overload. */
  rssPeak: number;
  rssPeakOverload?: number;
  rssAfterOverload?: number;
}

async function saturate(server: Server, ca: string, seconds: number, connections: number): Promise<Figures> {
  const rssIdle = rssMb(server.pid);
  await load(server.url, ca, 'closed', 3, connections); // warm-up: JIT, caches, TLS sessions
  const cpuBefore = cpuSeconds(server.pid);
  const saturation = await load(server.url, ca, 'closed', seconds, connections);
  const cpuPerReview = ((cpuSeconds(server.pid) - cpuBefore) / saturation.answered) * 1e6;
  return { name: server.name, saturation, cpuPerReview, rssIdle, rssPeak: rssIdle };
}

const BIN = resolve(flag('--bin', join(ROOT, 'bin/palisade.mjs')));
const nodeArgs = flag('--node-args', '')
  .split(' ')
  .filter((a) => a !== '');

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');

async function main(): Promise<void> {
  const seconds = Number(flag('--seconds', '10'));
  const connections = Number(flag('--connections', '32'));
  if (!existsSync(BIN)) {
    console.error(`bench:webhook needs the bundle ${BIN}: run \`npm run bundle\` first`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-webhook-'));
  try {
    const { cert, key } = writeLoopbackCertificate(dir);
    const vpol = join(dir, 'vpol');
    const cpol = join(dir, 'cpol');
    mkdirSync(vpol);
    mkdirSync(cpol);
    const vpolFiles = policyFiles(join(CORPUS, 'pod-security-vpol'));
    const cpolFiles = [
      ...policyFiles(join(CORPUS, 'pod-security/baseline')),
      ...policyFiles(join(CORPUS, 'pod-security/restricted')),
    ];
    for (const [i, f] of vpolFiles.entries()) cpSync(f, join(vpol, `${i}.yaml`));
    for (const [i, f] of cpolFiles.entries()) cpSync(f, join(cpol, `${i}.yaml`));
    const none = join(dir, 'none');
    mkdirSync(none);
    writeFileSync(join(none, 'configmaps-only.yaml'), CONFIGMAPS_ONLY);

    console.log(
      `# bench:webhook — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}`,
    );
    console.log(
      `# ${seconds} s per run, ${connections} keep-alive connections for saturation; server and load share the CPUs`,
    );
    console.log(`# serve: ${BIN}${nodeArgs.length > 0 ? ` (node ${nodeArgs.join(' ')})` : ''}`);
    const servers = [
      await startBaseline(cert, key),
      await startPalisade(`palisade, ${vpolFiles.length} PSS ValidatingPolicies`, vpol, '/vpol', cert, key),
      await startPalisade(`palisade, ${cpolFiles.length} PSS ClusterPolicies`, cpol, '/validate', cert, key),
      ...(process.argv.includes('--overhead')
        ? [await startPalisade('palisade, no policy for Pods', none, '/validate', cert, key)]
        : []),
    ];
    const results: Figures[] = [];
    // Sampled from the start: the goal's load (saturation, common rate) apart from the overload.
    const peaks = servers.map(() => 0);
    const overloadPeaks = servers.map(() => 0);
    let overloading = false;
    const sampler = setInterval(() => {
      const into = overloading ? overloadPeaks : peaks;
      for (const [i, server] of servers.entries()) into[i] = Math.max(into[i] ?? 0, rssMb(server.pid));
    }, 100);
    try {
      for (const server of servers) results.push(await saturate(server, cert, seconds, connections));
      if (!process.argv.includes('--quick')) {
        // Latency where every server keeps up: half the slowest one's saturation rate.
        const common = Math.min(...results.map((r) => r.saturation.rate)) / 2;
        for (const [i, server] of servers.entries()) {
          const r = results[i] as Figures;
          r.half = await load(server.url, cert, 'open', seconds, 64, common);
        }
        // Overload: twice B's saturation rate, at most 4096 reviews outstanding.
        const overload = (results[0] as Figures).saturation.rate * 2;
        overloading = true;
        for (const [i, server] of servers.entries()) {
          const r = results[i] as Figures;
          r.overload = await load(server.url, cert, 'overload', seconds, 256, overload);
          r.rssAfterOverload = rssMb(server.pid);
        }
        console.log(
          `# latency measured at ${common.toFixed(1)} reviews/s (half the slowest saturation), overload at ${overload.toFixed(0)}/s`,
        );
      }
    } finally {
      clearInterval(sampler);
      for (const [i, r] of results.entries()) {
        r.rssPeak = Math.max(r.rssPeak, peaks[i] ?? 0);
        if (r.overload) r.rssPeakOverload = overloadPeaks[i] ?? 0;
      }
      for (const server of servers) await server.stop();
    }
    const base = results[0] as Figures;
    console.log('');
    console.log(
      '| server | reviews/s (closed loop) | × B | server CPU µs/review | × B by CPU | p50 / p99 ms at common rate | added p99 ms | 2× B rate for the run: sent, answered, denied, errors, later than 10 s, max ms | RSS idle / loaded peak MB | RSS 2× peak / after MB |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      const h = r.half;
      const o = r.overload;
      console.log(
        `| ${r.name} | ${f1(r.saturation.rate)} | ${f2(r.saturation.rate / base.saturation.rate)} | ` +
          `${f1(r.cpuPerReview)} | ${f2(base.cpuPerReview / r.cpuPerReview)} | ` +
          `${h ? `${f2(h.p50)} / ${f2(h.p99)}` : '-'} | ${h && base.half ? f2(h.p99 - base.half.p99) : '-'} | ` +
          `${o ? `${o.sent}, ${o.answered}, ${o.denied}, ${o.errors}, ${o.late}, ${f1(o.max)}` : '-'} | ` +
          `${f1(r.rssIdle)} / ${f1(r.rssPeak)} | ${f1(r.rssPeakOverload ?? Number.NaN)} / ${f1(r.rssAfterOverload ?? Number.NaN)} |`,
      );
    }
    console.log('');
    for (const r of results)
      console.log(
        `# ${r.name}: saturation p50 ${f2(r.saturation.p50)} ms p99 ${f2(r.saturation.p99)} ms, ` +
          `denied ${r.saturation.denied}/${r.saturation.answered}, load-process CPU ${f1(r.saturation.clientCpu)} s` +
          (r.half
            ? `; at the common rate the generator sent p99 ${f2(r.half.sendLagP99)} ms late, its longest event-loop delay ${f1(r.half.loopDelayMax)} ms`
            : ''),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const role = process.argv[2];
if (role === 'baseline') runBaseline(process.argv[3] ?? '', process.argv[4] ?? '');
else if (role === 'load') {
  const [url, ca, mode, seconds, connections, rate] = process.argv.slice(3);
  await runLoad(url ?? '', ca ?? '', mode ?? 'closed', Number(seconds), Number(connections), Number(rate));
} else await main();
