// Kyverno wildcard semantics (reference §7.3): `*` any sequence, `?` exactly one character, whole string.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasWildcard, wildcardMatch } from './wildcard.js';

describe('wildcardMatch', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything', true],
    ['prod-*', 'prod-web', true],
    ['prod-*', 'dev-web', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*b', 'xaxxb', true],
    ['*a*b', 'xaxxbc', false],
    ['kube-*', 'kube-system', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['?', 'é', true],
    ['**', 'x', true],
  ];
  for (const [p, v, want] of cases) test(`${p} ~ ${v}`, () => assert.equal(wildcardMatch(p, v), want));

  test('a pathological pattern stays fast (no backtracking blow-up)', () => {
    assert.equal(wildcardMatch(`${'*a'.repeat(30)}b`, 'a'.repeat(5000)), false);
  });
});

test('hasWildcard', () => {
  assert.equal(hasWildcard('a*'), true);
  assert.equal(hasWildcard('a?'), true);
  assert.equal(hasWildcard('abc'), false);
});
