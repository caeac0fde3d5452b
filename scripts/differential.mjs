#!/usr/bin/env node
// Differential harness: Palisade's `apply` against the reference Kyverno CLI on random resources.
//
// A dev tool, not part of `npm test` (the reference binary is not in CI). It samples policy
// folders from ../shared/conformance/kyverno-policies or, with `--corpus kyverno-cli`, the Kyverno
// CLI's own test suites (suites without variables, context, exceptions, user info, cluster
// resources or payloads, so both CLIs need nothing else; suites the reference fails and suites of
// Validating/MutatingAdmissionPolicies, with which the reference stops at unknown kinds, are left out), derives random variants of each suite's own resources with a seeded
// PRNG (dropped/duplicated/retyped fields, changed scalars, empty lists/maps, nulls, extra
// (init/ephemeral) containers, labels, annotations, namespaces, wildcard-looking values, numeric
// strings, quantities, strings taken from the policies' own patterns), runs both CLIs on a batch
// (all sampled policies x all variants in one invocation each) and compares, per
// (policy, rule, resource), the result of the policy reports and, for mutated resources, the
// patched resource. Differences are printed grouped by category (policy/rule: palisade -> reference
// results) and written to OUT/diffs-SEED.json; each batch folder keeps its inputs and both outputs,
// so a finding is reproducible (same --seed, same corpus => same inputs). Messages are not compared
// (wording and Go map order differ); results and patched resources are.
//
// usage: npm run build && node scripts/differential.mjs --ref /path/to/kyverno-cli
//          [--seed 1] [--batches 4] [--folders 8] [--variants 6] [--out /tmp/differential]
//          [--filter substring-of-folder] [--corpus kyverno-policies|kyverno-cli]
//   --ref       the reference CLI binary (kubectl-kyverno); also $KYVERNO_CLI. Built from the
//               Kyverno source with `go build -o /tmp/kyverno-cli ./cmd/cli/kubectl-kyverno`
//               (the source tree's bin/kyverno is the admission controller, not the CLI)
//   --batches   CLI invocation pairs; each takes --folders random policy folders
//   --variants  random variants per corpus resource
//   --corpus    which shared conformance corpus to sample (default kyverno-policies); in a
//               kyverno-cli batch a suite whose policy names another chosen suite already uses is
//               not taken (both CLIs would report two policies under one name)
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as yaml from 'js-yaml';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const conformance = resolve(root, '../shared/conformance');

function parseArgs(argv) {
  const args = {
    ref: process.env.KYVERNO_CLI ?? '',
    seed: 1,
    batches: 4,
    folders: 8,
    variants: 6,
    out: '/tmp/differential',
    filter: '',
    corpus: 'kyverno-policies',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args)) throw new Error(`unknown flag ${argv[i]}`);
    args[key] = typeof args[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!args.ref) throw new Error('--ref (the reference kyverno CLI) is required');
  return args;
}

// mulberry32: small, seedable, good enough to pick mutations
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

function loadDocs(file) {
  try {
    return yaml.loadAll(readFileSync(file, 'utf8')).filter((d) => d && typeof d === 'object');
  } catch {
    return [];
  }
}

// the suites both CLIs can run with nothing but policies and resources
const NEEDS_MORE = [
  'variables',
  'context',
  'values',
  'userinfo',
  'exceptions',
  'clusterResources',
  'targetResources',
  'jsonPayloads',
  'envoyPayloads',
  'httpPayloads',
  'apiCallResponses',
  'paramResources',
  'globalContextEntries',
];

function testFiles(dir, into = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(path, into);
    else if (entry.name === 'kyverno-test.yaml') into.push(path);
  }
  return into;
}

