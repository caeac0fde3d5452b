import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance, suggestion } from './did-you-mean.js';

test('editDistance', () => {
  const cases: readonly [string, string, number][] = [
    ['apply', 'apply', 0],
    ['aply', 'apply', 1],
    ['appyl', 'apply', 1],
    ['tset', 'test', 1],
    ['resorce', 'resource', 1],
    ['', 'abc', 3],
  ];
  for (const [a, b, want] of cases) assert.equal(editDistance(a, b), want, `${a} → ${b}`);
});

test('closest: typos suggest, unrelated words do not', () => {
  const commands = ['apply', 'test', 'create', 'jp', 'version', 'serve'];
  assert.equal(closest('aply', commands), 'apply');
  assert.equal(closest('tset', commands), 'test');
  assert.equal(closest('verison', commands), 'version');
  assert.equal(closest('deploy', commands), undefined);
  assert.equal(closest('x', commands), undefined);
  assert.equal(suggestion('resorce', ['resource', 'values-file'], '--'), ' Did you mean "--resource"?');
  assert.equal(suggestion('zzz', ['resource']), '');
});
