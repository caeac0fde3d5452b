// CPU per policy evaluation of the 12 PSS ValidatingPolicies, the engine alone (issue #17's CEL
// share): the generated workloads of `npm run bench:cli` are parsed once, then admitted in the
// `cli` profile as `palisade apply` does, with the vpol set and with an empty set; the difference
// divided by (resources × policies) is the cost of one policy evaluation. No YAML, no output.
// Profile it with `node --cpu-prof --import tsx bench/cel-eval.ts`.
//   node --import tsx bench/cel-eval.ts [--n 2000] [--rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';
import { admit, type KubeObject, type PolicySet } from '../src/engine/index.js';
import { createOfflinePorts } from '../src/io/offline-ports.js';
import { loadPolicyFolder } from '../src/io/policy-folder.js';
import { offlineRequest } from '../src/io/requests/offline-request.js';
import { generateWorkloads } from './generate-workloads.js';

const CORPUS = resolve(import.meta.dirname, '../../shared/conformance/kyverno-policies');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function setOf(folder: string): Promise<{ set: PolicySet; count: number }> {
  const load = await loadPolicyFolder(folder, { allowEmpty: true });
  if (!load.ok) throw new Error(`${folder}: the policies did not load`);
  return { set: load.set, count: load.policyCount };
}

/** CPU µs to admit every object once; results counted so nothing is optimised away. */
async function admitAll(
  set: PolicySet,
  objects: readonly KubeObject[],
): Promise<{ us: number; results: Record<string, number> }> {
  const runtime = { ports: createOfflinePorts({}) };
  const results: Record<string, number> = {};
  const cpu = process.cpuUsage();
  for (const object of objects) {
    const outcome = await admit(set, offlineRequest(object, {}), runtime, { profile: 'cli' });
    for (const r of outcome.responses)
      for (const rule of r.response.rules) results[rule.status] = (results[rule.status] ?? 0) + 1;
  }
  const used = process.cpuUsage(cpu);
  return { us: used.user + used.system, results };
}

const n = Number(flag('--n', '2000'));
const rounds = Number(flag('--rounds', '3'));
const objects = loadAll(generateWorkloads(n)) as KubeObject[];
const vpol = await setOf(join(CORPUS, 'pod-security-vpol'));
const emptyDir = mkdtempSync(join(tmpdir(), 'palisade-cel-eval-'));
const empty = await setOf(emptyDir);
rmSync(emptyDir, { recursive: true, force: true });
await admitAll(vpol.set, objects); // warm-up: JIT
await admitAll(empty.set, objects);
const times: number[] = [];
let results: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  const withPolicies = await admitAll(vpol.set, objects);
  const without = await admitAll(empty.set, objects);
  times.push((withPolicies.us - without.us) / (objects.length * vpol.count));
  results = withPolicies.results;
}
times.sort((a, b) => a - b);
console.log(
  `${vpol.count} PSS ValidatingPolicies × ${objects.length} workloads: ` +
    `${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1)} µs CPU per policy evaluation ` +
    `(median of ${rounds}; min ${(times[0] ?? 0).toFixed(1)}), rule results ${JSON.stringify(results)}`,
);
