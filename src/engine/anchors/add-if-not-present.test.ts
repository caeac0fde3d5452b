// kyverno.io "Mutate Resources" → Anchors → Add-if-not-present `+(key)`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addIfNotPresent, isAddIfNotPresentKey } from './add-if-not-present.js';

describe('add-if-not-present anchor +(key)', () => {
  const rows: [string, boolean][] = [
    ['+(app)', true],
    ['(app)', false],
    ['app', false],
    ['+app', false],
  ];
  for (const [key, want] of rows)
    test(`isAddIfNotPresentKey(${key})`, () => assert.equal(isAddIfNotPresentKey(key), want));

  test('adds a missing key', () => {
    const target: Record<string, unknown> = { a: 1 };
    assert.equal(addIfNotPresent(target, 'b', 2), true);
    assert.deepEqual(target, { a: 1, b: 2 });
  });

  test('leaves an existing key alone, even when null', () => {
    const target: Record<string, unknown> = { a: null };
    assert.equal(addIfNotPresent(target, 'a', 2), false);
    assert.deepEqual(target, { a: null });
  });
});
