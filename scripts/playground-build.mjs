#!/usr/bin/env node
// The playground as static files: esbuild bundles src/playground/ui/main.ts (the page, CodeMirror
// and the same engine the CLI runs) for the browser into dist-playground/, beside index.html,
// style.css, the third-party licences and catalogue.js, the examples drawn at build time from
// Kyverno's sample-policy library (../shared/conformance/kyverno-policies when present; another
// folder with --catalogue <dir>). The output is plain files: `palisade playground` serves them on
// localhost, and any static host can. Node built-ins the engine imports are replaced by
// src/playground/shims (test/architecture.test.ts keeps the list closed).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parseAllDocuments } from 'yaml';
import { thirdPartyLicenses } from './third-party-licenses.mjs';

const root = resolve(import.meta.dirname, '..');
const LICENSES_HEADING = 'The playground bundle includes the following npm packages. Their licences follow.';
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const outdir = resolve(root, arg('--out') ?? 'dist-playground');
const catalogueSource = resolve(root, arg('--catalogue') ?? '../shared/conformance/kyverno-policies');
const UI = join(root, 'src/playground/ui');

/** Every kyverno-test.yaml below `dir` (dot-folders included: the library keeps suites in `.kyverno-test`). */
function findSuites(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === '.git' || name === '.chainsaw-test') continue;
    if (statSync(full).isDirectory()) findSuites(full, out);
    else if (name === 'kyverno-test.yaml') out.push(full);
  }
  return out;
}

const read = (file) => (existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined);
// A file's last line keeps its trailing spaces (a block scalar holds them).
const joinDocs = (texts) => texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('---\n');
/** Examples larger than this are left out: the catalogue ships with the page. */
const MAX_ENTRY = 24 * 1024;

/** One example per suite: its policies and resources as the suite names them, titled by the policy. */
function catalogueEntry(suiteFile, base) {
  const dir = dirname(suiteFile);
  let suite;
  try {
    suite = parseAllDocuments(readFileSync(suiteFile, 'utf8'))[0]?.toJS();
  } catch {
    return undefined;
  }
  if (suite === null || typeof suite !== 'object') return undefined;
  const texts = (list) => (Array.isArray(list) ? list.map((p) => read(join(dir, String(p)))) : []);
  const policies = texts(suite.policies);
  const resources = texts(suite.resources);
  if (policies.length === 0 || resources.length === 0 || [...policies, ...resources].includes(undefined))
    return undefined;
  let first;
  try {
    first = parseAllDocuments(policies[0])
      .map((d) => d.toJS())
      .find((d) => d?.kind !== undefined);
  } catch {
    return undefined;
  }
  const annotations = first?.metadata?.annotations ?? {};
  const entry = {
    id: relative(base, dir).replace(/\/\.kyverno-test$/, ''),
    title: annotations['policies.kyverno.io/title'] ?? first?.metadata?.name ?? relative(base, dir),
    category: annotations['policies.kyverno.io/category'] ?? 'Other',
    kind: first?.kind ?? '',
    policies: joinDocs(policies),
    resources: joinDocs(resources),
  };
  const values = suite.variables !== undefined ? read(join(dir, String(suite.variables))) : undefined;
  if (values !== undefined) entry.values = values;
  const context = suite.context !== undefined ? read(join(dir, String(suite.context))) : undefined;
  if (context !== undefined) entry.context = context;
  return JSON.stringify(entry).length <= MAX_ENTRY ? entry : undefined;
}

function buildCatalogue() {
  if (!existsSync(catalogueSource)) {
    console.warn(`playground: ${catalogueSource} not found; the examples catalogue is empty`);
    return [];
  }
  const entries = findSuites(catalogueSource)
    .map((f) => catalogueEntry(f, catalogueSource))
    .filter((e) => e !== undefined);
  return entries.sort((a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title));
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/playground/ui/main.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome115', 'firefox115', 'safari17'],
  outdir,
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  preserveSymlinks: true,
  alias: {
    'node:buffer': './src/playground/shims/buffer.ts',
    'node:crypto': './src/playground/shims/crypto.ts',
    'node:zlib': './src/playground/shims/zlib.ts',
  },
  inject: ['./src/playground/ui/buffer-global.ts'],
  define: { 'process.env.NODE_ENV': '"production"' },
});
writeFileSync(
  join(outdir, 'THIRD-PARTY-LICENSES.txt'),
  thirdPartyLicenses(Object.keys(result.metafile.inputs), root, LICENSES_HEADING),
);
for (const f of ['index.html', 'style.css']) writeFileSync(join(outdir, f), readFileSync(join(UI, f)));
const entries = buildCatalogue();
writeFileSync(join(outdir, 'catalogue.js'), `globalThis.PALISADE_CATALOGUE=${JSON.stringify(entries)};\n`);

// What a browser transfers: every file the page loads, raw and gzip-compressed.
const loaded = ['index.html', 'style.css', 'app.js', 'catalogue.js'];
let raw = 0;
let gz = 0;
for (const f of loaded) {
  const bytes = readFileSync(join(outdir, f));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(
  `playground: ${relative(root, outdir)}/ (${entries.length} examples): page ${kb(raw)}, ${kb(gz)} gzip-compressed`,
);
