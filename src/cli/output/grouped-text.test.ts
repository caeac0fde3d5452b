// Texts kept per group, spilled past a bound: each group's texts back in the order added, wherever
// chunks end, however they were kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpillFile } from '../../io/files/spill-file.js';
import { GroupedText } from './grouped-text.js';
import type { ChunkSpill } from './held-chunks.js';

/** A spill in memory that copies what it is given (so a reused buffer would show) and counts reads. */
function memorySpill(): {
  spill: ChunkSpill;
  appended: () => number;
  read: () => number;
  closed: () => number;
} {
  const chunks: Uint8Array[] = [];
  let read = 0;
  let closed = 0;
  return {
    spill: {
      append: (b, n) => {
        chunks.push(new Uint8Array(b.subarray(0, n)));
      },
      chunk: (i) => {
        read++;
        return new Uint8Array(chunks[i]!);
      },
      chunks: () => {
        throw new Error('grouped texts are read back by index');
      },
      close: () => {
        closed++;
      },
    },
    appended: () => chunks.length,
    read: () => read,
    closed: () => closed,
  };
}

const TEXTS = [
  'a',
  '',
  'ünï€\n\ud83d\ude00',
  'x'.repeat(300),
  'line\nbreak',
  'é',
  'lone \ud800 surrogate',
  '\u2028',
];

/** 400 texts over 5 groups, group 3 only at the start and group 4 never (a group with no text). */
function entries(): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i < 400; i++) {
    const group = i < 20 ? i % 4 : [0, 1, 2, 0, 1][i % 5]!;
    out.push([group, `${i}:${TEXTS[i % TEXTS.length]!}`]);
  }
  return out;
}

test('each group gives back its texts in the order added: in memory, through a spill and a real file', () => {
  const all = entries();
  const expected = (g: number) => all.filter(([x]) => x === g).map(([, t]) => Buffer.from(t).toString());
  for (const kind of ['memory', 'spill', 'file'] as const)
    for (const chunkBytes of [9, 20, 64, 1 << 16]) {
      const m = memorySpill();
      const spill = kind === 'spill' ? () => m.spill : kind === 'file' ? () => SpillFile.open() : undefined;
      const t = new GroupedText({ ...(spill !== undefined ? { spill } : {}), heldBytes: 100, chunkBytes });
      for (const [g, text] of all) t.add(g, text);
      for (const g of [2, 0, 4, 1, 3, 0])
        assert.deepEqual([...t.texts(g)], expected(g), `${kind} ${chunkBytes} group ${g}`);
      if (kind === 'spill' && chunkBytes < 1 << 16) {
        assert.ok(m.appended() > 0, 'chunks went to the spill');
        // Group 3 is only in the first chunks: reading it reads only those.
        const before = m.read();
        [...t.texts(3)];
        assert.ok(m.read() - before < m.appended() / 4, 'a group reads only its chunks');
      }
      t.close();
      if (kind === 'spill')
        assert.equal(m.closed(), chunkBytes < 1 << 16 ? 1 : 0, 'the spill, opened once, is closed');
      assert.throws(() => t.texts(0).next(), /closed/);
      assert.throws(() => t.add(0, 'x'), /closed/);
    }
});

test('no spill to be had keeps every chunk in memory', () => {
  const t = new GroupedText({ spill: () => undefined, heldBytes: 10, chunkBytes: 16 });
  for (let i = 0; i < 100; i++) t.add(i % 2, String(i));
  assert.deepEqual(
    [...t.texts(1)],
    Array.from({ length: 50 }, (_, i) => String(2 * i + 1)),
  );
});
