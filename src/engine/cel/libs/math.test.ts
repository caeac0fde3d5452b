import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['math.greatest(1, 5, 3)', 5],
  ['math.least([4, 2, 9])', 2],
  ['math.ceil(1.2)', 2],
  ['math.floor(-1.2)', -2],
  ['math.round(2.5)', 3],
  ['math.round(-2.5)', -3],
  ['math.trunc(-1.7)', -1],
  ['math.abs(-4)', 4],
  ['math.sign(-2.0)', -1],
  ['math.isNaN(0.0 / 0.0)', true],
  ['math.bitAnd(6, 3)', 2],
  ['math.bitShiftLeft(1, 4)', 16],
  ['math.round(3.14159, 2)', 3.14],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
