// `npm run bench`: evaluation throughput of the engine on real policies. Prints ops/s and mean time;
// no thresholds (speed is measured here, never asserted in tests).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compilePolicy, evaluatePolicy, type KubeObject, type KyvernoPolicy } from '../src/engine/index.js';
import { searchJmespath } from '../src/engine/jmespath/evaluate.js';
import { loadKyvernoPolicy } from '../src/engine/policy/load.js';

const corpus = resolve(import.meta.dirname, '../../shared/conformance/kyverno-policies');

function docs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
}

function bench(name: string, fn: () => void, minMs = 1000): void {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const meanUs = (elapsed * 1000) / n;
  console.log(
    `${name.padEnd(48)} ${Math.round(n / (elapsed / 1000))
      .toString()
      .padStart(10)} ops/s  ${meanUs.toFixed(2)} µs/op`,
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
bench('jmespath spec.containers[].image', () => searchJmespath('spec.containers[].image', pod));
bench("jmespath labels.app || ''", () => searchJmespath("metadata.labels.app || ''", pod));
