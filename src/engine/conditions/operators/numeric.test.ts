// kyverno.io/docs/writing-policies/preconditions (quantities, durations) and Kyverno
// operator/numeric.go (semver fallback), kyverno-reference §2.3.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  durationGreaterThan,
  durationGreaterThanOrEquals,
  durationLessThan,
  durationLessThanOrEquals,
} from './duration.js';
import { greaterThan } from './greater-than.js';
import { greaterThanOrEquals } from './greater-than-or-equals.js';
import { lessThan } from './less-than.js';
import { lessThanOrEquals } from './less-than-or-equals.js';

// [name, key, value, >, >=, <, <=]
const rows: [string, unknown, unknown, boolean, boolean, boolean, boolean][] = [
  ['numbers', 3, 2, true, true, false, false],
  ['equal numbers', 2, 2, false, true, false, true],
  ['number vs numeric string', 10, '9.5', true, true, false, false],
  ['length(hostpathvolnames) > 0 (docs)', 0, 0, false, true, false, true],
  ['quantity 512Mi < 1Gi (docs)', '512Mi', '1Gi', false, false, true, true],
  ['quantity with different scales', '1500m', '1', true, true, false, false],
  ['durations', '2h', '90m', true, true, false, false],
  ['duration vs seconds', '30s', 60, false, false, true, true],
  ['seconds vs duration', 120, '1m', true, true, false, false],
  ['semver fallback', '1.10.0', '1.9.0', true, true, false, false],
  ['numeric string vs number', '100', 50, true, true, false, false],
  ['non-numeric strings → false', 'abc', 'abd', false, false, false, false],
  ['bool key → false', true, 1, false, false, false, false],
  ['null key → false', null, 1, false, false, false, false],
];

describe('GreaterThan / GreaterThanOrEquals / LessThan / LessThanOrEquals', () => {
  for (const [name, key, value, gt, ge, lt, le] of rows) {
    test(name, () => {
      assert.equal(greaterThan(key, value), gt, 'GreaterThan');
      assert.equal(greaterThanOrEquals(key, value), ge, 'GreaterThanOrEquals');
      assert.equal(lessThan(key, value), lt, 'LessThan');
      assert.equal(lessThanOrEquals(key, value), le, 'LessThanOrEquals');
    });
  }
});

describe('Duration* (deprecated)', () => {
  const drows: [string, unknown, unknown, boolean, boolean, boolean, boolean][] = [
    ['1h vs 30m', '1h', '30m', true, true, false, false],
    ['seconds vs duration', 60, '1m', false, true, false, true],
    ['fractional seconds are truncated', 1.9, '1s', false, true, false, true],
    ['non-duration string → false', 'soon', '1m', false, false, false, false],
  ];
  for (const [name, key, value, gt, ge, lt, le] of drows) {
    test(name, () => {
      assert.equal(durationGreaterThan(key, value), gt);
      assert.equal(durationGreaterThanOrEquals(key, value), ge);
      assert.equal(durationLessThan(key, value), lt);
      assert.equal(durationLessThanOrEquals(key, value), le);
    });
  }
});
