// ASN.1 DER (ITU-T X.690) reading, as Go's encoding/asn1 and crypto/x509 read certificates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { children, DerError, decodeInteger, decodeOid, oidString, readNode } from './der.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('readNode', () => {
  test('short form length', () => {
    const n = readNode(bytes(0x04, 0x02, 0xaa, 0xbb, 0xff));
    assert.equal(n.tag, 0x04);
    assert.deepEqual([...n.content], [0xaa, 0xbb]);
    assert.equal(n.raw.length, 4);
  });
  test('long form length', () => {
    const content = new Array<number>(200).fill(1);
    assert.equal(readNode(bytes(0x04, 0x81, 200, ...content)).content.length, 200);
  });
  test('children of a SEQUENCE, at an offset', () => {
    const seq = readNode(bytes(0xff, 0x30, 0x06, 0x02, 0x01, 0x05, 0x01, 0x01, 0xff), 1);
    assert.deepEqual(
      children(seq).map((c) => c.tag),
      [0x02, 0x01],
    );
  });
  const bad: [string, Uint8Array][] = [
    ['empty input', bytes()],
    ['content shorter than its length', bytes(0x04, 0x03, 0x00)],
    ['truncated long-form length', bytes(0x04, 0x82, 0x01)],
    ['indefinite length (BER only)', bytes(0x30, 0x80, 0x00, 0x00)],
    ['high tag number form', bytes(0x1f, 0x01, 0x00)],
  ];
  for (const [name, input] of bad) test(name, () => assert.throws(() => readNode(input), DerError));
});

describe('decodeOid', () => {
  const cases: [string, number[], string][] = [
    ['commonName', [0x55, 0x04, 0x03], '2.5.4.3'],
    ['rsaEncryption', [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01], '1.2.840.113549.1.1.1'],
    ['Fulcio issuer', [0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08], '1.3.6.1.4.1.57264.1.8'],
    // The first subidentifier 40×2+999 = 1079 takes two octets; image-verify's copy read only the
    // first octet and printed 2.56.55.3.
    ['first arc 2 with a large second arc', [0x88, 0x37, 0x03], '2.999.3'],
  ];
  for (const [name, input, want] of cases)
    test(name, () => {
      assert.equal(oidString(bytes(...input)), want);
      assert.deepEqual(decodeOid(bytes(...input)).join('.'), want);
    });
  // encoding/asn1: "zero length OBJECT IDENTIFIER" is an error; the jmespath copy returned [].
  test('an empty OID is an error', () => assert.throws(() => decodeOid(bytes()), DerError));
});

describe('decodeInteger', () => {
  const cases: [number[], bigint][] = [
    [[0x00], 0n],
    [[0x7f], 127n],
    [[0x00, 0x80], 128n],
    [[0x80], -128n],
    [[0xff, 0x7f], -129n],
  ];
  for (const [input, want] of cases)
    test(`${input} → ${want}`, () => assert.equal(decodeInteger(bytes(...input)), want));
});
