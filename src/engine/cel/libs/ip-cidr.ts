/**
 * @module Kubernetes' IP and CIDR libraries: `ip(s)`, `isIP`, `ip.isCanonical`, `cidr(s)`,
 * `isCIDR`, family/loopback/unicast tests, `containsIP`, `containsCIDR`, `masked`, `prefixLength`.
 * Parsing follows Go's netip as Kubernetes uses it: no zones, no IPv4-mapped IPv6, no leading zeros.
 */
import { formatAddr, isIPv4Mapped, parseIp } from '../../primitives/ip-address.js';
import { maskBytes, parsePrefix, prefixContains } from '../../primitives/ip-prefix.js';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

export class CelIp {
  readonly bytes: readonly number[];
  constructor(bytes: readonly number[]) {
    this.bytes = bytes;
  }
  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }
  toString(): string {
    return formatAddr(this.bytes);
  }
}

export class CelCidr {
  readonly ip: CelIp;
  readonly prefix: number;
  constructor(ip: CelIp, prefix: number) {
    this.ip = ip;
    this.prefix = prefix;
  }
  toString(): string {
    return `${this.ip}/${this.prefix}`;
  }
}

const sameIp = (a: CelIp, b: CelIp) =>
  a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);

// Kubernetes rejects IPv4-mapped IPv6 addresses, which netip itself accepts.
function parseIpBytes(s: string): number[] | undefined {
  const b = parseIp(s);
  return b === undefined || isIPv4Mapped(b) ? undefined : b;
}

function ip(s: string): CelIp {
  const b = parseIpBytes(s);
  if (b === undefined)
    throw new CelEvalError(
      `IP Address '${s}' parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`,
    );
  return new CelIp(b);
}

function parseCidr(s: string): CelCidr | undefined {
  const p = parsePrefix(s);
  if (p === undefined || isIPv4Mapped(p.bytes)) return undefined;
  return new CelCidr(new CelIp(p.bytes), p.bits);
}

function cidr(s: string): CelCidr {
  const c = parseCidr(s);
  if (c === undefined)
    throw new CelEvalError(
      `network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("${s}"): bad prefix`,
    );
  return c;
}

const masked = (c: CelCidr): CelCidr => new CelCidr(new CelIp(maskBytes(c.ip.bytes, c.prefix)), c.prefix);

const containsIp = (c: CelCidr, addr: CelIp): boolean =>
  prefixContains({ bytes: c.ip.bytes, bits: c.prefix }, addr.bytes);

const isLoopback = (x: CelIp) =>
  x.family === 4 ? x.bytes[0] === 127 : x.bytes.slice(0, 15).every((b) => b === 0) && x.bytes[15] === 1;
const isUnspecified = (x: CelIp) => x.bytes.every((b) => b === 0);
const isLinkLocalMulticast = (x: CelIp) =>
  x.family === 4
    ? x.bytes[0] === 224 && x.bytes[1] === 0 && x.bytes[2] === 0
    : x.bytes[0] === 0xff && ((x.bytes[1] ?? 0) & 0x0f) === 0x02;
const isLinkLocalUnicast = (x: CelIp) =>
  x.family === 4
    ? x.bytes[0] === 169 && x.bytes[1] === 254
    : x.bytes[0] === 0xfe && ((x.bytes[1] ?? 0) & 0xc0) === 0x80;
function isGlobalUnicast(x: CelIp): boolean {
  if (x.family === 4 && x.bytes.every((b) => b === 255)) return false;
  const multicast =
    x.family === 4 ? (x.bytes[0] ?? 0) >= 224 && (x.bytes[0] ?? 0) <= 239 : x.bytes[0] === 0xff;
  return !isUnspecified(x) && !isLoopback(x) && !multicast && !isLinkLocalUnicast(x);
}

export function ipCidrLibrary(): CelLibrary {
  const ns = namespaceLibraryParts('IpNamespace', 'ip');
  return {
    name: 'ip-cidr',
    types: [...ns.types, { name: 'net.IP', ctor: CelIp }, { name: 'net.CIDR', ctor: CelCidr }],
    operators: [
      { signature: 'net.IP == net.IP', impl: (a: CelIp, b: CelIp) => sameIp(a, b) },
      {
        signature: 'net.CIDR == net.CIDR',
        impl: (a: CelCidr, b: CelCidr) => a.prefix === b.prefix && sameIp(a.ip, b.ip),
      },
    ],
    constants: ns.constants,
    functions: [
      { signature: 'ip(string): net.IP', impl: ip },
      { signature: 'isIP(string): bool', impl: (s: string) => parseIpBytes(s) !== undefined },
      {
        signature: 'IpNamespace.isCanonical(string): bool',
        impl: (_: unknown, s: string) => ip(s).toString() === s,
      },
      { signature: 'string(net.IP): string', impl: (x: CelIp) => x.toString() },
      { signature: 'net.IP.family(): int', impl: (x: CelIp) => BigInt(x.family) },
      { signature: 'net.IP.isUnspecified(): bool', impl: isUnspecified },
      { signature: 'net.IP.isLoopback(): bool', impl: isLoopback },
      { signature: 'net.IP.isLinkLocalMulticast(): bool', impl: isLinkLocalMulticast },
      { signature: 'net.IP.isLinkLocalUnicast(): bool', impl: isLinkLocalUnicast },
      { signature: 'net.IP.isGlobalUnicast(): bool', impl: isGlobalUnicast },
      { signature: 'cidr(string): net.CIDR', impl: cidr },
      { signature: 'isCIDR(string): bool', impl: (s: string) => parseCidr(s) !== undefined },
      { signature: 'string(net.CIDR): string', impl: (c: CelCidr) => c.toString() },
      {
        signature: 'net.CIDR.containsIP(string): bool',
        impl: (c: CelCidr, s: string) => containsIp(c, ip(s)),
      },
      { signature: 'net.CIDR.containsIP(net.IP): bool', impl: containsIp },
      {
        signature: 'net.CIDR.containsCIDR(string): bool',
        impl: (c: CelCidr, s: string) => {
          const o = cidr(s);
          return o.prefix >= c.prefix && containsIp(c, o.ip);
        },
      },
      {
        signature: 'net.CIDR.containsCIDR(net.CIDR): bool',
        impl: (c: CelCidr, o: CelCidr) => o.prefix >= c.prefix && containsIp(c, o.ip),
      },
      { signature: 'net.CIDR.ip(): net.IP', impl: (c: CelCidr) => c.ip },
      { signature: 'net.CIDR.masked(): net.CIDR', impl: masked },
      { signature: 'net.CIDR.prefixLength(): int', impl: (c: CelCidr) => BigInt(c.prefix) },
    ],
  };
}
