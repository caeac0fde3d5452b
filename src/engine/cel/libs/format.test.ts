import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['format.dns1123Label().validate("my-name")', null],
  ['format.dns1123Label().validate("My_Name").hasValue()', true],
  ['format.dns1123Subdomain().validate("a.b.c").hasValue()', false],
  ['format.named("dns1035Label").value().validate("1abc").hasValue()', true],
  ['format.named("unknown").hasValue()', false],
  ['format.labelValue().validate("").hasValue()', false],
  ['format.qualifiedName().validate("example.com/name").hasValue()', false],
  ['format.uuid().validate("123e4567-e89b-12d3-a456-426614174000").hasValue()', false],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
