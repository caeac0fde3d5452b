import assert from 'node:assert/strict';
import { test } from 'node:test';
import { semverFunctions } from './semver.js';

function call(...args: unknown[]): unknown {
  const entry = semverFunctions.find((e) => e.name === 'semver_compare');
  assert.ok(entry);
  return entry.impl(args, {});
}

const cases: ReadonlyArray<readonly [string, string, boolean]> = [
  // kyverno.io docs examples
  ['1.2.3', '1.2.4', false],
  ['4.1.3', '>=4.1.x', true],
  ['4.1.3', '!4.x.x', false],
  ['1.8.6', '>1.0.0 <2.0.0', true],
  ['2.1.5', '<2.0.0 || >=3.0.0', false],
  ['4.5.1', '>4.5.0', true],
  // ranges with wildcards, OR groups and operators
  ['3.5.0', '>=1.2.0 <2.0.0 || 3.x', true],
  ['1.5.0', '>=1.2.0 <2.0.0 || 3.x', true],
  ['2.5.0', '>=1.2.0 <2.0.0 || 3.x', false],
  ['4.0.0', '3.x', false],
  ['1.2.9', '1.2.x', true],
  ['1.3.0', '<=1.2.x', false],
  ['1.2.99', '<=1.2.x', true],
  ['1.3.0', '>1.2.x', true],
  ['1.2.3', '1.2.3', true],
  ['1.2.3', '==1.2.3', true],
  ['1.2.3', '!=1.2.3', false],
  ['1.2.3', '>= 1.2.0', true],
  ['1.2.3-alpha', '<1.2.3', true],
  ['1.2.3-alpha.1', '>1.2.3-alpha', true],
  ['1.2.3+build.5', '=1.2.3', true],
  // an unparsable version is 0.0.0
  ['v1.2.3', '<0.0.1', true],
  ['latest', '0.0.0', true],
  ['01.2.3', '>=0.0.0 <0.0.1', true],
];

for (const [version, range, expected] of cases) {
  test(`semver_compare(${version}, ${range}) = ${expected}`, () =>
    assert.equal(call(version, range), expected));
}

const bad = ['>=abc', '>=1.2', '|| 1.0.0', '1.0.0 ||', '~1.0.0', '>=1.2.3 <='];
for (const range of bad) {
  test(`semver_compare rejects range ${JSON.stringify(range)}`, () => {
    assert.throws(() => call('1.0.0', range), { message: /^JMESPath function 'semver_compare': / });
  });
}