function loadSuites(filter, corpusName) {
  const corpus = join(conformance, corpusName);
  const suites = [];
  if (corpusName === 'kyverno-cli') {
    // suites the reference itself fails (folder prefixes, one a line)
    const refFails = readFileSync(join(conformance, 'kyverno-cli-reference-fails.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const testFile of testFiles(corpus)) {
      const id = dirname(testFile).slice(corpus.length + 1);
      if (!id.includes(filter) || refFails.some((f) => id === f || id.startsWith(`${f}/`))) continue;
      for (const test of loadDocs(testFile)) {
        if (!test.policies || !test.resources || NEEDS_MORE.some((k) => test[k] !== undefined)) continue;
        const suite = suiteOf(id, dirname(testFile), test);
        if (suite !== undefined && !suite.admissionPolicies) suites.push(suite);
      }
    }
    return suites;
  }
  for (const group of readdirSync(corpus).sort()) {
    const groupDir = join(corpus, group);
    if (!existsSync(groupDir) || group.startsWith('.') || group === 'LICENSE') continue;
    for (const name of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, name);
      const testFile = join(dir, '.kyverno-test', 'kyverno-test.yaml');
      if (!existsSync(testFile) || !`${group}/${name}`.includes(filter)) continue;
      const test = loadDocs(testFile)[0];
      if (!test || test.variables || test.context || !test.policies || !test.resources) continue;
      const suite = suiteOf(`${group}/${name}`, dirname(testFile), test);
      if (suite !== undefined) suites.push(suite);
    }
  }
  return suites;
}

function suiteOf(id, testDir, test) {
  const policyFiles = test.policies.map((p) => resolve(testDir, p));
  if (!policyFiles.every(existsSync)) return undefined;
  const resources = test.resources
    .map((r) => resolve(testDir, r))
    .flatMap(loadDocs)
    .filter((d) => d.kind && d.metadata?.name);
  if (resources.length === 0) return undefined;
  const policyDocs = policyFiles.flatMap(loadDocs);
  const policyNames = policyDocs.map((d) => d.metadata?.name).filter(Boolean);
  // With admission policies loaded the reference stops the whole run at the first resource its REST
  // mapper does not know (other suites' CRDs, beta versions): those suites make no batch.
  const admissionPolicies = policyDocs.some((d) => /^(Validating|Mutating)AdmissionPolicy$/.test(d.kind));
  return { id, policyFiles, resources, policyNames, admissionPolicies };
}

// string scalars of the policies (pattern values, operators, wildcards) are good mutation values
function harvestStrings(value, into) {
  if (typeof value === 'string' && value.length < 60) into.add(value);
  else if (Array.isArray(value)) for (const v of value) harvestStrings(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.add(k.replace(/^[=+X^<]\(|\)$/g, ''));
      harvestStrings(v, into);
    }
}

const STOCK = [
  '',
  '*',
  '?',
  'a*',
  '100m',
  '1Gi',
  '0',
  '1',
  '-1',
  '1.5',
  'true',
  'false',
  'null',
  'default',
  'kube-system',
  'latest',
  'nginx:latest',
  'ghcr.io/x/y:1.0',
  'NET_RAW',
  'ALL',
  'RuntimeDefault',
  'Unconfined',
  '/var/run/docker.sock',
  '2Gi',
  '500Mi',
  '0.5',
  '1e3',
  '{{ x }}',
];

function paths(value, at = []) {
  const out = [];
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) out.push([...at, i], ...paths(v, [...at, i]));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push([...at, k], ...paths(v, [...at, k]));
  return out;
}

const get = (obj, p) => p.reduce((o, k) => (o == null ? undefined : o[k]), obj);

function podSpecOf(obj) {
  if (obj.kind === 'Pod') return obj.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj.spec?.template?.spec;
}

