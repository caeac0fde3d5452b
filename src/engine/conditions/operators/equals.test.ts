// kyverno.io/docs/writing-policies/preconditions (Operators, Wildcard Matches) and Kyverno
// operator/equal.go semantics (kyverno-reference §2.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { equals } from './equals.js';
import { notEquals } from './not-equals.js';

const cases: { name: string; key: unknown; value: unknown; eq: boolean; ne: boolean }[] = [
  { name: 'same strings', key: 'NodePort', value: 'NodePort', eq: true, ne: false },
  { name: 'different strings', key: 'ClusterIP', value: 'NodePort', eq: false, ne: true },
  {
    name: 'value is a wildcard pattern',
    key: 'app.mycompany.com',
    value: '*.mycompany.com',
    eq: true,
    ne: false,
  },
  { name: 'key is not a pattern', key: '*.mycompany.com', value: 'app.mycompany.com', eq: false, ne: true },
  { name: 'empty serviceAccountName vs ""', key: '', value: '', eq: true, ne: false },
  { name: 'numbers', key: 1, value: 1, eq: true, ne: false },
  { name: 'number key, numeric string value', key: 5, value: '5', eq: true, ne: false },
  { name: 'string key, number value', key: '5', value: 5, eq: false, ne: true },
  { name: 'number key, non-numeric string', key: 5, value: 'five', eq: false, ne: true },
  { name: 'booleans', key: true, value: true, eq: true, ne: false },
  { name: 'bool vs string', key: true, value: 'true', eq: false, ne: true },
  { name: 'quantities 1Gi = 1024Mi', key: '1Gi', value: '1024Mi', eq: true, ne: false },
  { name: 'quantities 1024 = 1Ki', key: '1024', value: '1Ki', eq: true, ne: false },
  {
    name: 'quantity key vs pattern value → false, no wildcard fallback',
    key: '100',
    value: '1*',
    eq: false,
    ne: true,
  },
  { name: 'quantity key vs "*" → false', key: '100', value: '*', eq: false, ne: true },
  { name: 'durations 1h = 60m', key: '1h', value: '60m', eq: true, ne: false },
  { name: 'duration vs seconds', key: '1h', value: 3600, eq: true, ne: false },
  { name: '"0" is not a duration', key: '0', value: '0s', eq: false, ne: true },
  {
    name: 'maps deep-equal',
    key: { a: [1, { b: 'c' }] },
    value: { a: [1, { b: 'c' }] },
    eq: true,
    ne: false,
  },
  { name: 'lists differ', key: ['a', 'b'], value: ['b', 'a'], eq: false, ne: true },
  { name: 'null key is false for both', key: null, value: null, eq: false, ne: false },
];

describe('Equals / NotEquals', () => {
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(equals(c.key, c.value), c.eq, 'Equals');
      assert.equal(notEquals(c.key, c.value), c.ne, 'NotEquals');
    });
  }
});
