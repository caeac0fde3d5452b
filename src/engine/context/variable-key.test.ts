// Values-file variable names are split like one CSV record with `.` as the separator (Kyverno's
// context AddVariable), so quoted parts keep their dots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitVariableKey } from './variable-key.js';

const cases: [string, string[] | undefined][] = [
  ['request.operation', ['request', 'operation']],
  ['cm', ['cm']],
  [
    'request.object.metadata.annotations."hpedevops.net/platform"',
    ['request', 'object', 'metadata', 'annotations', 'hpedevops.net/platform'],
  ],
  ['"a.b".c', ['a.b', 'c']],
  ['"say ""hi""".x', ['say "hi"', 'x']],
  ['a..b', ['a', '', 'b']],
  ['a.b"c', undefined], // a bare quote inside an unquoted part
  ['"a"b.c', undefined], // text after the closing quote
  ['"a.b', undefined], // unclosed
];
for (const [name, want] of cases) {
  test(`${name} → ${JSON.stringify(want)}`, () => assert.deepEqual(splitVariableKey(name), want));
}
