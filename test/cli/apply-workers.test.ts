// `apply --workers`: large resource files read and evaluated in worker threads give the output of a
// single-threaded run, byte for byte and in the same order, in every format (docs/decisions/0020).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { generateWorkloads } from '../../bench/generate-workloads.js';
import { applyCommand } from '../../src/cli/commands/apply.js';
import {
  adoptPrestarted,
  prestartApplyWorker,
  wouldPrestart,
} from '../../src/cli/commands/apply-prestart.js';
import { chunking, hasLargeFile, workerStats } from '../../src/cli/commands/apply-workers.js';
import { EXIT_INPUT } from '../../src/cli/exit-codes.js';

const CORPUS = resolve(import.meta.dirname, '../../../shared/conformance/kyverno-policies/pod-security');
const POLICIES = [
  join(CORPUS, 'baseline/disallow-privileged-containers'),
  join(CORPUS, 'restricted/require-run-as-nonroot'),
  join(CORPUS, 'subrule/restricted'),
];
const CTX = { stdin: () => '' };
// Small pieces of small files, so that a few hundred documents make several pieces per worker.
chunking.documents = 16;
chunking.minDocuments = 40;

/**
 * A folder walk of: a file of 150 generated workloads (about 1 in 5 fails) with a duplicate key, a
 * `kind: List` and a document that is no Kubernetes object in it; another file of 100, or (`broken`)
 * one whose syntax error comes after 100 documents, read from there by the command's thread, and a
 * resource without a name; a small file (read by the command's thread).
 */
function inputs(broken = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-workers-'));
  const folder = join(dir, 'manifests');
  mkdirSync(folder);
  const many = generateWorkloads(150).split(/^---\n/m);
  many[30] = many[30]!.replace('kind: ', 'kind: Pod\nkind: ');
  many[60] = `apiVersion: v1\nkind: List\nitems:\n- ${generateWorkloads(1, 900)
    .replace(/^---\n/, '')
    .replace(/\n(?=.)/g, '\n  ')}`;
  many[120] = 'just: some yaml\n';
  writeFileSync(join(folder, 'a-workloads.yaml'), many.join('---\n'));
  if (broken) {
    const nameless = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n';
    writeFileSync(
      join(folder, 'b-broken.yaml'),
      `${generateWorkloads(100, 1000)}---\n${nameless}---\nkind: [Pod\n`,
    );
  } else writeFileSync(join(folder, 'b-more.yaml'), generateWorkloads(100, 1000));
  writeFileSync(join(folder, 'c-small.yaml'), generateWorkloads(3, 2000));
  return folder;
}

/** A run that reads every file whole (no pieces): the reference. */
async function wholeFiles<T>(run: () => Promise<T>): Promise<T> {
  const before = chunking.minDocuments;
  chunking.minDocuments = Number.MAX_SAFE_INTEGER;
  try {
    return await run();
  } finally {
    chunking.minDocuments = before;
  }
}

const FORMATS: readonly (readonly string[])[] = [[], ['-o', 'json'], ['-o', 'junit'], ['-o', 'sarif']];

test('apply gives the same output reading files whole and in pieces with 1, 2 and 3 threads, in every format', async () => {
  const folder = inputs();
  for (const format of FORMATS) {
    const args = [...POLICIES, '-r', folder, ...format];
    const one = await wholeFiles(() => applyCommand([...args, '--workers', '1'], CTX));
    assert.ok(one.stdout.length > 1000, 'the run has output');
    assert.match(one.stdout + one.stderr, /fail/, 'the run has failures');
    // 1: pieces read here only; 2: the command's thread and one worker; 3: two workers (pieces go to
    // both, and some are read here); 'early': 2, the worker started before the inputs are loaded.
    for (const threads of ['1', '2', '3', 'early']) {
      const before = { ...workerStats };
      if (threads === 'early') chunking.largeFileBytes = 1000;
      const many = await applyCommand([...args, '--workers', threads === 'early' ? '2' : threads], CTX);
      chunking.largeFileBytes = 4 << 20;
      const what = `${threads} threads, ${format.join(' ') || 'text'}`;
      assert.ok(workerStats.pieces > before.pieces, `pieces were read (${what})`);
      if (threads !== '1')
        assert.ok(workerStats.inWorkers > before.inWorkers, `workers read pieces (${what})`);
      assert.ok(workerStats.here > before.here, `the command's thread read pieces (${what})`);
      assert.equal(many.exitCode, one.exitCode, what);
      assert.equal(many.stderr, one.stderr, what);
      assert.ok(many.stdout === one.stdout, `stdout differs (${what})`);
    }
  }
});

