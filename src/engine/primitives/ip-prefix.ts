/**
 * @module CIDR text (`10.0.0.0/8`, `2001:db8::/32`) as Go's `netip.ParsePrefix` reads it: an address
 * from ip-address.ts, then a decimal prefix length without sign or leading zeros, at most the
 * address width. The address bits beyond the prefix are kept; `maskBytes` clears them.
 */
import { parseIp } from './ip-address.js';

export interface IpPrefix {
  readonly bytes: readonly number[];
  readonly bits: number;
}

/** `netip.ParsePrefix(s)`; undefined when Go would reject it. */
export function parsePrefix(s: string): IpPrefix | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const bytes = parseIp(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (bytes === undefined || !/^(0|[1-9]\d*)$/.test(bits) || Number(bits) > bytes.length * 8)
    return undefined;
  return { bytes, bits: Number(bits) };
}

/** The address with every bit after the first `bits` cleared (`netip.Prefix.Masked()`). */
export function maskBytes(bytes: readonly number[], bits: number): number[] {
  return bytes.map((x, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return x & ((0xff << (8 - keep)) & 0xff);
  });
}

/** `netip.Prefix.Contains(addr)`: same family and the same first `bits` bits. */
export function prefixContains(prefix: IpPrefix, addr: readonly number[]): boolean {
  if (addr.length !== prefix.bytes.length) return false;
  const want = maskBytes(prefix.bytes, prefix.bits);
  return maskBytes(addr, prefix.bits).every((x, i) => x === want[i]);
}
