import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getOrCreate } from './get-or-create.js';
import { RecentMemo } from './recent-memo.js';

describe('RecentMemo', () => {
  it('answers by identity, not by equal content', () => {
    const memo = new RecentMemo<object, string>(4);
    const a = { name: 'a' };
    memo.set(a, 'A');
    assert.equal(memo.get(a), 'A');
    assert.equal(memo.get({ name: 'a' }), undefined);
  });

  it('replaces the entry of a key it holds', () => {
    const memo = new RecentMemo<object, number>(2);
    const a = {};
    memo.set(a, 1).set(a, 2);
    assert.equal(memo.get(a), 2);
  });

  it('keeps only the last `size` keys: an older one is computed again', () => {
    const memo = new RecentMemo<object, number>(2);
    const keys = [{}, {}, {}];
    let computed = 0;
    const value = (k: object) => getOrCreate(memo, k, () => ++computed);
    assert.deepEqual(
      keys.map((k) => value(k)),
      [1, 2, 3],
    );
    assert.equal(value(keys[2] as object), 3);
    assert.equal(value(keys[1] as object), 2);
    // The first key was evicted by the third: a fresh value, never another key's.
    assert.equal(value(keys[0] as object), 4);
  });

  it('holds nothing after clear', () => {
    const memo = new RecentMemo<object, number>(3);
    const a = {};
    memo.set(a, 1);
    memo.clear();
    assert.equal(memo.get(a), undefined);
  });
});
