import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// cel-go ext "TwoVarComprehensions" (ext/README.md) examples, plus Kubernetes-shaped inputs.
describe('two-variable comprehensions', () => {
  const pod = {
    metadata: { labels: { app: 'web', tier: 'frontend' } },
    spec: { containers: [{ name: 'a' }, { name: 'b' }] },
  };
  const cases: [string, unknown][] = [
    ['[1, 2, 3].all(i, j, i < j)', true],
    ["{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)", false],
    ["{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vals, vals.all(v, v.startsWith(k)))", true],
    [
      "{'greeting': 'hello', 'farewell': 'goodbye'}.exists(k, v, k.startsWith('good') || v.endsWith('bye'))",
      true,
    ],
    ['[1, 2, 4, 8, 16].exists(i, v, v == 1024 && i == 10)', false],
    ['[1, 2, 1, 3, 1, 4].existsOne(i, v, i == 1 || v == 1)', false],
    ['[1, 1, 2, 2, 3, 3].existsOne(i, v, i == 2 && v == 2)', true],
    ["{'i': 0, 'j': 1, 'k': 2}.existsOne(i, v, v == 1)", true],
    ['[1, 2, 3].existsOne(x, x > 2)', true],
    ['[1, 2, 3].existsOne(x, x > 1)', false],
    ['[1, 2, 3].transformList(indexVar, valueVar, (indexVar * valueVar) + valueVar)', [1, 4, 9]],
    [
      '[1, 2, 3].transformList(indexVar, valueVar, indexVar % 2 == 0, (indexVar * valueVar) + valueVar)',
      [1, 9],
    ],
    ["{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(k, _, k)", ['greeting', 'farewell']],
    ["{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(_, v, v)", ['hello', 'goodbye']],
    ["{'greeting': 'hello'}.transformMap(k, v, v + '!')", { greeting: 'hello!' }],
    ['[1, 2, 3].transformMap(indexVar, valueVar, (indexVar * valueVar) + valueVar)', { 0: 1, 1: 4, 2: 9 }],
    [
      '[1, 2, 3].transformMap(indexVar, valueVar, indexVar % 2 == 0, (indexVar * valueVar) + valueVar)',
      { 0: 1, 2: 9 },
    ],
    ["{'greeting': 'hello'}.transformMapEntry(keyVar, valueVar, {valueVar: keyVar})", { hello: 'greeting' }],
    ["{'a': 1, 'b': 2}.transformMapEntry(k, v, v == 1, {k + '!': v})", { 'a!': 1 }],
    ['[].all(i, v, false)', true],
    ['[].exists(i, v, true)', false],
    ['{}.transformMap(k, v, v)', {}],
    // Nested comprehensions see the outer variables.
    ['[[1, 2], [3]].all(i, l, l.all(j, x, x > i))', true],
    ['[1].transformList(i, v, [2].transformList(j, w, v + w + i + j))', [[3]]],
    // Over activation data (dyn).
    ["object.metadata.labels.all(k, v, k.size() > 2 && v != '')", true],
    ["object.metadata.labels.transformList(k, v, k + '=' + v)", ['app=web', 'tier=frontend']],
    ['object.spec.containers.transformList(i, c, c.name + string(i))', ['a0', 'b1']],
    ['object.spec.containers.exists(i, c, i == 1 && c.name == "b")', true],
    ['object.metadata.labels.transformMap(k, v, v.upperAscii())', { app: 'WEB', tier: 'FRONTEND' }],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr, pod), want));
});

describe('two-variable comprehensions: errors', () => {
  // all/exists absorb an error when another element decides the result, as && and || do.
  const values: [string, unknown][] = [
    ['[0, 1].all(i, v, 1 / v > 5)', false],
    ['[0, 1].exists(i, v, 1 / v > 0)', true],
  ];
  for (const [expr, want] of values) test(expr, () => assert.deepEqual(run(expr), want));

  const errors: [string, RegExp][] = [
    ['[0, 1].all(i, v, 1 / v > 0)', /division by zero/],
    ['[0, 1].exists(i, v, 1 / v > 5)', /division by zero/],
    ['[0, 1].existsOne(i, v, 1 / v > 0)', /division by zero/],
    ['[0, 1].transformList(i, v, 1 / v)', /division by zero/],
    ["{'a': 1, 'b': 1}.transformMapEntry(k, v, {string(v): k})", /insert failed: key 1 already exists/],
    ['object.x.all(i, v, true)', /cannot be range of a comprehension/],
  ];
  for (const [expr, want] of errors)
    test(`${expr} fails`, () => assert.throws(() => run(expr, { x: 5 }), want));

  const compileErrors: [string, RegExp][] = [
    ['[1, 2].all(i, v, v)', /predicate must return bool/],
    ['[1, 2].transformList(i, v, v, v)', /filter must return bool/],
    ['[1, 2].transformMapEntry(i, v, v)', /must be a map/],
    ['[1, 2].all(i.j, v, true)', /simple name/],
    ['(1).all(i, v, true)', /cannot be range of a comprehension/],
  ];
  for (const [expr, want] of compileErrors) {
    test(`${expr} does not compile`, () => assert.throws(() => compileCel(expr, { variables: [] }), want));
  }
});
