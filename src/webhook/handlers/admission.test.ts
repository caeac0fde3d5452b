// The depth scan of review bytes: brackets inside strings (escaped quotes included) do not count, and
// the shortcut by counting brackets agrees with the scan of the decoded text it replaced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonDepth, nestsDeeper, parseJsonBody } from './admission.js';

/** The former scan, over the decoded text's UTF-16 code units: the reference for the byte scans. */
function textDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

test('jsonDepth counts nesting outside strings only', () => {
  const cases: [string, number][] = [
    ['1', 0],
    ['{}', 1],
    ['{"a":[{"b":[]}]}', 4],
    ['{"a":"[[[{{{"}', 1],
    ['{"a":"\\"[[[\\\\"}', 1],
    ['[[1],[2,[3]]]', 3],
    ['{"é[ü":["ß{"]}', 2],
    ['["\u{1F600}[",[[]]]', 3],
  ];
  for (const [text, want] of cases) {
    assert.equal(jsonDepth(bytes(text), 100), want, text);
    assert.equal(textDepth(text, 100), want, text);
  }
  assert.equal(jsonDepth(bytes('['.repeat(1000) + ']'.repeat(1000)), 10), 11, 'stops just past the bound');
});

test('nestsDeeper: past the bound exactly where the scan of the text is', () => {
  const table: [string, number, boolean][] = [
    ['[[[]]]', 3, false],
    ['[[[[]]]]', 3, true],
    // More brackets than the bound, but in strings or side by side: no shortcut, the scan decides.
    ['["[[[[[[", [], [], {}]', 3, false],
    ['{"a":[1],"b":[2],"c":[3],"d":[4]}', 3, false],
    ['{"a":"\\"","b":[[[["x"]]]]}', 3, true],
  ];
  for (const [text, max, want] of table) {
    assert.equal(nestsDeeper(bytes(text), max), want, text);
    assert.equal(nestsDeeper(new Uint8Array(bytes(text)), max), want, `${text} (Uint8Array)`);
  }
});

test('nestsDeeper agrees with the scan of the decoded text on any JSON-like text', () => {
  const piece = fc.constantFrom('{', '}', '[', ']', '"', '\\', 'a', ',', ':', 'é', '\u{1F600}', ' ');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 80 }), fc.integer({ min: 0, max: 12 }), (pieces, max) => {
      const text = pieces.join('');
      const b = bytes(text);
      assert.equal(jsonDepth(b, max), textDepth(text, max));
      assert.equal(nestsDeeper(b, max), textDepth(text, max) > max);
      // A view into a larger buffer, not a Buffer: the same answer.
      const padded = new Uint8Array(b.length + 8);
      padded.set(b, 4);
      assert.equal(nestsDeeper(padded.subarray(4, 4 + b.length), max), textDepth(text, max) > max);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
      const text = JSON.stringify(value);
      assert.equal(nestsDeeper(bytes(text), max), textDepth(text, max) > max, text);
    }),
    { numRuns: 1000 },
  );
});

test('parseJsonBody: too deep exactly when the scan of the text says so, short bodies unscanned included', () => {
  const table: [string, number, boolean][] = [
    ['[[[]]]', 2, true],
    ['[[[]]]', 3, false],
    ['[[[1]]]', 2, true],
    ['"[[[[[[[["', 2, false],
    [' [ [ [ ] ] ] ', 2, true],
  ];
  for (const [text, max, want] of table) {
    const parsed = parseJsonBody(bytes(text), max);
    assert.deepEqual(parsed.ok && parsed.tooDeep, want, `${text} ${max}`);
  }
  fc.assert(
    fc.property(
      fc.jsonValue({ maxDepth: 10 }),
      fc.integer({ min: 0, max: 12 }),
      fc.boolean(),
      (value, max, spaced) => {
        const text = spaced ? JSON.stringify(value, null, 1) : JSON.stringify(value);
        const parsed = parseJsonBody(bytes(text), max);
        assert.ok(parsed.ok);
        assert.equal(parsed.tooDeep, textDepth(text, max) > max, text);
      },
    ),
    { numRuns: 2000 },
  );
});
