#!/usr/bin/env node
// Ratchet over a shared Kyverno conformance corpus: runs ../shared/conformance/run through the built
// CLI and compares each suite's status with the corpus's known-failures list. A listed suite that now
// passes, or an unlisted suite that fails, fails the check. `--update` rewrites the list instead.
// `--corpus kyverno-policies` (default; list test/conformance/known-failures.txt) or
// `--corpus kyverno-cli` (the reference's own CLI suites; list test/conformance/kyverno-cli-known-failures.txt).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/conformance');
const corpusArg = process.argv.indexOf('--corpus');
const corpusName = corpusArg >= 0 ? (process.argv[corpusArg + 1] ?? '') : 'kyverno-policies';
const LISTS = {
  'kyverno-policies': 'test/conformance/known-failures.txt',
  'kyverno-cli': 'test/conformance/kyverno-cli-known-failures.txt',
};
if (!(corpusName in LISTS)) {
  console.error(`conformance-check: unknown corpus ${corpusName} (${Object.keys(LISTS).join(', ')})`);
  process.exit(2);
}
const listFile = join(root, LISTS[corpusName]);
const update = process.argv.includes('--update');

if (!existsSync(join(corpus, 'run'))) {
  console.log('conformance: corpus not found beside the project; skipped');
  process.exit(0);
}
const report = join(mkdtempSync(join(tmpdir(), 'palisade-conf-')), 'report.tsv');
const run = spawnSync(
  join(corpus, 'run'),
  [
    '--cli',
    `node ${join(root, 'dist/cli/main.js')}`,
    '--jobs',
    '2',
    '--report',
    report,
    join(corpus, corpusName),
  ],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
process.stdout.write(run.stdout);
const rows = readFileSync(report, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [status = '', suite = '', why = ''] = line.split('\t');
    return { status, suite, why };
  });
const failing = rows.filter((r) => r.status !== 'PASS');

if (update) {
  const header = [
    '# Conformance suites that do not pass yet (a ratchet: `npm run conformance:check` fails when one of',
    '# these passes or when a suite not listed here fails). Rewrite with `node scripts/conformance-check.mjs --update`.',
    `# Corpus: ../shared/conformance/${corpusName}.`,
  ];
  const text = failing.map((r) => `${r.suite}\t# ${r.status} ${r.why}`.trimEnd());
  writeFileSync(listFile, `${[...header, ...text].join('\n')}\n`);
  console.log(`known failures: ${failing.length} written to ${listFile}`);
  process.exit(0);
}
const known = new Set(
  existsSync(listFile)
    ? readFileSync(listFile, 'utf8')
        .split('\n')
        .map((l) => l.split('\t')[0]?.trim() ?? '')
        .filter((l) => l !== '' && !l.startsWith('#'))
    : [],
);
const regressions = failing.filter((r) => !known.has(r.suite));
const fixed = rows.filter((r) => r.status === 'PASS' && known.has(r.suite));
for (const r of regressions) console.error(`regression: ${r.suite} ${r.status} ${r.why}`);
for (const r of fixed) console.error(`now passing, remove it from ${LISTS[corpusName]}: ${r.suite}`);
const bad = regressions.length + fixed.length;
console.log(`${rows.length - failing.length} passed, ${bad} failed`);
process.exit(bad === 0 ? 0 : 1);
