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

  test('a pattern matches its own text, as a regular expression of it does (`*`, `?`, code points)', () => {
    // The reference: `*` any sequence, `?` one code point, everything else literal, whole string.
    const reference = (p: string, v: string) =>
      new RegExp(
        `^${Array.from(p, (c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('')}$`,
        'su',
      ).test(v);
    for (const p of [
      '',
      'a',
      'a*',
      '*a',
      '?',
      'a?b',
      '**',
      '*?*',
      'é?',
      '🙂*x',
      'kube-*',
      'Pod',
      'a.b',
      '(x)',
    ]) {
      assert.equal(reference(p, p), true, p);
      assert.equal(wildcardMatch(p, p), true, p);
      for (const v of ['', 'a', 'ab', 'é', '🙂x', 'Pods', 'axb'])
        assert.equal(wildcardMatch(p, v), reference(p, v), `${p} ~ ${v}`);
    }
  });

  test('a pathological pattern stays fast (no backtracking blow-up)', () => {
    assert.equal(wildcardMatch(`${'*a'.repeat(30)}b`, 'a'.repeat(5000)), false);
  });
});

test('hasWildcard', () => {
  assert.equal(hasWildcard('a*'), true);
  assert.equal(hasWildcard('a?'), true);
  assert.equal(hasWildcard('abc'), false);
});
