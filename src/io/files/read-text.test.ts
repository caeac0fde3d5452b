import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeUtf8, invalidUtf8Offset, readText } from './read-text.js';

describe('decodeUtf8', () => {
  const bad: [string, number[], number][] = [
    ['lone continuation byte', [0x61, 0x80], 1],
    ['truncated sequence', [0x61, 0xc3], 1],
    ['bad continuation', [0xc3, 0x28], 0],
    ['overlong form', [0xc0, 0xaf], 0],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ];
  for (const [name, bytes, at] of bad)
    test(`${name} is found at byte ${at}`, () => assert.equal(invalidUtf8Offset(Uint8Array.from(bytes)), at));

  test('valid text decodes, a BOM is dropped', () => {
    const r = decodeUtf8(Buffer.from('\uFEFFcafé: ✓ 😀\n'), 'f');
    assert.deepEqual(r, { ok: true, text: 'café: ✓ 😀\n' });
  });

  test('invalid UTF-8 names its line and column', () => {
    const r = decodeUtf8(Buffer.concat([Buffer.from('a: 1\nbé: '), Buffer.from([0xff])]), 'f.yaml');
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.deepEqual(
        [r.issue.code, r.issue.source?.line, r.issue.source?.column],
        ['yaml/syntax-error', 2, 5],
      );
  });

  test('a control byte before the first invalid sequence is reported first', () => {
    const r = decodeUtf8(Uint8Array.from([0x7f, 0x45, 0xff]), 'bin');
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.issue.message, /control character U\+007F/);
  });
});

test('stdin bytes are decoded strictly and bounded', () => {
  const r = readText('-', () => Uint8Array.from([0x61, 0xfe]));
  assert.equal(r.ok ? '' : r.issue.source?.file, '<stdin>');
  const big = readText('-', () => new Uint8Array(11), 10);
  assert.equal(big.ok ? '' : big.issue.code, 'limits/exceeded');
});
