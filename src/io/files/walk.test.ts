import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandPaths } from './walk.js';

test('folders are walked recursively; hidden entries and non-YAML files are skipped; - is stdin', () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-walk-'));
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, '.hidden'));
  for (const f of ['a.yaml', 'sub/b.yml', 'sub/c.json', 'notes.txt', '.hidden/d.yaml', '.e.yaml'])
    writeFileSync(join(root, f), 'x: 1\n');
  const r = expandPaths([root, '-']);
  assert.deepEqual(r.files, [join(root, 'a.yaml'), join(root, 'sub/b.yml'), join(root, 'sub/c.json'), '-']);
  assert.deepEqual(r.issues, []);
});

test('a missing path is an input/not-found diagnostic naming it', () => {
  const r = expandPaths(['/no/such/palisade/file.yaml']);
  assert.equal(r.issues[0]?.code, 'input/not-found');
  assert.equal(r.issues[0]?.source?.file, '/no/such/palisade/file.yaml');
});

test('symbolic link loops end and broken links are warnings', () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-walk-'));
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub/a.yaml'), 'x: 1\n');
  symlinkSync('..', join(root, 'sub/up'));
  symlinkSync('missing.yaml', join(root, 'gone.yaml'));
  const r = expandPaths([root]);
  assert.deepEqual(r.files, [join(root, 'sub/a.yaml')]);
  assert.deepEqual(
    r.issues.map((d) => [d.code, d.severity]),
    [['input/read-error', 'warning']],
  );
});

test('FIFOs, sockets and links to them are skipped with a warning naming them, never opened', async () => {
  const root = mkdtempSync(join(tmpdir(), 'palisade-walk-'));
  writeFileSync(join(root, 'a.yaml'), 'x: 1\n');
  execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
  symlinkSync('pipe.yaml', join(root, 'link.yaml'));
  symlinkSync('/dev/null', join(root, 'null.yaml'));
  const server = createServer();
  await new Promise<void>((done) => server.listen(join(root, 'sock.yaml'), done));
  try {
    const r = expandPaths([root]);
    assert.deepEqual(r.files, [join(root, 'a.yaml')]);
    const texts = r.issues.map((d) => `${d.severity} ${d.message}`);
    assert.deepEqual(texts, [
      `warning skipped ${join(root, 'link.yaml')}: a symbolic link to a FIFO (named pipe), not a regular file`,
      `warning skipped ${join(root, 'null.yaml')}: a symbolic link to a character device, not a regular file`,
      `warning skipped ${join(root, 'pipe.yaml')}: a FIFO (named pipe), not a regular file`,
      `warning skipped ${join(root, 'sock.yaml')}: a socket, not a regular file`,
    ]);
  } finally {
    server.close();
  }
});
