import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['[1, 2, 3].isSorted()', true],
  ['["b", "a"].isSorted()', false],
  ['[1, 2, 3].sum()', 6],
  ['[1.5, 2.5].sum()', 4],
  ['[3, 1, 2].min()', 1],
  ['[3, 1, 2].max()', 3],
  ['[1, 2, 2, 3].indexOf(2)', 1],
  ['[1, 2, 2, 3].lastIndexOf(2)', 2],
  ['[1, 2, 3, 4].slice(1, 3)', [2, 3]],
  ['[[1, 2], [3, [4]]].flatten()', [1, 2, 3, [4]]],
  ['[1, 2, 1, 3].distinct()', [1, 2, 3]],
  ['[1, 2, 3].reverse()', [3, 2, 1]],
  ['["c", "a", "b"].sort()', ['a', 'b', 'c']],
  ['lists.range(3)', [0, 1, 2]],
  ['[7, 8].first().value()', 7],
  ['[].last().hasValue()', false],
  ['sets.contains([1, 2, 3], [3, 1])', true],
  ['sets.equivalent([1, 2], [2, 1, 1])', true],
  ['sets.intersects([1, 2], [5, 2])', true],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