test('a syntax error late in a large file: the same diagnostics with 1 and 2 workers', async () => {
  const folder = inputs(true);
  for (const format of [[], ['-o', 'sarif']]) {
    const args = [...POLICIES, '-r', folder, ...format];
    const one = await wholeFiles(() => applyCommand([...args, '--workers', '1'], CTX));
    const inPieces = await applyCommand([...args, '--workers', '1'], CTX);
    assert.deepEqual(
      [inPieces.exitCode, inPieces.stderr, inPieces.stdout],
      [one.exitCode, one.stderr, one.stdout],
    );
    const two = await applyCommand([...args, '--workers', '2'], CTX);
    chunking.largeFileBytes = 1000;
    const early = await applyCommand([...args, '--workers', '2'], CTX);
    chunking.largeFileBytes = 4 << 20;
    assert.deepEqual([early.exitCode, early.stderr, early.stdout], [one.exitCode, one.stderr, one.stdout]);
    assert.equal(one.exitCode, EXIT_INPUT, 'the syntax error is an input error');
    assert.match(one.stderr, /b-broken\.yaml:\d{4,}:\d+/, 'the syntax error is placed in its file');
    assert.match(one.stderr, /mapping key "kind" already defined/);
    assert.match(one.stderr, /skipped/);
    assert.match(one.stderr, /neither metadata.name/);
    assert.deepEqual([two.exitCode, two.stderr, two.stdout], [one.exitCode, one.stderr, one.stdout]);
  }
});

