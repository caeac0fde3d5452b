// CPU per review of the serve handler in process: the same app `palisade serve` builds (log, metrics,
// deadline, admit), driven directly with the bench's reviews, no TLS and no HTTP. The figure to
// profile with (`node --cpu-prof --import tsx bench/webhook-inproc.ts`): it is stable on a shared
// machine because it counts this process's CPU time, not wall time.
//
//   node --import tsx bench/webhook-inproc.ts [--reviews 20000] [--set vpol|cpol|none|both] [--alloc-prof PREFIX]
//
// `--set none` serves one ClusterPolicy no Pod matches (bench/webhook.ts `--overhead`): serve's own cost
// per review around evaluation (body, decode, log line, metrics, answer).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadPolicyFolder } from '../src/io/policy-folder.js';
import { createAdmissionApp } from '../src/webhook/app.js';
import { createLogger } from '../src/webhook/log.js';
import { createMetrics } from '../src/webhook/middleware/metrics.js';
import { PolicyStore } from '../src/webhook/policy-store.js';
import { parseServeArgs } from '../src/webhook/serve-args.js';
import { generatePod } from './generate-pods.js';

const CORPUS = resolve(import.meta.dirname, '../../shared/conformance/kyverno-policies');

/** The one policy of `--set none`: no Pod matches it (as bench/webhook.ts `--overhead`). */
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

/**
 * Samples every allocation of the measured run, those the GC has already freed included (what
 * `--heap-prof` leaves out): the profile shows where the garbage comes from.
 */
async function startAllocationSampling(): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.PROMOTED_ONLY === undefined,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    return JSON.stringify(profile);
  };
}

function bodies(): Uint8Array[] {
  const out: Uint8Array[] = [];
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

async function measure(name: string, files: string[], path: string, reviews: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-inproc-'));
  const folder = join(dir, 'p');
  mkdirSync(folder);
  for (const [i, f] of files.entries()) cpSync(f, join(folder, `${i}.yaml`));
  try {
    const load = await loadPolicyFolder(folder, {});
    if (!load.ok) throw new Error(`${name}: the policies did not load`);
    const store = new PolicyStore();
    store.swap(load.set, load.policyCount);
    const args = parseServeArgs(['--policies', folder, '--tls-cert', 'c', '--tls-key', 'k']);
    if (!args.ok || args.help === true) throw new Error('serve args');
    const c = args.config;
    let logBytes = 0;
    const app = createAdmissionApp(store, {
      maxBodyBytes: c.maxBodyBytes,
      maxDepth: c.maxDepth,
      deadlineMs: c.deadlineMs,
      filters: c.filters,
      exclusions: c.exclusions,
      limits: c.limits,
      logger: createLogger((line) => {
        logBytes += line.length + 1;
      }),
      metrics: createMetrics(),
    });
    const all = bodies();
    let denied = 0;
    const run = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const reply = await app({ method: 'POST', path, body: all[i % all.length] as Uint8Array });
        if (reply.body.includes('"allowed":false')) denied++;
      }
    };
    await run(2000); // warm-up: JIT
    denied = 0;
    const sampling = allocationProfile !== undefined ? await startAllocationSampling() : undefined;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run(reviews);
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    if (sampling !== undefined && allocationProfile !== undefined)
      writeFileSync(`${allocationProfile}.${path.slice(1)}.heapprofile`, await sampling());
    console.log(
      `${name}: ${((used.user + used.system) / reviews).toFixed(1)} µs CPU/review, ` +
        `${((wall * 1000) / reviews).toFixed(0)} µs wall/review, denied ${denied}/${reviews}, ` +
        `log ${(logBytes / reviews).toFixed(0)} B/review, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reviews = Number(flag('--reviews', '20000'));
const allocationProfile = process.argv.includes('--alloc-prof') ? flag('--alloc-prof', 'alloc') : undefined;
const which = flag('--set', 'both');
if (which === 'none') {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-none-'));
  const file = join(dir, 'configmaps-only.yaml');
  writeFileSync(file, CONFIGMAPS_ONLY);
  try {
    await measure('no policy for Pods', [file], '/validate', reviews);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (which === 'vpol' || which === 'both')
  await measure(
    '12 PSS ValidatingPolicies',
    policyFiles(join(CORPUS, 'pod-security-vpol')),
    '/vpol',
    reviews,
  );
if (which === 'cpol' || which === 'both')
  await measure(
    '13 PSS ClusterPolicies',
    [
      ...policyFiles(join(CORPUS, 'pod-security/baseline')),
      ...policyFiles(join(CORPUS, 'pod-security/restricted')),
    ],
    '/validate',
    reviews,
  );
