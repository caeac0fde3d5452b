import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeAction } from './failure-action.js';

test('normalizeAction: Enforce and Audit in any case, nothing else', () => {
  const table: [string | undefined, string | undefined][] = [
    ['Enforce', 'Enforce'],
    ['enforce', 'Enforce'],
    ['ENFORCE', 'Enforce'],
    ['Audit', 'Audit'],
    ['audit', 'Audit'],
    ['aUdIt', 'Audit'],
    ['Deny', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [given, want] of table) assert.equal(normalizeAction(given), want, String(given));
});
