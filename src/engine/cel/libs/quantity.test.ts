import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['quantity("1Gi").isGreaterThan(quantity("1000Mi"))', true],
  ['quantity("200M").compareTo(quantity("0.2G"))', 0],
  ['isQuantity("1.3G")', true],
  ['isQuantity("1.3Gi ")', false],
  ['quantity("50k").asInteger()', 50000],
  ['quantity("9999999999999999999999999999999999999G").isInteger()', true],
  ['quantity("50703").add(quantity("1")).asInteger()', 50704],
  ['quantity("50M").sub(20000000).asInteger()', 30000000],
  ['quantity("-5").sign()', -1],
  ['quantity("1.5").asApproximateFloat()', 1.5],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
