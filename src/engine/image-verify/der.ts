/**
 * @module A minimal DER reader: enough of ASN.1 to walk an X.509 certificate's extensions, which
 * node:crypto does not expose (Fulcio's OIDC issuer, otherName SANs).
 */
import { Buffer } from 'node:buffer';

export class DerError extends Error {
  constructor(message: string) {
    super(`malformed DER: ${message}`);
    this.name = 'DerError';
  }
}

export interface DerNode {
  /** The identifier octet (class, constructed bit and low tag number). */
  readonly tag: number;
  readonly content: Uint8Array;
}

/** Reads one TLV at `offset`; returns it and the offset after it. */
export function readTlv(buf: Uint8Array, offset: number): { node: DerNode; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  if (pos + len > buf.length) throw new DerError('truncated content');
  return { node: { tag, content: buf.subarray(pos, pos + len) }, next: pos + len };
}

/** The children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let pos = 0;
  while (pos < node.content.length) {
    const { node: child, next } = readTlv(node.content, pos);
    out.push(child);
    pos = next;
  }
  return out;
}

export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const first = content[0]!;
  const parts: number[] = [
    Math.min(2, Math.floor(first / 40)),
    first - Math.min(2, Math.floor(first / 40)) * 40,
  ];
  let value = 0;
  for (let i = 1; i < content.length; i++) {
    const b = content[i]!;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function decodeString(content: Uint8Array): string {
  return Buffer.from(content).toString('utf8');
}
