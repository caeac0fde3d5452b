/**
 * @module Raw signature checks as sigstore's `signature.LoadVerifier` does them: ECDSA (ASN.1 DER
 * signature over the hashed message), RSA PKCS#1 v1.5, and pure Ed25519; the hash defaults to
 * SHA-256 (`key.hashAlgorithm` may pick sha224/sha384/sha512).
 */
import { Buffer } from 'node:buffer';
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';

const HASHES: Readonly<Record<string, string>> = {
  '': 'sha256',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** Parses a PEM public key (SPKI or PKCS#1); throws KeyError. */
export function publicKeyFromPem(pem: string): KeyObject {
  try {
    return createPublicKey(pem.trim());
  } catch (e) {
    throw new KeyError(`failed to load public key from PEM: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Decodes standard or URL-safe base64; undefined when it is not base64 at all. */
export function decodeBase64(s: string): Buffer | undefined {
  const t = s.trim();
  if (t === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
}

/** Whether `signature` (base64) is a valid signature of `message` by `key`. Never throws. */
export function verifySignature(
  key: KeyObject,
  message: Uint8Array,
  signature: string,
  hashAlgorithm = '',
): boolean {
  const sig = decodeBase64(signature);
  const hash = HASHES[hashAlgorithm.toLowerCase()];
  if (sig === undefined || hash === undefined) return false;
  try {
    switch (key.asymmetricKeyType) {
      case 'ed25519':
        return verify(null, message, key, sig);
      case 'ec':
        return verify(hash, message, { key, dsaEncoding: 'der' }, sig);
      case 'rsa':
        return verify(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
