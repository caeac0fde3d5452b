/**
 * @module The part of Node's `Buffer` the engine uses, for the browser bundle (esbuild maps
 * `node:buffer` and the global `Buffer` here). Encodings: utf8, base64 (lenient, as Node decodes),
 * base64url, hex, latin1/binary, ascii, utf16le.
 */

type Encoding = 'utf8' | 'utf-8' | 'base64' | 'base64url' | 'hex' | 'latin1' | 'binary' | 'ascii' | 'utf16le';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  DECODE[B64.charCodeAt(i)] = i;
  DECODE[B64URL.charCodeAt(i)] = i;
}

/** Node's decoder: both alphabets, skips characters outside them, stops at the first `=`. */
function decodeBase64(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c & 0xff) === 61) break;
    // Node reads each character's low byte (its latin1 view of the string).
    const b = c & 0xff;
    const v = b < 128 ? (DECODE[b] ?? -1) : -1;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

function encodeBase64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + alphabet[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

function encode(s: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'base64':
    case 'base64url':
      return decodeBase64(s);
    case 'hex': {
      const n = Math.floor(s.length / 2);
      const out = new Uint8Array(n);
      let i = 0;
      for (; i < n; i++) {
        // As Node: each character's low byte, up to the first pair that is not hex.
        const hi = hexDigit(s.charCodeAt(i * 2) & 0xff);
        const lo = hexDigit(s.charCodeAt(i * 2 + 1) & 0xff);
        if (hi < 0 || lo < 0) break;
        out[i] = (hi << 4) | lo;
      }
      return out.subarray(0, i);
    }
    case 'latin1':
    case 'binary':
    case 'ascii': {
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
      return out;
    }
    case 'utf16le': {
      const out = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        out[i * 2] = c & 0xff;
        out[i * 2 + 1] = c >> 8;
      }
      return out;
    }
    default:
      return utf8Encoder.encode(s);
  }
}

/** Bytes with Node's `toString(encoding)` and `equals`. */
function wrap(bytes: Uint8Array): Bytes {
  return new Bytes(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Bytes with Node's `toString(encoding)` and `equals`. */
export class Bytes extends Uint8Array {
  equals(other: Uint8Array): boolean {
    return compare(this, other) === 0;
  }

  override toString(encoding: Encoding = 'utf8'): string {
    switch (encoding) {
      case 'base64':
        return encodeBase64(this, B64, true);
      case 'base64url':
        return encodeBase64(this, B64URL, false);
      case 'hex': {
        let out = '';
        for (const b of this) out += b.toString(16).padStart(2, '0');
        return out;
      }
      case 'latin1':
      case 'binary': {
        let out = '';
        for (const b of this) out += String.fromCharCode(b);
        return out;
      }
      case 'ascii': {
        let out = '';
        for (const b of this) out += String.fromCharCode(b & 0x7f);
        return out;
      }
      case 'utf16le': {
        let out = '';
        for (let i = 0; i + 1 < this.length; i += 2)
          out += String.fromCharCode(this[i]! | (this[i + 1]! << 8));
        return out;
      }
      default:
        return utf8Decoder.decode(this);
    }
  }
}

/** Node's `Buffer` statics the engine calls. */
export const Buffer = {
  from(value: string | ArrayLike<number> | ArrayBufferLike, encoding: Encoding = 'utf8'): Bytes {
    if (typeof value === 'string') return wrap(encode(value, encoding));
    if (value instanceof ArrayBuffer) return new Bytes(value);
    const bytes = new Bytes((value as ArrayLike<number>).length);
    bytes.set(value as ArrayLike<number>);
    return bytes;
  },
  alloc(size: number, fill = 0): Bytes {
    return new Bytes(size).fill(fill) as Bytes;
  },
  isBuffer(v: unknown): v is Bytes {
    return v instanceof Bytes;
  },
  byteLength(s: string | Uint8Array, encoding: Encoding = 'utf8'): number {
    return typeof s === 'string' ? encode(s, encoding).length : s.length;
  },
  concat(list: readonly Uint8Array[], total?: number): Bytes {
    const size = total ?? list.reduce((n, b) => n + b.length, 0);
    const out = new Bytes(size);
    let at = 0;
    for (const b of list) {
      if (at >= size) break;
      out.set(b.subarray(0, size - at), at);
      at += b.length;
    }
    return out;
  },
  compare,
};