test('generate rules that could not build their resource: the same warnings from pieces read in workers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-gen-'));
  const namespaces = Array.from(
    { length: 120 },
    (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${i}\n`,
  );
  writeFileSync(join(dir, 'namespaces.yaml'), namespaces.join('---\n'));
  const policy = resolve(import.meta.dirname, 'fixtures/generate-failure/policy.yaml');
  const args = [policy, '-r', join(dir, 'namespaces.yaml')];
  const one = await wholeFiles(() => applyCommand([...args, '--workers', '1'], CTX));
  const before = { ...workerStats };
  const two = await applyCommand([...args, '--workers', '2'], CTX);
  assert.ok(workerStats.inWorkers > before.inWorkers, 'workers read pieces');
  // Two rules fail to build for each of the 120 namespaces; the text shows the first 200 diagnostics.
  assert.match(
    one.stderr,
    /namespaces\.yaml:6:1 \(document 2\): warning generate\/not-built: policy gen-clone, rule clone-secret/,
  );
  assert.match(one.stderr, /40 more diagnostics not shown \(0 of them errors\)/);
  assert.deepEqual([two.exitCode, two.stderr, two.stdout], [one.exitCode, one.stderr, one.stdout]);
});

test('hasLargeFile: a named file or a file directly in a named folder, at the bound; not deeper, not stdin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-large-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'small.yaml'), 'x'.repeat(999));
  writeFileSync(join(dir, 'sub', 'big.yaml'), 'x'.repeat(1000));
  writeFileSync(join(dir, 'sub', 'big.txt'), 'x'.repeat(1000));
  chunking.largeFileBytes = 1000;
  try {
    const cases: [readonly string[], boolean][] = [
      [[join(dir, 'small.yaml')], false],
      [[join(dir, 'sub', 'big.yaml')], true],
      [[join(dir, 'sub', 'big.txt')], true],
      [[join(dir, 'sub')], true],
      [[dir], false],
      [['-', join(dir, 'missing.yaml')], false],
      [[join(dir, 'small.yaml'), join(dir, 'sub')], true],
    ];
    for (const [paths, want] of cases) assert.equal(hasLargeFile(paths), want, paths.join(' '));
  } finally {
    chunking.largeFileBytes = 4 << 20;
  }
});

/** What the binary's entry does for `apply` (src/main.ts), through tsx's loader as the sources need. */
function prestart(code?: string): Worker {
  const module = pathToFileURL(resolve(import.meta.dirname, '../../src/cli/commands/apply-workers.ts')).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(module)}))`;
  return prestartApplyWorker(code ?? boot, { eval: true });
}

test('a worker the entry started is adopted by apply (same output), stopped when apply runs in one thread, replaced when it failed', async () => {
  const folder = inputs();
  for (const format of [[], ['-o', 'json']]) {
    const args = [...POLICIES, '-r', folder, ...format];
    const one = await wholeFiles(() => applyCommand([...args, '--workers', '1'], CTX));
    chunking.largeFileBytes = 1000;
    try {
      // Adopted: it gets its arguments as its first message.
      let before = { ...workerStats };
      prestart();
      const adopted = await applyCommand([...args, '--workers', '2'], CTX);
      assert.equal(workerStats.adopted, before.adopted + 1, 'the started worker was adopted');
      assert.ok(workerStats.inWorkers > before.inWorkers, 'it read pieces');
      assert.deepEqual(
        [adopted.exitCode, adopted.stderr, adopted.stdout],
        [one.exitCode, one.stderr, one.stdout],
      );
      // One thread: stopped, not adopted later.
      before = { ...workerStats };
      prestart();
      const single = await applyCommand([...args, '--workers', '1'], CTX);
      assert.equal(adoptPrestarted(), undefined, 'apply stopped the started worker');
      assert.equal(workerStats.adopted, before.adopted);
      assert.deepEqual(
        [single.exitCode, single.stderr, single.stdout],
        [one.exitCode, one.stderr, one.stdout],
      );
      // Failed before it was adopted: apply starts its own.
      before = { ...workerStats };
      // Referenced while the test waits for its end (the entry's worker is not, until adopted).
      const failing = prestart("throw new Error('no module')");
      failing.ref();
      await new Promise((r) => failing.once('exit', r));
      const replaced = await applyCommand([...args, '--workers', '2'], CTX);
      assert.equal(workerStats.adopted, before.adopted, 'a failed worker is not adopted');
      assert.ok(workerStats.inWorkers > before.inWorkers, 'a fresh worker read pieces');
      assert.deepEqual(
        [replaced.exitCode, replaced.stderr, replaced.stdout],
        [one.exitCode, one.stderr, one.stdout],
      );
    } finally {
      chunking.largeFileBytes = 4 << 20;
    }
  }
});

test('wouldPrestart: a large resource file named with -r/--resource(s), nothing that keeps apply in one thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-prestart-'));
  const big = join(dir, 'big.yaml');
  writeFileSync(big, 'x'.repeat(4 << 20));
  writeFileSync(join(dir, 'small.yaml'), 'x');
  const small = join(dir, 'small.yaml');
  const cases: [readonly string[], boolean][] = [
    [['p.yaml', '-r', big], true],
    [['p.yaml', '--resource', big], true],
    [['p.yaml', '--resources', dir], true],
    [['p.yaml', `--resource=${big}`], true],
    [['p.yaml', '-r', small, '-r', big, '-o', 'json'], true],
    [['p.yaml', '-r', small], false],
    [[big], false],
    [['p.yaml', '-r', big, '--workers', '2'], false],
    [['p.yaml', '-r', big, '--workers=1'], false],
    [['-', '-r', big], false],
    [['p.yaml', '-r', '-'], false],
    [['p.yaml', '-r'], false],
    [['p.yaml', '-r', big, '--target-resource', small], false],
    [['p.yaml', '--', '-r', big], false],
  ];
  for (const [args, want] of cases)
    assert.equal(wouldPrestart(args), want && availableParallelism() > 1, args.join(' '));
});
