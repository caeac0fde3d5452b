// The reports controller's figures (docs/serve.md, "Background scans and policy reports"): on a test
// cluster, N Pods (bench/generate-pods.ts: about 1 in 5 violates a Pod Security control) under the 13
// Pod Security ClusterPolicies of the library (baseline and restricted), then `palisade serve
// --cluster` leads and scans them all once. Prints the scan's time, the serve process's RSS while
// scanning (sampled, and its peak VmHWM), and the storage the reports take: the sum of the stored
// reports' JSON (what etcd holds for a custom resource) and the growth of etcd's database in use.
// usage: npm run build && node --import tsx bench/reports.ts [--pods 10000] [--heap MB]

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { writeLoopbackCertificate } from '../test/support/loopback-certificate.js';
import { freePort } from '../test/support/serve-process.js';
import { eventually, startTestbed, type Testbed } from '../test/support/testbed.js';
import { generatePod } from './generate-pods.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = resolve(ROOT, '../shared/conformance/kyverno-policies');
const POLR = '/apis/wgpolicyk8s.io/v1alpha2';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The policy file of each suite folder (`<dir>/<name>/<name>.yaml`). */
function pssPolicies(): string[] {
  const out: string[] = [];
  for (const level of ['baseline', 'restricted']) {
    const dir = join(CORPUS, 'pod-security', level);
    for (const name of readdirSync(dir).sort())
      if (statSync(join(dir, name)).isDirectory()) out.push(join(dir, name, `${name}.yaml`));
  }
  return out;
}

