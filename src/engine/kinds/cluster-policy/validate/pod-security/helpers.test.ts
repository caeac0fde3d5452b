import assert from 'node:assert/strict';
import { test } from 'node:test';
import { child, forbidden, required, Violations, visitContainers } from './helpers.js';
import type { JsonMap } from './types.js';
import { ALLOWED } from './types.js';

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

test('Violations: lists made at the first violation answer as lists made up front', () => {
  const table: { adds: [string, ...ReturnType<typeof forbidden>[]][]; data: string[]; errs: number }[] = [
    { adds: [], data: [], errs: 0 },
    { adds: [['pod']], data: ['pod'], errs: 0 },
    { adds: [['a', forbidden('spec.x', true)]], data: ['a'], errs: 1 },
    {
      adds: [
        ['a', forbidden('spec.x', true), required('spec.y')],
        ['b', forbidden('spec.z')],
      ],
      data: ['a', 'b'],
      errs: 3,
    },
  ];
  for (const { adds, data, errs } of table) {
    const v = new Violations();
    const other = new Violations();
    for (const [d, ...e] of adds) v.add(d, ...e);
    assert.deepEqual(v.data, data);
    assert.equal(v.errs.length, errs);
    assert.deepEqual(
      v.errs,
      adds.flatMap(([, ...e]) => e),
    );
    assert.equal(v.length, data.length);
    assert.equal(v.empty, data.length === 0);
    // Another set stays empty: the shared empty lists are not written to.
    assert.deepEqual([other.data, other.errs, other.empty], [[], [], true]);
    const denied = v.deny('reason', 'must not');
    if (data.length === 0) assert.equal(denied, ALLOWED);
    else {
      assert.equal(
        denied.forbiddenDetail,
        `${data.length === 1 ? 'container' : 'containers'} "${data.join('", "')}" must not`,
      );
      assert.equal(denied.errList, v.errs);
    }
  }
});
