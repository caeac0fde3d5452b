// The temporary file of chunks: read back as written, nameless while open, absent when it cannot be made.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpillFile } from './spill-file.js';

test('chunks come back in order, with their lengths, and the file has no name while open', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spill-test-'));
  try {
    const f = SpillFile.open(dir);
    assert.ok(f !== undefined);
    assert.deepEqual(readdirSync(dir), [], 'unlinked at once');
    const cases = [[1, 2, 3], [], Array.from({ length: 70000 }, (_, i) => i % 251), [9]];
    const buffer = new Uint8Array(80000);
    for (const c of cases) {
      // One buffer reused and longer than the chunk: only `length` bytes are written, copied.
      buffer.fill(7);
      buffer.set(c);
      f.append(buffer, c.length);
    }
    assert.equal(
      f.size,
      cases.reduce((n, c) => n + 4 + c.length, 0),
    );
    for (let round = 0; round < 2; round++)
      assert.deepEqual(
        [...f.chunks()].map((c) => [...c]),
        cases,
      );
    f.close();
    f.close();
    assert.throws(() => f.append(buffer, 1), /after close/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no file where none can be made', () => {
  assert.equal(SpillFile.open(join(tmpdir(), 'no-such-dir-for-spill', 'deeper')), undefined);
});
