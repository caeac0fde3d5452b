// Deprecated In / NotIn (Kyverno operator/in.go, notin.go; kyverno-reference §2.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConditionError } from '../errors.js';
import { inOperator } from './in.js';
import { notIn } from './not-in.js';

const rows: [string, unknown, unknown, boolean, boolean][] = [
  ['scalar in list', 'b', ['a', 'b'], true, false],
  ['scalar matches wildcard element', 'kube-system', ['kube-*'], true, false],
  ['scalar vs pattern string', 'kube-system', 'kube-*', true, false],
  ['scalar in JSON array string', 'b', '["a","b"]', true, false],
  ['scalar vs unparsable string → false both', 'b', 'nope', false, false],
  ['list subset, exact', ['a'], ['a', 'b'], true, false],
  ['list not subset', ['a', 'c'], ['a', 'b'], false, true],
  ['list key vs wildcard element is exact', ['kube-system'], ['kube-*'], false, true],
  ['single-element list equal to string value → true for both', ['a'], 'a', true, true],
  ['non-string value elements → false both', ['a'], ['a', 1], false, false],
];

describe('In / NotIn', () => {
  for (const [name, key, value, i, ni] of rows) {
    test(name, () => {
      assert.equal(inOperator(key, value), i, 'In');
      assert.equal(notIn(key, value), ni, 'NotIn');
    });
  }
  test('a non-string element in a list key is an error (Kyverno panics)', () => {
    assert.throws(() => inOperator(['a', 1], ['a']), ConditionError);
  });
});
