import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedMemo } from './bounded-memo.js';
import { getOrCreate } from './get-or-create.js';

describe('BoundedMemo', () => {
  it('answers a stored key until it is full', () => {
    const memo = new BoundedMemo<string, number>(3);
    memo.set('a', 1).set('b', 2).set('c', 3);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((k) => memo.get(k)),
      [1, 2, 3, undefined],
    );
    assert.equal(memo.size, 3);
  });

  const cases: { name: string; limit: number; writes: [string, number][]; held: Record<string, number> }[] = [
    {
      name: 'a new key when full empties it first (the new key alone is held)',
      limit: 2,
      writes: [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ],
      held: { c: 3 },
    },
    {
      name: 'replacing a held key when full keeps the others',
      limit: 2,
      writes: [
        ['a', 1],
        ['b', 2],
        ['a', 9],
      ],
      held: { a: 9, b: 2 },
    },
    {
      name: 'a limit below one holds one entry',
      limit: 0,
      writes: [
        ['a', 1],
        ['b', 2],
      ],
      held: { b: 2 },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const memo = new BoundedMemo<string, number>(c.limit);
      for (const [k, v] of c.writes) memo.set(k, v);
      const held = Object.fromEntries(
        ['a', 'b', 'c'].filter((k) => memo.has(k)).map((k) => [k, memo.get(k)]),
      );
      assert.deepEqual(held, c.held);
      assert.equal(memo.size, Object.keys(c.held).length);
    });

  it('tells a stored undefined from a missing key', () => {
    const memo = new BoundedMemo<string, number | undefined>(2);
    memo.set('none', undefined);
    assert.equal(memo.has('none'), true);
    assert.equal(memo.has('other'), false);
  });

  it('computes again after a reset, never answering with another key’s value', () => {
    const memo = new BoundedMemo<string, string>(2);
    let computed = 0;
    const value = (k: string) => getOrCreate(memo, k, () => `${k}${++computed}`);
    assert.deepEqual(['a', 'b', 'a', 'c', 'a'].map(value), ['a1', 'b2', 'a1', 'c3', 'a4']);
  });

  it('holds nothing after clear', () => {
    const memo = new BoundedMemo<string, number>(4);
    memo.set('a', 1);
    memo.clear();
    assert.equal(memo.has('a'), false);
    assert.equal(memo.size, 0);
  });
});
