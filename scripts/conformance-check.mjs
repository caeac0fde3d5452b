#!/usr/bin/env node
// Ratchet over the shared Kyverno conformance corpus: runs ../shared/conformance/run through the built
// CLI and compares each suite's status with test/conformance/known-failures.txt. A listed suite that now
// passes, or an unlisted suite that fails, fails the check. `--update` rewrites the list instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/conformance');
const listFile = join(root, 'test/conformance/known-failures.txt');
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
    join(corpus, 'kyverno-policies'),
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
    '# "0 tests passed and 0 tests failed" means the suite names files (`.chainsaw-test/`) missing from the corpus.',
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
for (const r of fixed) console.error(`now passing, remove it from known-failures.txt: ${r.suite}`);
const bad = regressions.length + fixed.length;
console.log(`${rows.length - failing.length} passed, ${bad} failed`);
process.exit(bad === 0 ? 0 : 1);
