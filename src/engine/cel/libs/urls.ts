/**
 * @module Kubernetes' URL library: `url(s)` (Go `url.ParseRequestURI`: an absolute URL or an
 * absolute path), `isURL`, and the getters getScheme/getHost/getHostname/getPort/getEscapedPath/getQuery.
 */
import { CelEvalError } from '../errors.js';
import type { CelLibrary } from './types.js';

export class CelUrl {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  readonly query: string;
  readonly raw: string;
  constructor(raw: string, scheme: string, host: string, path: string, query: string) {
    this.raw = raw;
    this.scheme = scheme;
    this.host = host;
    this.path = path;
    this.query = query;
  }
  toString(): string {
    return this.raw;
  }
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function parseUrl(s: string): CelUrl | undefined {
  // Go's parser accepts spaces in the path; control characters are rejected.
  if (s === '' || hasControlCharacter(s)) return undefined;
  if (s.startsWith('/')) {
    const q = s.indexOf('?');
    return new CelUrl(s, '', '', q < 0 ? s : s.slice(0, q), q < 0 ? '' : s.slice(q + 1));
  }
  const m = URL_RE.exec(s);
  if (!m) return undefined;
  if (/\s/.test(m[2] ?? '')) return undefined;
  const authority = m[2] ?? '';
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  if (host.startsWith('[') && !/^\[[0-9A-Fa-f:.]+(%[^\]]*)?\](:\d*)?$/.test(host)) return undefined;
  return new CelUrl(s, m[1] ?? '', host, m[3] ?? '', m[4] ?? '');
}

function url(s: string): CelUrl {
  const u = parseUrl(s);
  if (u === undefined)
    throw new CelEvalError(
      `URL parse error during conversion from string: parse "${s}": invalid URI for request`,
    );
  return u;
}

function hostname(u: CelUrl): string {
  const h = u.host;
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function port(u: CelUrl): string {
  const h = u.host;
  const close = h.lastIndexOf(']');
  const colon = h.lastIndexOf(':');
  return colon > close ? h.slice(colon + 1) : '';
}

/** Go's `URL.EscapedPath`: percent-encodes what may not appear in a path, keeping existing escapes. */
function escapePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
}

function query(u: CelUrl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (u.query === '') return out;
  for (const part of u.query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (x: string) => {
      try {
        return decodeURIComponent(x.replace(/\+/g, ' '));
      } catch {
        return x;
      }
    };
    const k = decode(eq < 0 ? part : part.slice(0, eq));
    const v = decode(eq < 0 ? '' : part.slice(eq + 1));
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return out;
}

export function urlsLibrary(): CelLibrary {
  return {
    name: 'urls',
    types: [{ name: 'kubernetes.URL', ctor: CelUrl }],
    operators: [
      { signature: 'kubernetes.URL == kubernetes.URL', impl: (a: CelUrl, b: CelUrl) => a.raw === b.raw },
    ],
    functions: [
      { signature: 'url(string): kubernetes.URL', impl: url },
      { signature: 'isURL(string): bool', impl: (s: string) => parseUrl(s) !== undefined },
      { signature: 'kubernetes.URL.getScheme(): string', impl: (u: CelUrl) => u.scheme },
      { signature: 'kubernetes.URL.getHost(): string', impl: (u: CelUrl) => u.host },
      { signature: 'kubernetes.URL.getHostname(): string', impl: hostname },
      { signature: 'kubernetes.URL.getPort(): string', impl: port },
      { signature: 'kubernetes.URL.getEscapedPath(): string', impl: (u: CelUrl) => escapePath(u.path) },
      { signature: 'kubernetes.URL.getQuery(): map<string, list<string>>', impl: query },
    ],
  };
}
