/**
 * @module The part of `node:crypto` the engine uses, for the browser bundle: synchronous digests and
 * HMAC (node-forge's pure-JS message digests; WebCrypto's are asynchronous), random integers, and
 * stand-ins for certificate and signature checks, which need a registry and so cannot run offline
 * in a page anyway: they throw, and the engine reports the error on the rule.
 */
import forge from 'node-forge/lib/forge.js';
import 'node-forge/lib/md5.js';
import 'node-forge/lib/sha1.js';
import 'node-forge/lib/sha256.js';
import 'node-forge/lib/sha512.js';
import 'node-forge/lib/hmac.js';
import { Buffer, type Bytes } from './buffer.js';

type Input = string | Uint8Array;

function binary(data: Input): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('latin1');
}

function output(raw: string, encoding?: string): Bytes | string {
  const bytes = Buffer.from(raw, 'latin1');
  return encoding === undefined ? bytes : bytes.toString(encoding as 'hex');
}

function digestOf(algorithm: string) {
  const md = forge.md[algorithm.toLowerCase().replace('-', '')];
  if (md === undefined) throw new Error(`digest ${algorithm} is not available in the playground`);
  return md;
}

export function createHash(algorithm: string) {
  const md = digestOf(algorithm).create();
  const hash = {
    update(data: Input) {
      md.update(binary(data));
      return hash;
    },
    digest: (encoding?: string) => output(md.digest().bytes(), encoding),
  };
  return hash;
}

export function createHmac(algorithm: string, key: Input) {
  digestOf(algorithm);
  const mac = forge.hmac.create();
  mac.start(algorithm.toLowerCase().replace('-', ''), binary(key));
  const hmac = {
    update(data: Input) {
      mac.update(binary(data));
      return hmac;
    },
    digest: (encoding?: string) => output(mac.digest().bytes(), encoding),
  };
  return hmac;
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function randomInt(min: number, max: number): number {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return min + ((n ?? 0) % (max - min));
}

const offline = (what: string) => new Error(`${what} is not available in the playground`);

export class X509Certificate {
  constructor(_pem: unknown) {
    throw offline('X.509 certificate parsing');
  }
}

export function createPublicKey(_pem: unknown): never {
  throw offline('signature verification');
}

export function verify(..._args: unknown[]): never {
  throw offline('signature verification');
}

export const constants = { RSA_PKCS1_PADDING: 1, RSA_PKCS1_PSS_PADDING: 6 };
