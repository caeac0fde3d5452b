import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { loadCelCorpus } from '../../../test/support/cel-corpus.js';
import { Optional } from './cel-js.js';
import { CEL_MAP_PROTOTYPE, celMap } from './map-prototype.js';
import { CelLazyMap, fromCel, isCelFixedPoint, lazyView, toCel } from './values.js';

describe('toCel / fromCel', () => {
  test('JSON integers become CEL ints, other numbers stay doubles', () => {
    assert.deepEqual(
      toCel({ a: 1, b: 1.5, c: [2], d: null, e: 'x' }),
      Object.assign(celMap(), { a: 1n, b: 1.5, c: [2n], d: null, e: 'x' }),
    );
  });
  test('integers outside int64 stay doubles', () => {
    assert.equal(toCel(1e20), 1e20);
  });
  test('results come back as plain JSON values', () => {
    assert.deepEqual(
      fromCel({ a: [1n, 2.5], b: Optional.of(3n), c: Optional.none(), d: new Map([['k', true]]) }),
      {
        a: [1, 2.5],
        b: 3,
        c: null,
        d: { k: true },
      },
    );
    assert.equal(fromCel(2n ** 60n), 2n ** 60n);
    assert.equal(fromCel(new Date('2024-01-01T00:00:00Z')), '2024-01-01T00:00:00Z');
  });
  test('a lazy map computes each entry once, on first access, and detects cycles', () => {
    let calls = 0;
    const lazy = new CelLazyMap({
      a: () => ++calls,
      self: () => (lazy.celValue as Record<string, unknown>).self,
    });
    const view = toCel(lazy) as Record<string, unknown>;
    assert.equal(calls, 0);
    assert.equal(view.a, 1n);
    assert.equal(view.a, 1n);
    assert.equal(calls, 1);
    assert.throws(() => view.self, /refers to itself/);
  });
  test('a lazy map lists and tests its keys without computing them, and reads like a plain map', () => {
    let calls = 0;
    const lazy = new CelLazyMap({ b: () => ++calls, a: () => ({ x: 1 }) });
    const view = lazy.celValue;
    assert.deepEqual(Object.keys(view), ['b', 'a']);
    assert.equal(Object.hasOwn(view, 'b'), true);
    assert.equal(Object.hasOwn(view, 'c'), false);
    assert.equal('a' in view, true);
    assert.equal(calls, 0);
    assert.deepEqual(fromCel(view), { b: 1, a: { x: 1 } });
    assert.equal(calls, 1);
    assert.equal(Object.getPrototypeOf(view), null);
  });
  test('a lazy view computes a failed entry again on its next read; other names are absent', () => {
    let calls = 0;
    const view = lazyView({ names: ['a'], known: new Set(['a']) }, () => {
      calls++;
      if (calls === 1) throw new Error('first read fails');
      return 2;
    });
    assert.throws(() => view.a, /first read fails/);
    assert.equal(view.a, 2n);
    assert.equal(view.a, 2n);
    assert.equal(calls, 2);
    assert.equal(view.b, undefined);
    assert.equal(Object.hasOwn(view, 'b'), false);
    assert.equal((view as { constructor?: unknown }).constructor, undefined);
  });
});

/** toCel as it was before its small ints were shared and its loops written out (the reference). */
function referenceToCel(value: unknown): unknown {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'number':
      if (Number.isSafeInteger(value)) return BigInt(value);
      if (Number.isInteger(value)) {
        const big = BigInt(value);
        if (big <= 9223372036854775807n && big >= -9223372036854775808n) return big;
      }
      return value;
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'object':
      break;
    default:
      return null;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => referenceToCel(v));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype) return value;
  const out = celMap();
  for (const k of Object.keys(value)) out[k] = referenceToCel((value as Record<string, unknown>)[k]);
  return out;
}