function mutate(original, rnd, strings) {
  const obj = structuredClone(original);
  const ops = 1 + rnd.int(3);
  for (let n = 0; n < ops; n++) {
    if (!obj.metadata || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) obj.metadata = {};
    const all = paths(obj).filter(
      (p) => !(p.length <= 2 && ['apiVersion', 'kind'].includes(p[0])) && p.join('.') !== 'metadata.name',
    );
    const kind = rnd.int(12);
    const spec = podSpecOf(obj);
    if (kind === 0 && spec && typeof spec === 'object' && !Array.isArray(spec)) {
      const field = rnd.pick(['containers', 'initContainers', 'ephemeralContainers']);
      const first = Array.isArray(spec.containers) ? spec.containers[0] : undefined;
      const copy = first && typeof first === 'object' ? structuredClone(first) : { image: 'nginx' };
      copy.name = `extra${rnd.int(100)}`;
      if (rnd.chance(0.5))
        copy.image = rnd.pick(['busybox', 'nginx:latest', 'ghcr.io/a/b:1.2', 'b@sha256:abc']);
      spec[field] = [...(Array.isArray(spec[field]) ? spec[field] : []), copy];
      continue;
    }
    if (kind === 1) {
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        [rnd.pick(['app', 'team', 'env', 'x'])]: rnd.pick(STOCK),
      };
      continue;
    }
    if (kind === 2) {
      // an earlier mutation may have retyped the map (a string, a list): start a new one
      const prior = obj.metadata.annotations;
      const annotations = prior && typeof prior === 'object' && !Array.isArray(prior) ? prior : {};
      const keys = Object.keys(annotations);
      if (keys.length && rnd.chance(0.5)) delete annotations[rnd.pick(keys)];
      else
        annotations[
          rnd.pick([...strings].filter((s) => /^[a-z0-9.\-/]+$/i.test(s) && s.length > 2).concat('a/b'))
        ] = rnd.pick(STOCK);
      obj.metadata.annotations = annotations;
      continue;
    }
    if (kind === 3) {
      if (rnd.chance(0.3)) delete obj.metadata.namespace;
      else obj.metadata.namespace = rnd.pick(['default', 'kube-system', 'prod', 'test-ns']);
      continue;
    }
    if (all.length === 0) continue;
    const p = rnd.pick(all);
    const parent = get(obj, p.slice(0, -1));
    const key = p[p.length - 1];
    const current = parent[key];
    switch (kind) {
      case 4: // drop
        if (Array.isArray(parent)) parent.splice(key, 1);
        else delete parent[key];
        break;
      case 5: // null
        parent[key] = null;
        break;
      case 6: // empty
        parent[key] = Array.isArray(current) || rnd.chance(0.5) ? [] : {};
        break;
      case 7: // duplicate list element or retype
        if (Array.isArray(parent)) parent.splice(key, 0, structuredClone(current));
        else if (typeof current === 'number') parent[key] = String(current);
        else if (typeof current === 'boolean') parent[key] = String(current);
        else if (typeof current === 'string' && /^-?\d+(\.\d+)?$/.test(current))
          parent[key] = Number(current);
        else parent[key] = rnd.pick([1, true, '1', [current]]);
        break;
      case 8: // flip booleans, nudge numbers
        if (typeof current === 'boolean') parent[key] = !current;
        else if (typeof current === 'number')
          parent[key] = rnd.pick([0, -1, current + 1, current * 1000, 0.5]);
        else parent[key] = rnd.pick(STOCK);
        break;
      default: // a string from the policies or the stock
        parent[key] = rnd.chance(0.6) && strings.size ? rnd.pick([...strings]) : rnd.pick(STOCK);
    }
  }
  return obj;
}

// The reference prints logs (mutated and generated resources, `Generate:` lines) before its
// reports: the report documents are the `---`-separated chunks that parse and carry results.
function reportDocs(text) {
  const docs = [];
  for (const chunk of text.split(/^---$/m)) {
    const start = chunk.indexOf('apiVersion');
    if (start < 0) continue;
    try {
      for (const d of yaml.loadAll(chunk.slice(start))) if (Array.isArray(d?.results)) docs.push(d);
    } catch {
      // a log chunk
    }
  }
  return docs;
}

function reportResults(docs) {
  const map = new Map();
  for (const doc of docs) {
    for (const r of doc?.results ?? []) {
      for (const res of r.resources ?? [{}]) {
        const key = `${r.policy}|${r.rule ?? ''}|${res.kind}|${res.namespace ?? ''}|${res.name}`;
        map.set(key, [...(map.get(key) ?? []), { result: r.result, message: r.message }]);
      }
    }
  }
  return map;
}

/**
 * JSON with keys sorted at every level, the CLIs' load-time normalisations applied (namespace
 * `default` dropped, null annotations/labels/... as {}), so unmutated resources compare equal.
 */
const NIL_MAPS = new Set(['annotations', 'labels', 'matchLabels', 'nodeSelector', 'data', 'stringData']);
function canonical(value) {
  const sort = (v) =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, v[k] === null && NIL_MAPS.has(k) ? {} : sort(v[k])]),
          )
        : v;
  const out = sort(value);
  const ns = out?.metadata?.namespace;
  // a namespaced kind's empty or wrong-typed namespace loads as `default` in both CLIs
  if (
    ns === 'default' ||
    (ns !== undefined && (ns === '' || typeof ns !== 'string') && !CLUSTER_SCOPED.has(out.kind))
  )
    delete out.metadata.namespace;
  return JSON.stringify(out);
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
]);

