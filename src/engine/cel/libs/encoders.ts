/**
 * @module cel-go ext encoders: `base64.encode(bytes) → string` (standard alphabet, padded) and
 * `base64.decode(string) → bytes` (padded or unpadded standard base64; anything else is an error).
 */
import { Buffer } from 'node:buffer';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

const STD = /^[A-Za-z0-9+/]*$/;

function decode(s: string): Uint8Array {
  const body = s.endsWith('==') ? s.slice(0, -2) : s.endsWith('=') ? s.slice(0, -1) : s;
  const padded = body.length !== s.length;
  // Go's StdEncoding (padded) then RawStdEncoding (unpadded): a length ≡ 1 (mod 4) never decodes.
  const badAt = [...body].findIndex((c) => !STD.test(c));
  if (badAt >= 0) throw new CelEvalError(`illegal base64 data at input byte ${badAt}`);
  if (body.length % 4 === 1 || (padded && s.length % 4 !== 0)) {
    throw new CelEvalError(
      `illegal base64 data at input byte ${s.length - (padded ? s.length - body.length : 0)}`,
    );
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export function encodersLibrary(): CelLibrary {
  return {
    name: 'encoders',
    ...namespaceLibraryParts('Base64Namespace', 'base64'),
    functions: [
      {
        signature: 'Base64Namespace.encode(bytes): string',
        impl: (_: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'),
      },
      { signature: 'Base64Namespace.decode(string): bytes', impl: (_: unknown, s: string) => decode(s) },
    ],
  };
}
