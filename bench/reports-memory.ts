// The reports controller's own memory, without a cluster: one full pass over N generated Pods
// (bench/generate-pods.ts) under the 13 Pod Security ClusterPolicies of the library, listed 500 at a
// time, reports written to nowhere. Prints the heap in use before, at each page (the largest), and
// after the pass once collected: what the controller keeps is the last figure less the first.
// usage: node --expose-gc --import tsx bench/reports-memory.ts [--pods 10000]
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createReportsController } from '../src/controllers/reports/controller.js';
import { compilePolicySet, type KubeObject, type PolicyDocument } from '../src/engine/index.js';
import { generatePod } from './generate-pods.js';

const CORPUS = resolve(import.meta.dirname, '../../shared/conformance/kyverno-policies/pod-security');
const i = process.argv.indexOf('--pods');
const pods = i >= 0 ? Number(process.argv[i + 1]) : 10_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const documents: PolicyDocument<string>[] = [];
for (const level of ['baseline', 'restricted'])
  for (const name of readdirSync(join(CORPUS, level))) {
    const file = join(CORPUS, level, name, `${name}.yaml`);
    for (const d of parseAllDocuments(readFileSync(file, 'utf8')))
      documents.push({ document: d.toJS() as PolicyDocument<string>['document'], source: file });
  }
const set = compilePolicySet(documents).set;
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

gc();
const before = process.memoryUsage().heapUsed;
let peak = before;
let written = 0;
const controller = createReportsController({
  reports: {
    api: 'wgpolicyk8s',
    served: async () => true,
    get: async () => undefined,
    create: async () => {
      written++;
    },
    replace: async () => undefined,
    delete: async () => undefined,
    pages: async function* () {
      yield [];
    },
  },
  list: async function* () {
    for (let from = 0; from < pods; from += 500) {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      yield Array.from({ length: Math.min(500, pods - from) }, (_, j) => {
        const pod = parse(generatePod(from + j)) as KubeObject & { metadata: Record<string, unknown> };
        pod.metadata.uid = `uid-${from + j}`;
        pod.metadata.resourceVersion = '1';
        return pod;
      });
    }
  },
  getNamespace: async (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  discover: async () => ({
    resources: [{ group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true }],
    failed: [],
  }),
  ports: {},
  policies: () => set,
  filters: [],
  logger: { info() {}, warn: console.warn, error: console.error },
  intervalMs: Number.POSITIVE_INFINITY,
});
const started = performance.now();
const stats = await controller.pass(true, new AbortController().signal);
const seconds = (performance.now() - started) / 1000;
gc();
const after = process.memoryUsage();
console.log(
  `${pods} Pods, ${documents.length} policies: ${JSON.stringify(stats)}, ${written} reports, ${seconds.toFixed(1)} s`,
);
console.log(
  `heap in use: ${mib(before)} before, ${mib(peak)} at most between pages, ${mib(after.heapUsed)} after ` +
    `(kept: ${mib(after.heapUsed - before)}); process RSS ${mib(after.rss)}`,
);
