import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JmespathError } from './errors.js';
import { searchJmespath } from './evaluate.js';

function errorCode(expression: string, data: unknown): string | undefined {
  try {
    searchJmespath(expression, data);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof JmespathError, `expected JmespathError, got ${String(error)}`);
    return error.code;
  }
}

describe('grammar evaluation (jmespath.org examples)', () => {
  const people = {
    people: [
      { first: 'James', last: 'd', age: 30 },
      { first: 'Jacob', last: 'e', age: 20 },
      { first: 'Jayden', last: 'f', age: 40 },
      { missing: 'different' },
    ],
    foo: { bar: 'baz' },
  };
  const cases: [string, unknown, unknown][] = [
    ['a.b.c.d', { a: { b: { c: { d: 'value' } } } }, 'value'],
    ['[1]', ['a', 'b', 'c'], 'b'],
    ['a.b.c[0].d[1][0]', { a: { b: { c: [{ d: [0, [1, 2]] }, { d: [3, 4] }] } } }, 1],
    ['[0:5]', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4]],
    ['[::2]', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 2, 4, 6, 8]],
    ['[::-1]', [0, 1, 2, 3], [3, 2, 1, 0]],
    ['[-2:]', [0, 1, 2, 3], [2, 3]],
    ['people[*].first', people, ['James', 'Jacob', 'Jayden']],
    ['people[:2].first', people, ['James', 'Jacob']],
    [
      'ops.*.numArgs',
      { ops: { functionA: { numArgs: 2 }, functionB: { numArgs: 3 }, functionC: { variadic: true } } },
      [2, 3],
    ],
    [
      'reservations[].instances[].state',
      {
        reservations: [
          { instances: [{ state: 'running' }, { state: 'stopped' }] },
          { instances: [{ state: 'terminated' }, { state: 'running' }] },
        ],
      },
      ['running', 'stopped', 'terminated', 'running'],
    ],
    ['[]', [[0, 1], 2, [3], 4, [5, [6, 7]]], [0, 1, 2, 3, 4, 5, [6, 7]]],
    [
      "machines[?state=='running'].name",
      {
        machines: [
          { name: 'a', state: 'running' },
          { name: 'b', state: 'stopped' },
          { name: 'c', state: 'running' },
        ],
      },
      ['a', 'c'],
    ],
    [
      'people[?age > `20`].[first, age]',
      people,
      [
        ['James', 30],
        ['Jayden', 40],
      ],
    ],
    [
      'people[?age > `20`].{name: first, age: age}',
      people,
      [
        { name: 'James', age: 30 },
        { name: 'Jayden', age: 40 },
      ],
    ],
    ['people[*].first | [0]', people, 'James'],
    ['foo.bar == `"baz"`', people, true],
    ['`[1, 2]` == `[1, 2]`', null, true],
    ['`{"a": 1}` != `{"a": 2}`', null, true],
    ['`"5"` < `6`', null, null], // ordering is only defined on numbers
    ['!`0`', null, false], // 0 is truthy
    ['!`[]`', null, true],
    ["'' || `{}` || `[]` || 'x'", null, 'x'],
    ['`true` && `"y"`', null, 'y'],
    ['@', 'same', 'same'],
    ['foo.bar.baz', { foo: { bar: 'text' } }, null], // field of a non-object is null
    ['foo[0]', { foo: 'text' }, null],
    ['foo[*]', { foo: { not: 'array' } }, null],
    ['foo.[a, b]', { foo: null }, null],
  ];
  for (const [expression, data, expected] of cases) {
    test(expression, () => assert.deepEqual(searchJmespath(expression, data), expected));
  }
});

