import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap } from './json-map.js';

test('isMap: objects are maps; null, arrays and scalars are not', () => {
  const cases: [unknown, boolean][] = [
    [{}, true],
    [{ a: 1 }, true],
    [Object.create(null), true],
    [null, false],
    [undefined, false],
    [[], false],
    [[{ a: 1 }], false],
    ['{}', false],
    [0, false],
    [true, false],
  ];
  for (const [value, expected] of cases) assert.equal(isMap(value), expected, JSON.stringify(value));
});
