import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['"abc 123".find("[0-9]+")', '123'],
  ['"abc 123".find("xyz")', ''],
  ['"123 abc 456".findAll("[0-9]+")', ['123', '456']],
  ['"123 abc 456".findAll("[0-9]+", 1)', ['123']],
  ['"hello".matches("^h.*o$")', true],
  ['matches("hello", "l+")', true],
  ['regex.replace("abc", "(b)", "[\\\\1]")', 'a[b]c'],
  ['regex.extract("item-123", "item-(\\\\d+)").orValue("")', '123'],
  ['regex.extractAll("a1 b2 c3", "[a-z](\\\\d)")', ['1', '2', '3']],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
