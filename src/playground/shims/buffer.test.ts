import assert from 'node:assert/strict';
import { Buffer as NodeBuffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { Buffer } from './buffer.js';

const ENCODINGS = ['utf8', 'base64', 'base64url', 'hex', 'latin1', 'ascii', 'utf16le'] as const;
const bytesOf = (b: Uint8Array): number[] => [...b];

test('bytes encode to every encoding as Node does', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      for (const enc of ENCODINGS) {
        // Node replaces invalid UTF-8 the same way TextDecoder does.
        assert.equal(Buffer.from(bytes).toString(enc), NodeBuffer.from(bytes).toString(enc), enc);
      }
    }),
  );
});

test('strings decode from every encoding as Node does, base64 leniently', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      for (const enc of ENCODINGS) {
        assert.deepEqual(
          bytesOf(Buffer.from(s, enc)),
          bytesOf(NodeBuffer.from(s, enc)),
          `${enc} ${JSON.stringify(s)}`,
        );
      }
    }),
  );
  for (const s of ['aGVsbG8=', 'aGVsbG8', 'aGV sbG8=\n', 'a-_b', 'YQ==YQ==', '']) {
    assert.deepEqual(bytesOf(Buffer.from(s, 'base64')), bytesOf(NodeBuffer.from(s, 'base64')), s);
  }
});

test('byteLength, concat, compare and equals', () => {
  assert.equal(Buffer.byteLength('héllo ✓'), NodeBuffer.byteLength('héllo ✓'));
  assert.equal(Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]).toString(), 'abcd');
  assert.equal(Buffer.compare(Buffer.from('a'), Buffer.from('b')), -1);
  assert.equal(Buffer.compare(Buffer.from('ab'), Buffer.from('a')), 1);
  assert.ok(Buffer.from('x').equals(Buffer.from([0x78])));
  assert.equal(Buffer.from('hello').subarray(1, 3).toString(), 'el');
});
