import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Optional } from './cel-js.js';
import { CelLazyMap, fromCel, lazyView, toCel } from './values.js';

describe('toCel / fromCel', () => {
  test('JSON integers become CEL ints, other numbers stay doubles', () => {
    assert.deepEqual(
      toCel({ a: 1, b: 1.5, c: [2], d: null, e: 'x' }),
      Object.assign(Object.create(null), { a: 1n, b: 1.5, c: [2n], d: null, e: 'x' }),
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
