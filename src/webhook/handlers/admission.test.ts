// The depth scan of review text: brackets inside strings (escaped quotes included) do not count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonTextDepth } from './admission.js';

test('jsonTextDepth counts nesting outside strings only', () => {
  const cases: [string, number][] = [
    ['1', 0],
    ['{}', 1],
    ['{"a":[{"b":[]}]}', 4],
    ['{"a":"[[[{{{"}', 1],
    ['{"a":"\\"[[[\\\\"}', 1],
    ['[[1],[2,[3]]]', 3],
  ];
  for (const [text, want] of cases) assert.equal(jsonTextDepth(text, 100), want, text);
  assert.equal(jsonTextDepth('['.repeat(1000) + ']'.repeat(1000), 10), 11, 'stops just past the bound');
});