// Names are unique in a batch; the namespace is left out since the CLIs fill in `default`.
const resourceKey = (d) => `${d.kind}|${d.metadata?.name}`;

async function runCli(cmd, args) {
  try {
    const { stdout, stderr } = await run(cmd[0], [...cmd.slice(1), ...args], {
      maxBuffer: 1 << 30,
      timeout: 600_000,
    });
    return { stdout, stderr };
  } catch (error) {
    // Killed at the timeout (a loaded machine): its partial output is no report, not empty results.
    if (error.killed || error.signal)
      return { stdout: '', stderr: `panic: ${cmd[0]} stopped by ${error.signal ?? 'timeout'} after 600s` };
    if (typeof error.stdout === 'string' && (error.stdout.length || /^panic:/m.test(error.stderr ?? '')))
      return { stdout: error.stdout, stderr: String(error.stderr ?? '') };
    throw error;
  }
}

/** Both CLIs on `suites`' policies and `resources` in `dir`: the differences, or why the reference stopped. */
async function compareRun(args, dir, suites, resources) {
  mkdirSync(dir, { recursive: true });
  const resourceFile = join(dir, 'resources.yaml');
  writeFileSync(resourceFile, resources.map((r) => yaml.dump(r, { noRefs: true })).join('---\n'));
  const policies = suites.flatMap((s) => s.policyFiles);
  writeFileSync(join(dir, 'policies.txt'), `${policies.join('\n')}\n`);
  const palMutated = join(dir, 'palisade-mutated.yaml');
  const refMutated = join(dir, 'reference-mutated.yaml');
  const [{ stdout: pal }, { stdout: ref, stderr: refErr }] = await Promise.all([
    runCli(
      ['node', join(root, 'dist/cli/main.js')],
      ['apply', ...policies, '--resource', resourceFile, '-p', '--mutated-output', palMutated],
    ),
    runCli([args.ref], ['apply', ...policies, '--resource', resourceFile, '-p', '-o', refMutated]),
  ]);
  writeFileSync(join(dir, 'palisade.yaml'), pal);
  writeFileSync(join(dir, 'reference.yaml'), ref);
  const aborted = /^(Error: failed to apply (?:deleting )?policies on .*|panic: .*)$/m.exec(refErr);
  if (aborted) return { aborted: aborted[0], diffs: [], compared: 0, pairs: 0 };
  const diffs = [];
  let compared = 0;
  const palMap = reportResults(yaml.loadAll(pal));
  const refMap = reportResults(reportDocs(ref));
  const pairs = policies.length * resources.length;
  for (const key of new Set([...palMap.keys(), ...refMap.keys()])) {
    compared++;
    const p = (palMap.get(key) ?? [])
      .map((r) => r.result)
      .sort()
      .join(',');
    const r = (refMap.get(key) ?? [])
      .map((x) => x.result)
      .sort()
      .join(',');
    if (p !== r)
      diffs.push({
        batch: dir,
        key,
        palisade: palMap.get(key) ?? [],
        reference: refMap.get(key) ?? [],
      });
  }
  // The reference writes every resource (mutated or not) with sorted keys: compare canonical JSON.
  const mutated = (file) =>
    new Map(
      (existsSync(file) ? loadDocs(file) : [])
        .filter((d) => d.kind)
        .map((d) => [resourceKey(d), canonical(d)]),
    );
  const pm = mutated(palMutated);
  const rm = mutated(refMutated);
  const originals = new Map(resources.map((r) => [resourceKey(r), canonical(r)]));
  for (const key of new Set([...pm.keys(), ...rm.keys()])) {
    // the reference's -o file also holds the generated resources (not inputs): not compared here
    if (!originals.has(key)) continue;
    const p = pm.get(key) ?? originals.get(key);
    const r = rm.get(key) ?? originals.get(key);
    if (p !== r)
      diffs.push({
        batch: dir,
        key: `mutate|${key}`,
        palisade: JSON.parse(p ?? 'null'),
        reference: JSON.parse(r ?? 'null'),
      });
  }
  return { diffs, compared, pairs };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const rnd = prng(args.seed);
  const suites = loadSuites(args.filter, args.corpus);
  console.log(`${suites.length} suites in ${args.corpus}`);
  // (the kyverno-cli ImageValidatingPolicy, cleanup and exception suites all need more than policies and resources)
  if (suites.length === 0) throw new Error(`no suite of ${args.corpus} matches --filter ${args.filter}`);
  mkdirSync(args.out, { recursive: true });
  const diffs = [];
  let compared = 0;
  let pairs = 0;
  for (let b = 0; b < args.batches; b++) {
    const chosen = new Set();
    const names = new Set();
    for (let tries = 0; chosen.size < Math.min(args.folders, suites.length) && tries < 1000; tries++) {
      const s = rnd.pick(suites);
      if (args.corpus !== 'kyverno-policies') {
        if (chosen.has(s) || s.policyNames.some((n) => names.has(n))) continue;
        for (const n of s.policyNames) names.add(n);
      }
      chosen.add(s);
    }
    const batch = [...chosen];
    const strings = new Set();
    for (const s of batch) for (const f of s.policyFiles) harvestStrings(loadDocs(f), strings);
    const resources = [];
    const owners = [];
    for (const [i, s] of batch.entries())
      for (const r of s.resources)
        for (let v = 0; v < args.variants; v++) {
          const variant = v === 0 ? structuredClone(r) : mutate(r, rnd, strings);
          const meta = variant.metadata;
          if (!meta || typeof meta !== 'object' || Array.isArray(meta)) variant.metadata = {};
          variant.metadata.name = `${r.metadata.name}-b${b}s${i}v${v}`.toLowerCase().slice(0, 60);
          resources.push(variant);
          owners.push(i);
        }
    const dir = join(args.out, `batch-${args.seed}-${b}`);
    const whole = await compareRun(args, dir, batch, resources);
    if (whole.aborted === undefined) {
      diffs.push(...whole.diffs);
      compared += whole.compared;
      pairs += whole.pairs;
    } else {
      // The reference stops the whole run at some resources (e.g. a kind its REST mapper does not
      // know while MutatingAdmissionPolicies are loaded) or panics (e.g. go-jmespath's merge() of a
      // string): the batch is run again suite by suite, and a suite it stops on is skipped.
      for (const [i, s] of batch.entries()) {
        const own = resources.filter((_, n) => owners[n] === i);
        const one = await compareRun(args, join(dir, `suite-${i}`), [s], own);
        if (one.aborted !== undefined) {
          console.log(`  ${s.id}: the reference stopped (${one.aborted.slice(0, 160)}); skipped`);
          continue;
        }
        diffs.push(...one.diffs);
        compared += one.compared;
        pairs += one.pairs;
      }
    }
    console.log(
      `batch ${b}: ${batch.map((s) => s.id).join(' ')}: ${resources.length} resources, ${diffs.length} differences so far`,
    );
  }
  writeFileSync(join(args.out, `diffs-${args.seed}.json`), JSON.stringify(diffs, null, 2));
  // one line per category (policy, rule, palisade -> reference results), with its first example
  const categories = new Map();
  for (const d of diffs) {
    const [policy, rule] = d.key.split('|');
    const results = (side) =>
      Array.isArray(side) ? side.map((r) => r.result).join(',') || 'none' : side ? 'patched' : 'none';
    const category = d.key.startsWith('mutate|')
      ? `mutate ${d.key.split('|')[1]}: ${results(d.palisade)} -> ${results(d.reference)}`
      : `${policy}/${rule}: ${results(d.palisade)} -> ${results(d.reference)}`;
    const entry = categories.get(category) ?? { count: 0, example: d };
    entry.count++;
    categories.set(category, entry);
  }
  for (const [category, { count, example }] of [...categories].sort((a, b) => b[1].count - a[1].count))
    console.log(
      `${count} ${category}\n    ${example.batch} ${example.key}\n    palisade: ${JSON.stringify(example.palisade).slice(0, 300)}\n    reference: ${JSON.stringify(example.reference).slice(0, 300)}`,
    );
  console.log(`compared ${compared} results (${pairs} policy x resource pairs), ${diffs.length} differences`);
}

main().catch((error) => {
  console.error(error.stack);
  process.exit(2);
});
