// `npm run bench`: evaluation throughput of the engine on real policies. Prints ops/s and mean CPU time;
// no thresholds (speed is measured here, never asserted in tests). Then, when dist/ is built, the
// whole-CLI scenarios of bench/cli.ts (add --big for 10,000 Pods, --no-cli to skip them).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  admit,
  CompileMemo,
  compilePolicy,
  compilePolicySet,
  evaluatePolicy,
  type KubeObject,
  type KyvernoPolicy,
  requestForObject,
} from '../src/engine/index.js';
import { searchJmespath } from '../src/engine/jmespath/evaluate.js';
import { loadKyvernoPolicy } from '../src/engine/kinds/cluster-policy/load.js';
import { defaultCli, runCliBench } from './cli.js';
import { generatePods } from './generate-pods.js';

const corpus = resolve(import.meta.dirname, '../../shared/conformance/kyverno-policies');

function docs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
}

function bench(name: string, fn: () => void, minMs = 1000, batch = 100): void {
  for (let i = 0; i < 2 * batch; i++) fn(); // warm up
  // CPU time of this process, not wall time: the machine is shared, and CPU time is what we spend.
  let n = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  report(name, n, elapsed);
}

async function benchAsync(name: string, fn: () => Promise<void>, minMs = 1000, batch = 100): Promise<void> {
  for (let i = 0; i < 2 * batch; i++) await fn(); // warm up
  let n = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) await fn();
    n += batch;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  report(name, n, elapsed);
}

function report(name: string, n: number, elapsed: number): void {
  const meanUs = (elapsed * 1000) / n;
  const mean = meanUs >= 10000 ? `${(meanUs / 1000).toFixed(1)} ms/op` : `${meanUs.toFixed(2)} µs/op`;
  console.log(
    `${name.padEnd(48)} ${(n / (elapsed / 1000)).toFixed(n < 1000 ? 2 : 0).padStart(10)} ops/s  ${mean}`,
  );
}

const suites = [
  'pod-security/baseline/disallow-privileged-containers',
  'best-practices/require-pod-requests-limits',
  'pod-security/restricted/require-run-as-nonroot',
];
for (const suite of suites) {
  const dir = join(corpus, suite);
  const name = suite.split('/').pop() ?? suite;
  let policyDoc: unknown;
  try {
    policyDoc = docs(join(dir, `${name}.yaml`))[0];
  } catch {
    console.log(`${suite}: not found, skipped`);
    continue;
  }
  const loaded = loadKyvernoPolicy(policyDoc);
  if (!loaded.ok) continue;
  const compiled = compilePolicy(loaded.value as KyvernoPolicy);
  if (!compiled.ok) continue;
  const resources = docs(join(dir, '.kyverno-test/resource.yaml')) as KubeObject[];
  bench(`evaluate ${name} × ${resources.length} resources`, () => {
    for (const resource of resources) {
      evaluatePolicy(compiled.value, { resource, operation: 'CREATE', ports: {} });
    }
  });
}

const pod = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'a', image: 'nginx:1.25' }] },
};
// Searches of an expression compiled once, as a policy set keeps it (in its memo).
const memo = new CompileMemo();
bench('jmespath spec.containers[].image', () => searchJmespath('spec.containers[].image', pod, { memo }));
bench("jmespath labels.app || ''", () => searchJmespath("metadata.labels.app || ''", pod, { memo }));

// The pod-security ClusterPolicies against generated Pods, one evaluatePolicy per policy per Pod as the
// CLI does (YAML loading and output excluded: they are in the CLI figures).
function policyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...policyFiles(full));
    else if (name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

const podSecurityDocs = policyFiles(join(corpus, 'pod-security')).flatMap((file) =>
  docs(file).flatMap((doc) => {
    const loaded = loadKyvernoPolicy(doc);
    return loaded.ok ? [loaded.value as KyvernoPolicy] : [];
  }),
);
const podSecurity = podSecurityDocs.flatMap((policy) => {
  const compiled = compilePolicy(policy);
  return compiled.ok ? [compiled.value] : [];
});
const pods = docs0(generatePods(1000)) as KubeObject[];
function docs0(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}
bench(
  `evaluate ${podSecurity.length} pod-security policies × ${pods.length} pods`,
  () => {
    for (const resource of pods) {
      for (const p of podSecurity) evaluatePolicy(p, { resource, operation: 'CREATE', ports: {} });
    }
  },
  3000,
  2,
);

// The same work through the policy set, as `palisade apply` runs it (one admit per Pod, cli profile).
const podSecuritySet = compilePolicySet(
  podSecurityDocs.map((document) => ({ document, source: undefined })),
).set;
const podRequests = pods.map((pod) => requestForObject(pod));
const runtime = { ports: {} };
await benchAsync(
  `admit ${podSecuritySet.policies.length} pod-security policies × ${pods.length} pods (cli)`,
  async () => {
    for (const request of podRequests) await admit(podSecuritySet, request, runtime, { profile: 'cli' });
  },
  3000,
  2,
);

const argv = process.argv.slice(2);
const cli = defaultCli();
if (!argv.includes('--no-cli')) {
  if (cli !== undefined) runCliBench({ cli, runs: 3, big: argv.includes('--big') });
  else console.log('\nCLI scenarios skipped: run `npm run build` first');
}
