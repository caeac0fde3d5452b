import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['"hello".charAt(1)', 'e'],
  ['"hello hello".replace("he", "we")', 'wello wello'],
  ['"hello hello".replace("he", "we", 1)', 'wello hello'],
  ['"gums".reverse()', 'smug'],
  ['strings.quote("a\\nb")', '"a\\nb"'],
  ['"%s has %d items".format(["list", 3])', 'list has 3 items'],
  ['"%.2f".format([3.14159])', '3.14'],
  ['"TacoCat".lowerAscii()', 'tacocat'],
  ['"a,b,c".split(",")', ['a', 'b', 'c']],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
