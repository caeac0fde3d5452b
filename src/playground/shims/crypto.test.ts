import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { test } from 'node:test';
import { createHash, createHmac, randomInt, timingSafeEqual, X509Certificate } from './crypto.js';

const INPUTS = ['', 'abc', 'héllo ✓', 'x'.repeat(1000)];

test('digests equal Node for sha1, sha256, sha512 and md5', () => {
  for (const alg of ['sha1', 'sha256', 'sha512', 'md5']) {
    for (const s of INPUTS) {
      assert.equal(
        createHash(alg).update(s).digest('hex'),
        nodeCrypto.createHash(alg).update(s).digest('hex'),
      );
    }
  }
});

test('HMACs equal Node for the JWT algorithms', () => {
  for (const alg of ['sha256', 'sha384', 'sha512']) {
    const mine = createHmac(alg, 'secret').update('header.payload').digest('hex');
    assert.equal(mine, nodeCrypto.createHmac(alg, 'secret').update('header.payload').digest('hex'));
  }
});

test('timingSafeEqual, randomInt, and certificates refused with a clear error', () => {
  assert.ok(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  assert.ok(!timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
  for (let i = 0; i < 50; i++) {
    const n = randomInt(3, 7);
    assert.ok(n >= 3 && n < 7);
  }
  assert.throws(() => new X509Certificate('pem'), /not available in the playground/);
});
