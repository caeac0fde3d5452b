// fmt.Sprint (%v) and %T of decoded JSON values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sprint, sprintType } from './go-sprint.js';

describe('sprint', () => {
  test('maps sort their keys, lists are space-separated, nil is <nil>', () =>
    assert.equal(sprint({ b: [1, 'x'], a: null }), 'map[a:<nil> b:[1 x]]'));
  test('float64 numbers use %g', () => assert.equal(sprint([1e6, 2.5]), '[1e+06 2.5]'));
  test('integral numbers print as int64 when decoded as such', () =>
    assert.equal(sprint({ n: 1e6, f: 2.5 }, 'int64-if-integral'), 'map[f:2.5 n:1000000]'));
});

describe('sprintType', () => {
  const cases: [unknown, string, string][] = [
    [null, '<nil>', '<nil>'],
    ['s', 'string', 'string'],
    [true, 'bool', 'bool'],
    [3, 'float64', 'int64'],
    [3.5, 'float64', 'float64'],
    [[1], '[]interface {}', '[]interface {}'],
    [{}, 'map[string]interface {}', 'map[string]interface {}'],
  ];
  for (const [value, asFloat, asInt] of cases)
    test(`%T of ${JSON.stringify(value)}`, () => {
      assert.equal(sprintType(value), asFloat);
      assert.equal(sprintType(value, 'int64-if-integral'), asInt);
    });
});
