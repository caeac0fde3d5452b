/**
 * @module is_external_url. Kyverno resolves host names through DNS; the engine cannot, so IP literals
 * are classified exactly like Go (`!(IsLoopback || IsPrivate)`), `localhost` and in-cluster service
 * names (`*.svc`, `*.cluster.local`) count as internal, and every other host name as external.
 */
import { isIPv4Mapped, parseIPv4, parseIPv6 } from '../../primitives/ip-address.js';
import { fail } from './function-errors.js';
import type { FunctionEntry } from './types.js';

const NAME = 'is_external_url';

function isInternalIP(host: string): boolean | undefined {
  let v4 = parseIPv4(host);
  if (!v4) {
    const v6 = parseIPv6(host);
    if (!v6) return undefined;
    if (!isIPv4Mapped(v6)) {
      const loopback = v6.slice(0, 15).every((b) => b === 0) && v6[15] === 1;
      return loopback || ((v6[0] ?? 0) & 0xfe) === 0xfc;
    }
    v4 = v6.slice(12);
  }
  const [a = 0, b = 0] = v4;
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The host of a URL the way Go's `url.Parse(...).Hostname()` finds it; "" when there is none. */
export function urlHostname(raw: string): string {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(raw);
  const rest = scheme ? raw.slice(scheme[0].length) : raw;
  if (!rest.startsWith('//')) return '';
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? '';
  const hostport = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) fail(NAME, `parse ${JSON.stringify(raw)}: missing ']' in host`);
    return hostport.slice(1, end);
  }
  const colon = hostport.lastIndexOf(':');
  return colon >= 0 ? hostport.slice(0, colon) : hostport;
}

export function isExternalUrl(raw: string): boolean {
  const host = urlHostname(raw);
  if (host === '') return fail(NAME, `lookup ${JSON.stringify(host)}: no such host`);
  const internal = isInternalIP(host);
  if (internal !== undefined) return !internal;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return false;
  if (name.endsWith('.svc') || name.endsWith('.cluster.local')) return false;
  return true;
}

export const networkFunctions: readonly FunctionEntry[] = [
  {
    name: 'is_external_url',
    args: [{ types: ['string'] }],
    returns: ['boolean'],
    note: 'returns true if the URL is external (host names other than localhost and in-cluster services are assumed external; no DNS)',
    impl: ([url]) => isExternalUrl(url as string),
  },
];
