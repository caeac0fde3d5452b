import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Kubernetes lists library (kubernetes.io "CEL in Kubernetes") and cel-go ext lists v3 / sets
// (ext/README.md) examples.
describe('Kubernetes lists library', () => {
  const cases: [string, unknown][] = [
    ['[1, 2, 3].isSorted()', true],
    ['["b", "a"].isSorted()', false],
    ['[].isSorted()', true],
    ['[1, 2, 3].sum()', 6],
    ['[1.5, 2.5].sum()', 4],
    ['[uint(1), uint(2)].sum()', 3],
    ['[duration("1s"), duration("90m")].sum()', '5401s'],
    ['[].sum()', 0],
    ['[3, 1, 2].min()', 1],
    ['[3, 1, 2].max()', 3],
    ['["b", "c", "a"].max()', 'c'],
    ['[duration("2s"), duration("1s")].min()', '1s'],
    ['[timestamp("2023-01-01T00:00:00Z"), timestamp("2022-01-01T00:00:00Z")].max()', '2023-01-01T00:00:00Z'],
    ['[1, 2, 2, 3].indexOf(2)', 1],
    ['[1, 2, 2, 3].indexOf(9)', -1],
    ['[1, 2, 2, 3].lastIndexOf(2)', 2],
    ['["a", "b"].lastIndexOf("z")', -1],
    ['object.l.sum()', 6],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr, { l: [1, 2, 3] }), want));
  const errors: [string, RegExp][] = [
    ['[].min()', /min called on empty list/],
    ['[].max()', /max called on empty list/],
    ['["a", "b"].sum()', /no such overload/],
    ['[9223372036854775807, 1].sum()', /integer overflow/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
});

describe('cel-go ext lists v3', () => {
  const cases: [string, unknown][] = [
    ['[1, 2, 3, 4].slice(1, 3)', [2, 3]],
    ['[1, 2, 3, 4].slice(0, 0)', []],
    ['[1, [2, 3], [4]].flatten()', [1, 2, 3, 4]],
    ['[1, [2, [3, 4]]].flatten()', [1, 2, [3, 4]]],
    ['[1, 2, [], [], [3, 4]].flatten()', [1, 2, 3, 4]],
    ['[1, [2, [3, [4]]]].flatten(2)', [1, 2, 3, [4]]],
    ['[1, [2, [3, [4]]]].flatten(0)', [1, [2, [3, [4]]]]],
    ['[1, 2, 2, 3, 3, 3].distinct()', [1, 2, 3]],
    ['["b", "b", "c", "a", "c"].distinct()', ['b', 'c', 'a']],
    ['[1, "b", 2, "b"].distinct()', [1, 'b', 2]],
    ['[5, 3, 1, 2].reverse()', [2, 1, 3, 5]],
    ['[3, 2, 1].sort()', [1, 2, 3]],
    ['["b", "c", "a"].sort()', ['a', 'b', 'c']],
    ['[duration("2s"), duration("1s")].sort()', ['1s', '2s']],
    [
      '[{"name": "foo", "score": 0}, {"name": "bar", "score": -10}, {"name": "baz", "score": 1000}].sortBy(e, e.score).map(e, e.name)',
      ['bar', 'foo', 'baz'],
    ],
    ['["apple", "kiwi", "fig"].sortBy(s, s.size())', ['fig', 'kiwi', 'apple']],
    // Stable: equal keys keep their order.
    ['[["b", 1], ["a", 1], ["c", 0]].sortBy(p, p[1]).map(p, p[0])', ['c', 'b', 'a']],
    ['object.containers.sortBy(c, c.name).map(c, c.name)', ['a', 'b']],
    ['lists.range(4)', [0, 1, 2, 3]],
    ['lists.range(0)', []],
    ['[7, 8].first().value()', 7],
    ['[7, 8].last().value()', 8],
    ['[].first().hasValue()', false],
    ['[].last().hasValue()', false],
  ];
  for (const [expr, want] of cases) {
    test(expr, () => assert.deepEqual(run(expr, { containers: [{ name: 'b' }, { name: 'a' }] }), want));
  }
  const errors: [string, RegExp][] = [
    ['[1, 2].slice(2, 1)', /start index must be less than or equal to end index/],
    ['[1, 2].slice(0, 3)', /list is length 2/],
    ['[1, 2].slice(-1, 1)', /negative indexes not supported/],
    ['[1, [2]].flatten(-1)', /level must be non-negative/],
    ['[1, "a"].sort()', /not comparable/],
    ['[1, "a"].sortBy(x, x)', /not comparable/],
  ];
  for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
});

describe('cel-go ext sets', () => {
  const cases: [string, unknown][] = [
    ['sets.contains([], [])', true],
    ['sets.contains([], [1])', false],
    ['sets.contains([1, 2, 3, 4], [2, 3])', true],
    ['sets.contains([1, 2.0, 3u], [1.0, 2u, 3])', true],
    ['sets.equivalent([], [])', true],
    ['sets.equivalent([1], [1, 1])', true],
    ['sets.equivalent([1], [1u, 1.0])', true],
    ['sets.equivalent([1, 2, 3], [3u, 2.0, 1])', true],
    ['sets.equivalent([1, 2], [2, 2, 2])', false],
    ['sets.intersects([1], [])', false],
    ['sets.intersects([1], [1, 2])', true],
    ['sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])', true],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
});
