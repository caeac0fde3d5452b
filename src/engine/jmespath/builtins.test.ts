import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JmespathError } from './errors.js';
import { searchJmespath } from './evaluate.js';

describe('built-in functions (jmespath.org spec examples)', () => {
  const cases: [string, unknown, unknown][] = [
    ['abs(`-24`)', null, 24],
    ['avg(@)', [10, 15, 20], 15],
    ['ceil(`1.001`)', null, 2],
    ['floor(`1.9`)', null, 1],
    ["contains('foobar', 'foo')", null, true],
    ["contains('foobar', 'not')", null, false],
    ['contains(`["a", {"b": 1}]`, `{"b": 1}`)', null, true], // deep equality
    ["contains('foobar', `1`)", null, false],
    ["ends_with('foobarfoobar', 'bar')", null, true],
    ["starts_with('foobarfoobar', 'foo')", null, true],
    ['join(`", "`, `["a", "b"]`)', null, 'a, b'],
    ["join('', ['a', 'b'])", {}, 'ab'], // a multi-select on null data would be null
    ['keys(@)', { foo: 'baz', bar: 'bam' }, ['foo', 'bar']],
    ['values(@)', { foo: 'baz', bar: 'bam' }, ['baz', 'bam']],
    ["length('abc')", null, 3],
    ["length('✓ü')", null, 2], // code points, not bytes
    ['length(@)', { a: 1, b: 2 }, 2],
    ['map(&foo, @)', [{ foo: 'a' }, { foo: 'b' }, {}, [], { foo: 'f' }], ['a', 'b', null, null, 'f']],
    ['max(`[10, 15]`)', null, 15],
    ["max(['a', 'b'])", {}, 'b'],
    ['max(`[]`)', null, null],
    ['min(`[10, 15]`)', null, 10],
    [
      'max_by(@, &age).name',
      [
        { name: 'a', age: 10 },
        { name: 'b', age: 30 },
        { name: 'c', age: 20 },
      ],
      'b',
    ],
    [
      'min_by(@, &age).name',
      [
        { name: 'a', age: 10 },
        { name: 'b', age: 30 },
      ],
      'a',
    ],
    ['merge(`{"a": "b"}`, `{"c": "d"}`)', null, { a: 'b', c: 'd' }],
    ['merge(`{"a": "b"}`, `{"a": "override"}`)', null, { a: 'override' }],
    ['not_null(`null`, `1`, `2`)', null, 1],
    ['not_null(`null`)', null, null],
    ["reverse('abc')", null, 'cba'],
    ['reverse(`[0, 1, 2]`)', null, [2, 1, 0]],
    ['sort(`["b", "a", "c"]`)', null, ['a', 'b', 'c']],
    ['sort(`[3, 1, 2]`)', null, [1, 2, 3]],
    [
      'sort_by(@, &age)[].name',
      [
        { name: 'x', age: 3 },
        { name: 'y', age: 1 },
        { name: 'z', age: 1 },
      ],
      ['y', 'z', 'x'],
    ],
    ['sum(`[1, 2, 3]`)', null, 6],
    ["to_array('foo')", null, ['foo']],
    ['to_array(`[1]`)', null, [1]],
    ["to_number('1.5')", null, 1.5],
    ["to_number('abc')", null, null],
    ["to_number(' 1')", null, null], // Go's ParseFloat rejects whitespace
    ['to_number(`true`)', null, null],
    ["to_string('a')", null, 'a'],
    [
      'to_string(@)',
      { b: 1, a: [true, null], c: '<&>' },
      '{"a":[true,null],"b":1,"c":"\\u003c\\u0026\\u003e"}',
    ],
    ["type('a')", null, 'string'],
    ['type(`1`)', null, 'number'],
    ['type(`true`)', null, 'boolean'],
    ['type(`null`)', null, 'null'],
    ['type(@)', { a: 1 }, 'object'],
    ['type(@)', [], 'array'],
  ];
  for (const [expression, data, expected] of cases) {
    test(`${expression} on ${JSON.stringify(data)}`, () =>
      assert.deepEqual(searchJmespath(expression, data), expected));
  }
});

describe('argument checking (go-jmespath messages)', () => {
  const cases: [string, unknown, JmespathError['code'], string | RegExp][] = [
    ["abs('5')", null, 'invalid-type', 'Invalid type for: 5, expected: []jmespath.JpType{"number"}'],
    [
      'length(`null`)',
      null,
      'invalid-type',
      'Invalid type for: <nil>, expected: []jmespath.JpType{"string", "array", "object"}',
    ],
    // Kyverno's sum replaces the spec built-in: it folds `add`, so it needs one element and one type.
    // go-jmespath's avg of an empty array is NaN, which Kyverno rejects as a result.
    ['avg(@)', [], 'function', 'json: unsupported value: NaN'],
    ['avg(`[]`)', null, 'function', 'json: unsupported value: NaN'],
    ['sum(`[]`)', null, 'function', "JMESPath function 'sum': at least one element in the array is required"],
    ['sum(`[1, "2"]`)', null, 'function', "JMESPath function 'sum': Types mismatch"],
    ['keys(`[1]`)', null, 'invalid-type', /^Invalid type for: \[1\]/],
    [
      'avg(@)',
      { a: 1000000 },
      'invalid-type',
      'Invalid type for: map[a:1e+06], expected: []jmespath.JpType{"array[number]"}',
    ],
    ['sort(`[1, "a"]`)', null, 'invalid-type', /^Invalid type for/],
    ['sort_by(@, &a)', [{ a: 1 }, { a: 'x' }], 'invalid-type', /must be number/],
    ['max_by(@, &a)', [{ a: true }, { a: 1 }], 'invalid-type', /must be number or string/],
    ['map(`1`, @)', [], 'invalid-type', /expected: \[\]jmespath.JpType\{"expref"\}/],
    [
      'abs()',
      null,
      'invalid-arity',
      "invalid arity, the function 'abs' expects 1 argument but none were supplied",
    ],
    [
      'abs(`1`, `2`)',
      null,
      'invalid-arity',
      "invalid arity, the function 'abs' expects at most 1 arguments but 2 were supplied",
    ],
    [
      'merge()',
      null,
      'invalid-arity',
      "invalid arity, the function 'merge' expects 1 argument or more but none were supplied",
    ],
    [
      'starts_with(`"a"`)',
      null,
      'invalid-arity',
      "invalid arity, the function 'starts_with' expects 2 arguments but 1 were supplied",
    ],
  ];
  for (const [expression, data, code, message] of cases) {
    test(expression, () => {
      assert.throws(
        () => searchJmespath(expression, data),
        (e: unknown) => {
          assert.ok(e instanceof JmespathError);
          assert.equal(e.code, code);
          if (typeof message === 'string') assert.equal(e.message, message);
          else assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});
