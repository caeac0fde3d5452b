import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, suggestClosest } from './edit-distance.js';

test('editDistance', () => {
  for (const [a, b, want] of [
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['preconditon', 'preconditions', 2],
    ['same', 'same', 0],
  ] as const) {
    assert.equal(editDistance(a, b), want, `${a} → ${b}`);
  }
});

test('suggestClosest', () => {
  const fields = ['validate', 'mutate', 'generate', 'verifyImages', 'preconditions'];
  assert.equal(suggestClosest('valdate', fields), 'validate');
  assert.equal(suggestClosest('VerifyImages', fields), 'verifyImages');
  assert.equal(suggestClosest('preconditon', fields), 'preconditions');
  assert.equal(suggestClosest('xyz', fields), undefined);
  assert.equal(suggestClosest('ab', ['cd']), undefined);
});
