// Text kept in chunks, spilled past a bound: its lines back as written, wherever chunks end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpillFile } from '../../io/files/spill-file.js';
import { SpilledText } from './spilled-text.js';

test('the lines of the text added, in memory, through a spill and through a real file', () => {
  const pieces = ['a', 'b\nc', '\n', '', 'ünï€\n\ud83d\ude00', 'x'.repeat(200), '\n\nend', 'é\n'];
  const text = pieces.join('');
  let appended = 0;
  const spills = [
    undefined,
    () => {
      const memory: Uint8Array[] = [];
      return {
        append: (b: Uint8Array, n: number) => {
          appended++;
          memory.push(new Uint8Array(b.subarray(0, n)));
        },
        chunks: () => memory,
        chunk: (i: number) => memory[i]!,
        close: () => {},
      };
    },
    () => SpillFile.open(),
  ];
  for (const spill of spills)
    for (const chunkBytes of [16, 17, 64, 1 << 16]) {
      const t = new SpilledText({ ...(spill !== undefined ? { spill } : {}), heldBytes: 20, chunkBytes });
      for (const p of pieces) t.add(p);
      assert.deepEqual([...t.lines()], text.split('\n'), `chunks of ${chunkBytes}`);
      assert.throws(() => t.lines().next(), /read twice/);
    }
  assert.ok(appended > 0, 'chunks went to the spill');
});
