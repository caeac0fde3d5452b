// CPU of `apply`'s evaluation alone (issue #17): the pod-security ClusterPolicies (or any folder) and
// the bench's workloads loaded as `apply` loads them, then every resource admitted as `apply` admits
// it (offline request, the CLI profile), without rows or output; CPU (user+sys) per pass, after a
// warm-up pass. Bundle it first (tsx's keepNames distorts closures: see ADR 0007, ninth round):
//   npx esbuild bench/cpol-eval.ts --bundle --platform=node --format=esm --outfile=/tmp/cpol-eval.mjs \
//     --banner:js="import{createRequire}from'module';const require=createRequire(import.meta.url);"
//   node /tmp/cpol-eval.mjs [policy folder] [workloads file] [passes]   (from the repository's root)
import { resolve } from 'node:path';
import { parseApplyArgs } from '../src/cli/commands/apply-args.js';
import { applyEnv } from '../src/cli/commands/apply-evaluate.js';
import { loadApplyInputs } from '../src/cli/commands/apply-inputs.js';
import { admit } from '../src/engine/index.js';
import { loadResources } from '../src/io/files/resources.js';
import { offlineRequest } from '../src/io/requests/offline-request.js';

// Relative to the working directory (the repository's root): a bundle's own path is elsewhere.
const folder = process.argv[2] || resolve('../shared/conformance/kyverno-policies/pod-security');
const file = process.argv[3] || '/tmp/palisade-bench/workloads-10000x1/workloads-0.yaml';
const passes = Number(process.argv[4] || 4);

const parsed = parseApplyArgs([folder, '-r', file]);
if (!parsed.ok || parsed.help === true) throw new Error('usage: see the header');
const loaded = await loadApplyInputs(parsed.args, { stdin: () => '' });
const env = applyEnv(loaded, parsed.args);
const { resources } = loadResources([file]);
let rules = 0;
for (let pass = 0; pass <= passes; pass++) {
  const start = process.cpuUsage();
  for (const r of resources) {
    const outcome = await admit(env.set, offlineRequest(r.object, env.inputs), env.runtime, {
      profile: 'cli',
      celPorts: env.celPorts,
    });
    for (const res of outcome.responses) rules += res.response.rules.length;
  }
  const used = process.cpuUsage(start);
  if (pass > 0) console.log(`pass ${pass}: ${((used.user + used.system) / 1000).toFixed(0)} ms CPU (${resources.length} resources)`);
}
console.log(`rule results: ${rules / (passes + 1)} per pass`);
