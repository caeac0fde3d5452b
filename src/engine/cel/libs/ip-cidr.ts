/**
 * @module Kubernetes' IP and CIDR libraries: `ip(s)`, `isIP`, `ip.isCanonical`, `cidr(s)`,
 * `isCIDR`, family/loopback/unicast tests, `containsIP`, `containsCIDR`, `masked`, `prefixLength`.
 * Parsing follows Go's netip as Kubernetes uses it: no zones, no IPv4-mapped IPv6, no leading zeros.
 */
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
    return formatIp(this.bytes);
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

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parseV6(s: string): number[] | undefined {
  if (s.includes('%')) return undefined;
  const dbl = s.split('::');
  if (dbl.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i] ?? '';
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(dbl[0] ?? '');
  const tail = dbl.length === 2 ? groups(dbl[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  let all: number[];
  if (dbl.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else all = head;
  if (all.length !== 8) return undefined;
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function parseIpBytes(s: string): number[] | undefined {
  if (s.includes(':')) {
    const b = parseV6(s);
    // IPv4-mapped IPv6 addresses are rejected by Kubernetes.
    if (b?.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return undefined;
    return b;
  }
  return parseV4(s);
}

function formatIp(b: readonly number[]): string {
  if (b.length === 4) return b.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
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
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const b = parseIpBytes(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (b === undefined || !/^(0|[1-9]\d*)$/.test(p) || Number(p) > b.length * 8) return undefined;
  return new CelCidr(new CelIp(b), Number(p));
}

function cidr(s: string): CelCidr {
  const c = parseCidr(s);
  if (c === undefined)
    throw new CelEvalError(
      `network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("${s}"): bad prefix`,
    );
  return c;
}

function masked(c: CelCidr): CelCidr {
  const bytes = c.ip.bytes.map((x, i) => {
    const bits = Math.max(0, Math.min(8, c.prefix - i * 8));
    return x & ((0xff << (8 - bits)) & 0xff);
  });
  return new CelCidr(new CelIp(bytes), c.prefix);
}

function containsIp(c: CelCidr, addr: CelIp): boolean {
  if (addr.family !== c.ip.family) return false;
  const m = masked(c).ip.bytes;
  return masked(new CelCidr(addr, c.prefix)).ip.bytes.every((x, i) => x === m[i]);
}

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
