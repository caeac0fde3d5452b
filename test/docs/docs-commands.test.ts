// Every command shown in docs/*.md runs here (issue #5). A ```sh block must be marked `sh run`
// (optionally `exit=N`, default 0); each doc runs its blocks in order, in a fresh copy of
// docs/examples, with `palisade` on PATH as the tsx-run CLI of this checkout. `helm` and
// `kustomize` are stand-ins that print pre-rendered output from docs/examples/rendered/, since
// neither is installed here: what is tested is Palisade's side of the pipe.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { shellBlocks } from '../support/shell-blocks.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = join(ROOT, 'docs');

function binDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-docs-bin-'));
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const main = join(ROOT, 'src/main.ts');
  const write = (name: string, body: string): void => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  write('palisade', `exec "${process.execPath}" --import "file://${tsx}" "${main}" "$@"`);
  write('helm', 'exec cat rendered/helm-template.yaml');
  write('kustomize', 'exec cat rendered/kustomize-build.yaml');
  return dir;
}

test('shellBlocks reads markers', () => {
  assert.deepEqual(shellBlocks('x\n```sh run exit=1\na\nb\n```\n```sh\nc\n```\n```yaml\nd\n```'), [
    { line: 2, run: true, exit: 1, script: 'a\nb' },
    { line: 6, run: false, exit: 0, script: 'c' },
  ]);
});

const docs = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const bin = binDir();

for (const doc of docs) {
  const blocks = shellBlocks(readFileSync(join(DOCS, doc), 'utf8'));
  if (blocks.length === 0) continue;
  describe(`docs/${doc}`, () => {
    const work = mkdtempSync(join(tmpdir(), 'palisade-docs-'));
    cpSync(join(DOCS, 'examples'), work, { recursive: true });
    for (const b of blocks) {
      test(`line ${b.line}: ${b.script.split('\n')[0]}`, () => {
        assert.ok(b.run, 'every shell block in the docs must be marked `sh run` (and pass)');
        const r = spawnSync('/bin/sh', ['-e', '-c', b.script], {
          cwd: work,
          encoding: 'utf8',
          timeout: 120_000,
          env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
        });
        assert.equal(r.status, b.exit, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /internal error|\n\s+at .+:\d+:\d+/);
      });
    }
  });
}
