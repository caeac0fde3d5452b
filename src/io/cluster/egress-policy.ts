/**
 * @module Where CEL `http.Get/Post` may connect from `palisade serve` (Kyverno's `--httpBlocklist` /
 * `--httpAllowlist`, CVE-2026-4789): a policy author must not make the admission controller fetch
 * cloud metadata or loopback services with its own network position. Two checks, as Kyverno's SDK:
 * before the request, the allowlist (URL prefixes) and blocked host names; at connect time, every
 * address the host resolves to against the blocked ranges, and the connection goes to the address
 * that was checked (no second lookup, so DNS rebinding cannot swap it). Unlike Kyverno's default, an
 * IP written without a prefix is a one-address range, so `::ffff:169.254.169.254` and other spellings
 * of a blocked address are blocked too (Kyverno issue #16419); IPv4-mapped IPv6 addresses are
 * matched against the IPv4 ranges.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Kyverno's default `--httpBlocklist` (pkg/toggle): metadata services and loopback. */
export const DEFAULT_HTTP_BLOCKLIST: readonly string[] = [
  '169.254.169.254',
  '169.254.169.253',
  'metadata.google.internal',
  '127.0.0.0/8',
  '::1/128',
];

export interface EgressPolicy {
  /** Why `url` may not be called before any connection is made, or undefined. */
  refuse(url: URL): string | undefined;
  /** The resolver the request connects with: every address checked, the checked one used. */
  readonly lookup: LookupFunction;
}

export type EgressPolicyResult = { ok: true; policy: EgressPolicy } | { ok: false; error: string };

const normalizeHost = (host: string): string =>
  host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');

const effectivePort = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');

function allowedBy(prefix: URL, u: URL): boolean {
  if (prefix.protocol !== u.protocol) return false;
  if (
    normalizeHost(prefix.hostname) !== normalizeHost(u.hostname) ||
    effectivePort(prefix) !== effectivePort(u)
  )
    return false;
  const path = prefix.pathname;
  if (path === '' || path === '/' || u.pathname === path) return true;
  // A path prefix ends at a segment boundary: /v1 allows /v1/x, not /v10.
  return u.pathname.startsWith(path) && (path.endsWith('/') || u.pathname[path.length] === '/');
}

/** The 16-bit groups of an IPv6 address (with `::` expanded and a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups =
    tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

/**
 * The IPv4 address an IPv6 address carries: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
 * (`::a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`), each of which reaches that IPv4 host.
 */
export function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g === undefined) return undefined;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const carries =
    (zeros(5) && (g[5] === 0xffff || g[5] === 0)) ||
    (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0));
  if (!carries || (zeros(6) && g[6] === 0)) return undefined;
  const [hi = 0, lo = 0] = g.slice(6);
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/**
 * Kyverno's default policy (its blocklist, no allowlist): what every evaluation outside serve's own
 * flags gets (the background controllers, `palisade controller`), so none of them can reach cloud
 * metadata or loopback services by default.
 */
export function defaultEgressPolicy(): EgressPolicy {
  const made = egressPolicy(DEFAULT_HTTP_BLOCKLIST, []);
  if (!made.ok) throw new Error(`the default HTTP blocklist does not parse: ${made.error}`);
  return made.policy;
}

/**
 * `--http-blocklist` and `--http-allowlist` as given (comma-separated; undefined: not given, i.e.
 * Kyverno's default blocklist and no allowlist), for serve and `palisade controller` alike.
 */
export function egressPolicyFromFlags(
  blocklist: string | undefined,
  allowlist: string | undefined,
): EgressPolicyResult {
  const list = (raw: string | undefined): string[] | undefined =>
    raw === undefined ? undefined : raw.split(',').filter((e) => e.trim() !== '');
  return egressPolicy(list(blocklist) ?? DEFAULT_HTTP_BLOCKLIST, list(allowlist) ?? []);
}

/** Parses the lists (CIDRs, IPs and host names; URL prefixes): an invalid entry is an error. */
export function egressPolicy(blocklist: readonly string[], allowlist: readonly string[]): EgressPolicyResult {
  const ranges = new BlockList();
  const describe: string[] = [];
  const hosts = new Set<string>();
  for (const raw of blocklist) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (bits !== undefined || family !== 0) {
      const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
      const max = family === 4 ? 32 : 128;
      if (family === 0 || !/^\d+$/.test(bits ?? String(prefix)) || prefix > max)
        return { ok: false, error: `invalid CIDR "${entry}" in the HTTP blocklist` };
      ranges.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
      describe.push(entry);
    } else hosts.add(normalizeHost(entry));
  }
  const prefixes: URL[] = [];
  for (const raw of allowlist) {
    const entry = raw.trim();
    if (entry === '') continue;
    let u: URL;
    try {
      u = new URL(entry);
    } catch {
      return { ok: false, error: `invalid URL "${entry}" in the HTTP allowlist` };
    }
    if (u.host === '')
      return {
        ok: false,
        error: `allowlist entry "${entry}" must include scheme and host (e.g. https://api.example.com)`,
      };
    prefixes.push(u);
  }

  const blockedAddress = (address: string): boolean => {
    const family = isIP(address);
    if (family === 4) return ranges.check(address, 'ipv4');
    if (family !== 6) return false;
    const v4 = embeddedIpv4(address);
    return ranges.check(address, 'ipv6') || (v4 !== undefined && ranges.check(v4, 'ipv4'));
  };

  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      // A host is refused when any of its addresses is blocked, not only the one picked.
      const blocked = list.find((a) => blockedAddress(a.address));
      if (blocked !== undefined)
        return callback(
          Object.assign(
            new Error(`connection to ${hostname} blocked: it resolves to a blocked address range`),
            {
              code: 'EBLOCKED',
            },
          ),
          '',
          0,
        );
      if (options.all) return callback(null, list as never);
      const first = list[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };

  return {
    ok: true,
    policy: {
      refuse(url) {
        if (prefixes.length > 0 && !prefixes.some((p) => allowedBy(p, url)))
          return `URL "${url.href}" is not permitted: no matching allowlist entry`;
        const host = normalizeHost(url.hostname);
        if (hosts.has(host)) return `URL "${url.href}" is blocked: host name "${host}" is on the blocklist`;
        // An address written in the URL is never looked up: it is checked here.
        if (blockedAddress(host)) return `URL "${url.href}" is blocked: the address is in a blocked range`;
        return undefined;
      },
      lookup,
    },
  };
}