describe('the maps toCel builds', () => {
  test('inherit nothing: their prototype is empty, frozen and has no prototype', () => {
    assert.equal(Object.getPrototypeOf(CEL_MAP_PROTOTYPE), null);
    assert.ok(Object.isFrozen(CEL_MAP_PROTOTYPE));
    assert.deepEqual(Reflect.ownKeys(CEL_MAP_PROTOTYPE), []);
    const map = toCel(JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "a": 3}')) as Record<
      string,
      unknown
    >;
    assert.equal(Object.getPrototypeOf(map), CEL_MAP_PROTOTYPE);
    // `__proto__` and `constructor` are data, as on an object with no prototype.
    assert.deepEqual(Object.keys(map), ['__proto__', 'constructor', 'a']);
    assert.equal(Object.getPrototypeOf(Reflect.get(map, '__proto__')), CEL_MAP_PROTOTYPE);
    assert.equal(map.constructor, 2n);
    const empty = toCel({}) as Record<string, unknown>;
    assert.equal(empty.constructor, undefined);
    assert.equal(empty.toString, undefined);
    assert.equal('hasOwnProperty' in empty, false);
    assert.deepEqual(fromCel(map), JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "a": 3}'));
    // A converted map is a CEL value already: converted again, it is itself.
    assert.equal(toCel(map), map);
  });
  test('a polluted Object.prototype is not copied (the for…in path steps aside)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      const map = toCel({ a: { b: 1 } }) as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(map), ['a']);
      assert.deepEqual(Object.keys(map.a as object), ['b']);
      assert.equal(Object.hasOwn(map, 'polluted'), false);
    } finally {
      delete proto.polluted;
    }
  });
});

describe('toCel against its reference', () => {
  test('the corpora resources and edge numbers convert alike (types and prototypes included)', () => {
    const { resources } = loadCelCorpus(1000);
    const numbers = [0, -0, 1, 1023, 1024, -1, 1.5, 2 ** 53 - 1, 2 ** 53, -(2 ** 63), 2 ** 63, 1e20, NaN];
    // biome-ignore lint/suspicious/noSparseArray: a hole is kept as it was
    const sparse = [1, , undefined, 2];
    const values: unknown[] = [
      ...resources,
      numbers,
      sparse,
      { n: numbers, nested: [[numbers]], __proto__x: 1 },
    ];
    for (const value of values) {
      const converted = toCel(value);
      assert.ok(isDeepStrictEqual(converted, referenceToCel(value)), JSON.stringify(value).slice(0, 200));
    }
    assert.ok(resources.length > 100, `${resources.length} resources`);
    assert.equal(toCel(1023), 1023n);
    assert.equal(toCel(1024), 1024n);
    assert.equal(toCel(-0), 0n);
  });
});

describe('isCelFixedPoint (a lazy variable keeps such a value without toCel)', () => {
  test('a value it accepts converts to itself, or for a list to an equal copy', () => {
    const { resources } = loadCelCorpus(1000);
    const converted = resources.map((r) => toCel(r));
    // The lists of converted maps variables hold (containers, volumes…), found in the converted corpus.
    const lists: unknown[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (depth > 6 || typeof v !== 'object' || v === null) return;
      if (Array.isArray(v)) lists.push(v);
      for (const x of Object.values(v)) walk(x, depth + 1);
    };
    for (const c of converted) walk(c, 0);
    // biome-ignore lint/suspicious/noSparseArray: a hole is converted (kept as a hole in a copy)
    const sparse = [1.5, , 'x'];
    const edges: [unknown, boolean][] = [
      ['x', true],
      [1n, true],
      [true, true],
      [null, true],
      [1.5, true],
      [Number.NaN, true],
      [Number.POSITIVE_INFINITY, true],
      [1, false],
      [-0, false],
      [1e20, false],
      [undefined, false],
      [[1.5, 'x', 2n, null], true],
      [[1], false],
      [[undefined], false],
      [sparse, false],
      [[[1.5]], false],
      [[{ a: 1 }], false],
      [[celMap()], true],
      [{}, false],
      [celMap(), true],
      [Object.create(null), true],
      [new Map([['a', 1]]), false],
      [new CelLazyMap({ a: () => 1 }), false],
      [new Date(0), true],
      [Optional.of(1n), true],
      [new Uint8Array([1]), true],
    ];
    let accepted = 0;
    for (const [i, [value, expected]] of edges.entries())
      assert.equal(isCelFixedPoint(value), expected, `edge ${i}`);
    for (const value of [...converted, ...lists, ...edges.map(([v]) => v)]) {
      if (!isCelFixedPoint(value)) continue;
      accepted++;
      const again = toCel(value);
      assert.ok(isDeepStrictEqual(again, value), JSON.stringify(fromCel(value)).slice(0, 200));
      if (!Array.isArray(value)) assert.equal(again, value);
    }
    assert.ok(lists.length > 100 && accepted > 100, `${lists.length} lists, ${accepted} accepted`);
  });
});
