// Go nil slices of mutated objects (apiserver cel/mutation/dynamic convertField; encoding/json).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasNilList, isNilList, jsonRoundTrip, keepNil, nilList } from './nil-lists.js';

describe('nil lists', () => {
  test('a nil list is an empty array, told apart by identity only', () => {
    const nil = nilList();
    assert.deepEqual(nil, []);
    assert.equal(isNilList(nil), true);
    assert.equal(isNilList([]), false);
    assert.equal(isNilList(null), false);
    assert.equal(isNilList(keepNil(nil, [])), true);
    assert.equal(isNilList(keepNil([], [])), false);
  });

  const table: { name: string; value: () => unknown; has: boolean; json: unknown }[] = [
    {
      name: 'no nil list',
      value: () => ({ a: [], b: [1, { c: [] }] }),
      has: false,
      json: { a: [], b: [1, { c: [] }] },
    },
    {
      name: 'a nil field',
      value: () => ({ spec: { initContainers: nilList() } }),
      has: true,
      json: { spec: { initContainers: null } },
    },
    {
      name: 'nested in a list',
      value: () => ({ a: [{ b: nilList() }, []] }),
      has: true,
      json: { a: [{ b: null }, []] },
    },
    { name: 'the value itself', value: () => nilList(), has: true, json: null },
    {
      name: 'scalars',
      value: () => ({ a: 1, b: 'x', c: null, d: true }),
      has: false,
      json: { a: 1, b: 'x', c: null, d: true },
    },
  ];
  for (const t of table) {
    test(`${t.name}: found, and JSON writes it as null`, () => {
      const v = t.value();
      assert.equal(hasNilList(v), t.has);
      assert.deepEqual(jsonRoundTrip(v), t.json);
    });
  }

  test('the round trip is a copy with a __proto__ key kept as data', () => {
    const v = JSON.parse('{"__proto__": {"a": 1}, "b": [1]}') as Record<string, unknown>;
    const out = jsonRoundTrip(v) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__', 'b']);
    assert.notEqual(out.b, v.b);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });
});
