/**
 * @module A minimal ASN.1 DER reader (X.690): tag, length and contents of one element, the children
 * of a constructed element, and the OID, INTEGER and string decodings that x509_decode and cosign's
 * certificate checks need (node:crypto does not expose extensions such as Fulcio's issuer).
 */
import { Buffer } from 'node:buffer';

export interface DerNode {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** The whole TLV, header included. */
  readonly raw: Uint8Array;
  readonly content: Uint8Array;
}

export class DerError extends Error {}

/** Reads one TLV at `offset`; throws DerError on truncated input or an unsupported length form. */
export function readNode(buf: Uint8Array, offset = 0): DerNode {
  const tag = buf[offset];
  let lenByte = buf[offset + 1];
  if (tag === undefined || lenByte === undefined) throw new DerError('truncated DER element');
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let headerLen = 2;
  let length = lenByte;
  if (lenByte & 0x80) {
    const n = lenByte & 0x7f;
    // Indefinite lengths (n = 0) are BER, not DER; more than 4 length octets is beyond any input here.
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    length = 0;
    for (let i = 0; i < n; i++) {
      lenByte = buf[offset + 2 + i];
      if (lenByte === undefined) throw new DerError('truncated DER length');
      length = length * 256 + lenByte;
    }
    headerLen += n;
  }
  const end = offset + headerLen + length;
  if (end > buf.length) throw new DerError('truncated DER element');
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + headerLen, end) };
}

/** The children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let offset = 0;
  while (offset < node.content.length) {
    const child = readNode(node.content, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

/**
 * OBJECT IDENTIFIER arcs. The first subidentifier packs two arcs (40 × X + Y) and may take several
 * octets when X is 2 (X.690 §8.19.4), so it is read like any other subidentifier before splitting.
 */
export function decodeOid(content: Uint8Array): number[] {
  if (content.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const out: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (out.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        out.push(first, value - first * 40);
      } else {
        out.push(value);
      }
      value = 0;
    }
  }
  return out;
}

/** Dotted OID text, as Go's `asn1.ObjectIdentifier.String()` prints it. */
export function oidString(content: Uint8Array): string {
  return decodeOid(content).join('.');
}

export function decodeUnsigned(content: Uint8Array): bigint {
  let v = 0n;
  for (const byte of content) v = v * 256n + BigInt(byte);
  return v;
}

/** Two's complement INTEGER. */
export function decodeInteger(content: Uint8Array): bigint {
  const v = decodeUnsigned(content);
  const first = content[0];
  return first !== undefined && first & 0x80 ? v - (1n << BigInt(content.length * 8)) : v;
}

/** UTF8String contents. */
export function decodeUtf8(content: Uint8Array): string {
  return Buffer.from(content).toString('utf8');
}
