import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareSemver, parseSemver } from './semver.js';

describe('compareSemver', () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ['1.10.0', '1.9.0', 1],
    ['1.2.3', '1.2.3', 0],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['v2.0.0', '1.99.99', 1],
  ];
  for (const [a, b, want] of cases)
    test(`${a} vs ${b}`, () => assert.equal(compareSemver(parseSemver(a)!, parseSemver(b)!), want));
});

test('parseSemver rejects partial versions', () => {
  assert.equal(parseSemver('1.2'), undefined);
  assert.equal(parseSemver('01.2.3'), undefined);
});
