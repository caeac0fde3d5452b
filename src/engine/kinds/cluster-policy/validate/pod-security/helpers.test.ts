import assert from 'node:assert/strict';
import { test } from 'node:test';
import { child, visitContainers } from './helpers.js';
import type { JsonMap } from './types.js';

test('visitContainers: init, regular, then ephemeral containers, each with its path, past the kept paths too', () => {
  const named = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}` }));
  const table: { spec: JsonMap; want: [string, string][] }[] = [
    { spec: {}, want: [] },
    {
      spec: { ephemeralContainers: named('e', 1), containers: [null, 'x'], initContainers: named('i', 1) },
      want: [
        ['i0', 'spec.initContainers[0]'],
        ['', 'spec.containers[0]'],
        ['', 'spec.containers[1]'],
        ['e0', 'spec.ephemeralContainers[0]'],
      ],
    },
    {
      spec: { containers: named('c', 40) },
      want: Array.from({ length: 40 }, (_, i) => [`c${i}`, `spec.containers[${i}]`] as [string, string]),
    },
  ];
  for (const { spec, want } of table) {
    const seen: [string, string][] = [];
    visitContainers(spec, (c, path) => {
      seen.push([typeof c.name === 'string' ? c.name : '', path]);
    });
    assert.deepEqual(seen, want);
  }
});

test('child: each key read in turn, undefined past a value that is not a map (as the former loop over keys)', () => {
  const loop = (obj: unknown, keys: string[]): unknown => {
    let cur = obj;
    for (const k of keys) {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      cur = (cur as JsonMap)[k];
    }
    return cur;
  };
  const values: unknown[] = [
    undefined,
    null,
    0,
    'a',
    false,
    ['x'],
    {},
    { a: null },
    { a: { b: 0 } },
    { a: { b: { c: false } } },
    { a: { b: { c: { d: 'deep' } } } },
    { a: { b: { c: { d: null } } } },
    { a: [{ b: 1 }] },
    { a: { b: ['c'] } },
  ];
  const keyLists = [
    ['a'],
    ['a', 'b'],
    ['a', 'b', 'c'],
    ['a', 'b', 'c', 'd'],
    ['x', 'b'],
    ['a', 'x', 'c', 'd'],
  ];
  let found = 0;
  for (const value of values)
    for (const keys of keyLists) {
      const [k1, k2, k3, k4] = keys as [string, string?, string?, string?];
      const got = child(value, k1, k2, k3, k4);
      assert.equal(got, loop(value, keys), `${JSON.stringify(value)} ${keys.join('.')}`);
      if (got !== undefined) found++;
    }
  assert.ok(found >= 8);
});
