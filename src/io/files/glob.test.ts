import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { excludeMatcher, expandBraces, globBase, globMatcher, isGlob } from './glob.js';

describe('globMatcher', () => {
  const cases: readonly [pattern: string, path: string, want: boolean][] = [
    ['manifests/*.yaml', 'manifests/web.yaml', true],
    ['manifests/*.yaml', 'manifests/dev/web.yaml', false],
    ['manifests/**/*.yaml', 'manifests/web.yaml', true],
    ['manifests/**/*.yaml', 'manifests/dev/eu/web.yaml', true],
    ['manifests/**/*.yaml', 'other/web.yaml', false],
    ['**/*.yaml', 'a/b/c.yaml', true],
    ['**/*.yaml', 'c.yml', false],
    ['**/*.{yaml,yml}', 'a/c.yml', true],
    ['./deploy/?/x.yaml', 'deploy/a/x.yaml', true],
    ['deploy/?/x.yaml', 'deploy/ab/x.yaml', false],
    ['/abs/**', '/abs/x/y.yaml', true],
    ['deploy/**', 'deploy', true],
  ];
  for (const [pattern, path, want] of cases)
    test(`${pattern} ${want ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(globMatcher(pattern)(path), want);
    });

  test('a long path against many stars stays fast (no backtracking blow-up)', () => {
    const path = `${'a/'.repeat(200)}b.yaml`;
    assert.equal(globMatcher('**/**/**/**/**/**/c.yaml')(path), false);
  });
});

test('isGlob, globBase and expandBraces', () => {
  assert.equal(isGlob('a/b.yaml'), false);
  assert.equal(isGlob('a/*.yaml'), true);
  assert.equal(globBase('manifests/**/*.yaml'), 'manifests');
  assert.equal(globBase('*.yaml'), '.');
  assert.equal(globBase('/tmp/x/**'), '/tmp/x');
  assert.deepEqual(expandBraces('a/{b,c}/*.{yaml,yml}'), [
    'a/b/*.yaml',
    'a/b/*.yml',
    'a/c/*.yaml',
    'a/c/*.yml',
  ]);
});

describe('excludeMatcher', () => {
  const cases: readonly [patterns: string[], path: string, want: boolean][] = [
    [['vendor'], 'repo/vendor/x.yaml', true],
    [['vendor'], 'repo/vendors/x.yaml', false],
    [['*.tmpl.yaml'], 'a/b/x.tmpl.yaml', true],
    [['charts/**'], 'charts/web/templates/cm.yaml', true],
    [['charts/**'], 'deploy/charts/web.yaml', false],
    [['deploy/prod/*.yaml'], 'deploy/prod/web.yaml', true],
    [['deploy/prod/*.yaml'], 'deploy/dev/web.yaml', false],
    [[], 'x.yaml', false],
  ];
  for (const [patterns, path, want] of cases)
    test(`${JSON.stringify(patterns)} ${want ? 'excludes' : 'keeps'} ${path}`, () => {
      assert.equal(excludeMatcher(patterns)(path), want);
    });
});