async function etcdInUse(tb: Testbed): Promise<number> {
  const text = await (await fetch(`${tb.etcd}/metrics`)).text();
  const m = /^etcd_mvcc_db_total_size_in_use_in_bytes (\S+)$/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/** `palisade serve` from the compiled sources (dist/, `npm run build`): RSS without tsx's transpiler. */
function spawnServe(args: readonly string[]) {
  const main = join(ROOT, 'dist/main.js');
  if (!existsSync(main)) throw new Error('run `npm run build` first (dist/main.js)');
  // --heap MB: V8's old-space limit for serve, to show the scan fits in it (default: Node's own).
  const heap = flag('--heap', '');
  const node = heap !== '' ? [`--max-old-space-size=${heap}`] : [];
  const child = spawn(process.execPath, [...node, main, 'serve', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let rest = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines)
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
  });
  const exited = new Promise((done) => child.once('exit', done));
  return {
    child,
    waitForLog: (what: string, match: (l: Record<string, unknown>) => boolean, ms: number) =>
      eventually(what, ms, async () => logs.find(match)),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function rssKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

async function inParallel<T>(
  items: readonly T[],
  width: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const pods = Number(flag('--pods', '10000'));
const work = mkdtempSync(join(tmpdir(), 'palisade-bench-reports-'));
const tb = await startTestbed();
try {
  const namespaces = ['palisade', ...Array.from({ length: 10 }, (_, i) => `ns-${i}`)];
  for (const ns of namespaces) await tb.api('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  for (const file of [
    'kyverno.io_clusterpolicies.yaml',
    'wgpolicyk8s.io_policyreports.yaml',
    'wgpolicyk8s.io_clusterpolicyreports.yaml',
  ])
    await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
  await eventually('the CRDs served', 30_000, async () =>
    (await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies')).status === 200 &&
    (await tb.api('GET', `${POLR}/policyreports`)).status === 200
      ? true
      : undefined,
  );
  const policies = pssPolicies();
  for (const file of policies)
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const body = doc.toJS() as Record<string, unknown>;
      const r = await tb.api('POST', '/apis/kyverno.io/v1/clusterpolicies', body);
      if (r.status !== 201) throw new Error(`${file}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  // Pods need their namespace's default ServiceAccount (the controller manager makes it).
  for (const ns of namespaces.slice(1))
    await eventually(`the ServiceAccount of ${ns}`, 60_000, async () =>
      (await tb.api('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200
        ? true
        : undefined,
    );
  const started = performance.now();
  await inParallel(
    Array.from({ length: pods }, (_, i) => i),
    16,
    async (i) => {
      const pod = parse(generatePod(i)) as {
        metadata: { namespace: string };
        spec: { containers?: { securityContext?: Record<string, unknown> }[] };
      };
      // The API server refuses privileged with allowPrivilegeEscalation false (the CLI never asked).
      for (const c of pod.spec.containers ?? [])
        if (c.securityContext?.privileged === true) c.securityContext.allowPrivilegeEscalation = true;
      const r = await tb.api('POST', `/api/v1/namespaces/${pod.metadata.namespace}/pods`, pod);
      if (r.status !== 201) throw new Error(`pod ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    },
  );
  console.log(`${pods} Pods created in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await new Promise((r) => setTimeout(r, 2000));
  const etcdBefore = await etcdInUse(tb);

  const { cert, key } = writeLoopbackCertificate(work);
  const port = await freePort();
  const serveArgs = (more: string[]): string[] => [
    '--tls-cert',
    cert,
    '--tls-key',
    key,
    '--port',
    String(port),
    '--kubeconfig',
    tb.kubeconfig,
    '--webhook-url',
    `https://127.0.0.1:${port}`,
    '--leader-election',
    'false',
    ...more,
  ];
  // The same server without scans: what serving alone takes.
  const idle = spawnServe(serveArgs(['--background-scan', 'false']));
  await idle.waitForLog('reconciled', (l) => l.msg === 'webhook configurations reconciled', 120_000);
  await new Promise((r) => setTimeout(r, 5000));
  const idleHwm = rssKiB(idle.child.pid ?? 0, 'VmHWM');
  await idle.stop();
  const serve = spawnServe(serveArgs([]));
  const pid = serve.child.pid ?? 0;
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssKiB(pid, 'VmRSS')), 250);
  const scanStart = performance.now();
  const done = await serve.waitForLog(
    'background scan',
    (l) => l.msg === 'background scan' && Number(l.scanned) > 0,
    3_600_000,
  );
  clearInterval(sampler);
  const hwm = rssKiB(pid, 'VmHWM');
  const after = rssKiB(pid, 'VmRSS');
  await serve.stop();
  await new Promise((r) => setTimeout(r, 2000));
  const etcdAfter = await etcdInUse(tb);

  let count = 0;
  let bytes = 0;
  let next: string | undefined;
  do {
    const r = await tb.api(
      'GET',
      `${POLR}/policyreports?limit=500${next !== undefined ? `&continue=${encodeURIComponent(next)}` : ''}`,
    );
    const page = r.body as { items: { results?: unknown[] }[]; metadata: { continue?: string } };
    for (const item of page.items) {
      count++;
      // What etcd stores for a custom resource is its JSON (with managedFields).
      bytes += Buffer.byteLength(JSON.stringify(item));
    }
    next = page.metadata.continue || undefined;
  } while (next !== undefined);

  console.log(`policies: ${policies.length} Pod Security ClusterPolicies (baseline + restricted)`);
  console.log(
    `scan: ${JSON.stringify(done)} in ${((performance.now() - scanStart) / 1000).toFixed(0)} s (from process start)`,
  );
  const peakSampled = Math.max(...samples.filter((s) => Number.isFinite(s)));
  console.log(
    `serve RSS while scanning ${pods} Pods: peak ${(hwm / 1024).toFixed(0)} MiB (VmHWM), ` +
      `sampled max ${(peakSampled / 1024).toFixed(0)} MiB, after the scan ${(after / 1024).toFixed(0)} MiB; ` +
      `without scans ${(idleHwm / 1024).toFixed(0)} MiB (VmHWM)`,
  );
  console.log(
    `reports: ${count} PolicyReports, ${mib(bytes)} of JSON (${(bytes / count / 1024).toFixed(1)} KiB each), ` +
      `${mib((bytes / pods) * 1000)} per 1,000 Pods`,
  );
  console.log(
    `etcd in use: ${mib(etcdBefore)} before, ${mib(etcdAfter)} after: +${mib(etcdAfter - etcdBefore)} ` +
      `(${mib(((etcdAfter - etcdBefore) / pods) * 1000)} per 1,000 Pods)`,
  );
} finally {
  await tb.stop();
  rmSync(work, { recursive: true, force: true });
}
