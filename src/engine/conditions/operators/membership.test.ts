// kyverno.io/docs/writing-policies/preconditions (set operators) and Kyverno's
// operator/anyin_test.go, anynotin_test.go, allnotin_test.go tables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allIn } from './all-in.js';
import { allNotIn } from './all-not-in.js';
import { anyIn } from './any-in.js';
import { anyNotIn } from './any-not-in.js';

type Row = [
  name: string,
  key: unknown,
  value: unknown,
  anyIn: boolean,
  allIn: boolean,
  anyNotIn: boolean,
  allNotIn: boolean,
];

const rows: Row[] = [
  ['string key equal to string value', 'kyverno', 'kyverno', true, true, false, false],
  ['string key matches wildcard element', 'kube-system', ['default', 'kube-*'], true, true, false, false],
  ['string key not in value', 'kyverno', 'default', false, false, true, true],
  [
    'serviceAccountName in list (docs)',
    'build-base',
    ['build-default', 'build-base'],
    true,
    true,
    false,
    false,
  ],
  ['int key vs numeric string', 64, '64', true, true, false, false],
  ['int key in int list', 1, [1, 2, 3], true, true, false, false],
  ['float key in float list', 2.2, [1.1, 2.2, 3.3], true, true, false, false],
  ['bool key vs "true"', true, 'true', true, true, false, false],
  ['bool key vs bool value is unsupported', true, true, false, false, false, false],
  ['list key all in wildcard', ['kube-system', 'kube-public'], 'kube-*', true, true, false, false],
  ['list key partially in', ['kube-system', 'default'], 'kube-system', true, false, true, false],
  ['list key none in', ['default', 'kyverno'], 'kube-*', false, false, true, true],
  [
    'list key vs list value, one matches',
    ['default', 'kyverno'],
    ['kube-*', 'ky*'],
    true,
    false,
    true,
    false,
  ],
  [
    'list key vs list value, none match',
    ['default', 'kyverno'],
    ['kube-*', 'kube-system'],
    false,
    false,
    true,
    true,
  ],
  ['wildcard in key matches literal value', ['kube-*'], ['kube-system'], true, true, false, false],
  ['list of ints vs scalar int value', [1, 2, 3], 2, true, false, true, false],
  ['empty key list', [], ['default'], false, true, false, true],
  ['empty string key', '', ['default', 'kyverno'], false, false, true, true],
  ['string key in numeric range', '5', '1-10', true, true, false, false],
  ['string key outside numeric range', '0', '1-10', false, false, true, true],
  ['list key with one in range', ['0', '5'], '1-10', true, false, true, false],
  ['quantity range', '512Mi', '256Mi-1Gi', true, true, false, false],
  ['not-range value', '20', '1!-10', true, true, false, false],
  ['JSON string-array value, exact', 'apple', '["apple", "banana"]', true, true, false, false],
  ['JSON string-array value, absent', 'cherry', '["apple", "banana"]', false, false, true, true],
  ['map key is unsupported', { foo: 'bar' }, 'test', false, false, false, false],
];

describe('AnyIn / AllIn / AnyNotIn / AllNotIn', () => {
  for (const [name, key, value, ai, al, ani, alni] of rows) {
    test(name, () => {
      assert.equal(anyIn(key, value), ai, 'AnyIn');
      assert.equal(allIn(key, value), al, 'AllIn');
      assert.equal(anyNotIn(key, value), ani, 'AnyNotIn');
      assert.equal(allNotIn(key, value), alni, 'AllNotIn');
    });
  }
});