describe("not-found semantics (Kyverno's go-jmespath fork)", () => {
  const resource = {
    metadata: { name: 'pod', labels: { team: 'a' } },
    spec: { containers: [{ name: 'c1' }, { name: 'c2', ports: [80] }] },
  };

  describe('raises at path level', () => {
    const raising: string[] = [
      'metadata.labels.app',
      'missing.deeper',
      'missing[0]',
      'metadata.annotations.x',
      'metadata.name && missing', // right side of && is not swallowed
      'spec.containers[0].ports',
    ];
    for (const expression of raising) {
      test(expression, () => assert.equal(errorCode(expression, resource), 'not-found'));
    }
    test('message names the missing key', () => {
      assert.throws(() => searchJmespath('metadata.labels.app', resource), {
        message: 'Unknown key "app" in path',
      });
    });
  });

  describe('swallowed (read as null)', () => {
    const cases: [string, unknown][] = [
      ["metadata.labels.app || ''", ''], // || left
      ['metadata.labels.app || missing', null], // || right
      ['missing && metadata.name', null], // && left
      ['!(metadata.labels.app)', true], // ! (it binds tighter than `.`, hence the parentheses)
      ['metadata.labels.app == null', true], // comparator left
      ['`null` == metadata.labels.app', true], // comparator right
      ['not_null(metadata.labels.app, `"d"`)', 'd'], // function argument
      ['type(missing)', 'null'],
      ['map(&ports, spec.containers)', [null, [80]]], // expression reference
      ['[metadata.name, missing]', ['pod', null]], // multi-select list
      ['{n: metadata.name, m: missing}', { n: 'pod', m: null }], // multi-select hash
      ['missing | @', null], // pipe left
      ['metadata | missing', null], // pipe right
      ['spec.containers[*].ports', [[80]]], // projection elements
      ['spec.containers[].ports[]', [80]],
      ['missing[*].a', null], // projection left
      ['missing[]', null], // flatten left
      ['missing[?a]', null], // filter left
      ['spec.containers[?ports].name', ['c2']], // filter condition
      ['spec.containers[?ports[0] == `80`].name', ['c2']],
      ['missing.*', null], // value projection left
      ['metadata.*.app', []], // value projection elements
      ['spec.[initContainers, containers][].name', ['c1', 'c2']],
    ];
    for (const [expression, expected] of cases) {
      test(expression, () => assert.deepEqual(searchJmespath(expression, resource), expected));
    }
  });

  test('explicit null values are not missing', () => {
    assert.equal(searchJmespath('a.b', { a: null }), null);
    assert.equal(searchJmespath('a', { a: null }), null);
  });
  test('other errors are not swallowed by ||', () => {
    assert.equal(errorCode("length(`1`) || 'x'", {}), 'invalid-type');
  });
  test('prototype keys are not fields', () => {
    assert.equal(errorCode('constructor', {}), 'not-found');
    assert.equal(errorCode('__proto__', {}), 'not-found');
  });
});

// go-jmespath (Kyverno's fork) runs a sub-expression's right side on a null left side: fields and
// indexes of null are null, but a function fails on its null argument; the left side of `[]`
// swallows that error. Found by scripts/differential.mjs: `containers[].resources.keys(@)[]` on a
// Pod whose container is a string gave [] here, null in the reference (so a deny passed there).
describe('sub-expressions on null', () => {
  const pod = { spec: { containers: ['web'], nothing: null } };
  test('a field or index of null is null', () => {
    assert.equal(searchJmespath('spec.nothing.a.b', pod), null);
    assert.equal(searchJmespath('spec.nothing[0]', pod), null);
    assert.deepEqual(searchJmespath('spec.containers[].resources', pod), []);
  });
  test('a function on the null fails', () => {
    assert.equal(errorCode('spec.nothing.length(@)', pod), 'invalid-type');
    assert.equal(errorCode('spec.containers[].resources.keys(@)', pod), 'invalid-type');
  });
  test('the left side of a flatten swallows the error', () => {
    assert.equal(searchJmespath('spec.containers[].resources.keys(@)[]', pod), null);
  });
  test('a missing key still stops the path', () => {
    assert.deepEqual(searchJmespath('spec.containers[].resources', { spec: { containers: [{}] } }), []);
    assert.deepEqual(
      searchJmespath('spec.containers[].resources.keys(@)[]', { spec: { containers: [{}] } }),
      [],
    );
  });
});
