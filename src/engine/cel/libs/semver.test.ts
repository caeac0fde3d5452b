import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['semver("1.0.0").isLessThan(semver("1.10.0"))', true],
  ['semver("1.2.3").major()', 1],
  ['semver("1.2.3").minor()', 2],
  ['semver("1.2.3").patch()', 3],
  ['isSemver("1.0.0")', true],
  ['isSemver("v1.0")', false],
  ['isSemver("v1.0", true)', true],
  ['semver("v01.01", true).compareTo(semver("1.1.0"))', 0],
  ['semver("1.0.0-alpha").isLessThan(semver("1.0.0"))', true],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
