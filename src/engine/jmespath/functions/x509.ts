/**
 * @module x509_decode: a PEM CERTIFICATE or CERTIFICATE REQUEST (RSA keys only) as the JSON form of
 * Go's `x509.Certificate` / `x509.CertificateRequest`, `PublicKey` being `{N: "<decimal>", E}`.
 * Decoded: raw parts, version, serial, names, validity, key usage, basic constraints, key ids,
 * SANs, extended key usage, extensions. Left null: CRL/OCSP/issuer URLs, policies, name constraints.
 */
import { Buffer } from 'node:buffer';
import {
  children,
  DerError,
  type DerNode,
  decodeInteger,
  decodeOid,
  decodeUnsigned,
  readNode,
} from '../../primitives/der.js';
import { daysFromCivil, formatRFC3339 } from '../../primitives/go-time.js';
import { formatNetIp } from '../../primitives/ip-address.js';
import { fail } from './function-errors.js';
import type { FunctionEntry } from './types.js';

const NAME = 'x509_decode';
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const oidString = (node: DerNode): string => decodeOid(node.content).join('.');
const text = (node: DerNode): string =>
  Buffer.from(node.content).toString(node.tag === 0x1e ? 'utf16le' : 'utf8');

class X509Error extends Error {}

function child(nodes: readonly DerNode[], i: number): DerNode {
  const n = nodes[i];
  if (!n) throw new X509Error('x509: malformed certificate');
  return n;
}

const SIGNATURE_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.2.840.113549.1.1.10': 13,
  '1.3.101.112': 16,
};

const EXT_KEY_USAGES: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
};

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country',
  '2.5.4.10': 'Organization',
  '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province',
  '2.5.4.9': 'StreetAddress',
  '2.5.4.17': 'PostalCode',
};

/** pkix.Name as Go marshals it. */
function decodeName(node: DerNode): Record<string, unknown> {
  const out: Record<string, unknown> = {
    CommonName: '',
    Country: null,
    ExtraNames: null,
    Locality: null,
    Names: [],
    Organization: null,
    OrganizationalUnit: null,
    PostalCode: null,
    Province: null,
    SerialNumber: '',
    StreetAddress: null,
  };
  const names: unknown[] = [];
  for (const rdn of children(node)) {
    for (const atv of children(rdn)) {
      const [typeNode, valueNode] = children(atv);
      if (!typeNode || !valueNode) throw new X509Error('x509: invalid RDNSequence');
      const oid = oidString(typeNode);
      const value = text(valueNode);
      names.push({ Type: decodeOid(typeNode.content), Value: value });
      const field = NAME_FIELDS[oid];
      if (oid === '2.5.4.3') out.CommonName = value;
      else if (oid === '2.5.4.5') out.SerialNumber = value;
      else if (field) out[field] = [...((out[field] as string[] | null) ?? []), value];
    }
  }
  out.Names = names;
  return out;
}

function decodeTime(node: DerNode): string {
  const s = Buffer.from(node.content).toString('latin1');
  const m =
    node.tag === 0x17
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) throw new X509Error('x509: malformed validity');
  const [, y = '', mo = '', d = '', h = '', mi = '', se = ''] = m;
  let year = Number(y);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const sec =
    daysFromCivil(year, Number(mo), Number(d)) * 86400 + Number(h) * 3600 + Number(mi) * 60 + Number(se);
  return formatRFC3339({ sec, nsec: 0, offset: 0 });
}

/** Checks the key is RSA and returns `{N, E}` plus the algorithm number Go reports (RSA = 1). */
function decodeRsaKey(spki: DerNode): { N: string; E: number } {
  const [algo, bits] = children(spki);
  const algoOid = algo ? children(algo)[0] : undefined;
  if (!algoOid || oidString(algoOid) !== '1.2.840.113549.1.1.1' || !bits) {
    throw new X509Error('certificate should use rsa algorithm');
  }
  try {
    const key = readNode(bits.content.subarray(1));
    const [n, e] = children(key);
    if (!n || !e) throw new DerError('bad key');
    return { N: decodeUnsigned(n.content).toString(), E: Number(decodeInteger(e.content)) };
  } catch {
    throw new X509Error('failed to parse subject public key info');
  }
}

interface Decoded {
  extensions: Array<{ Critical: boolean; Id: number[]; Value: string }>;
  fields: Record<string, unknown>;
}

function decodeGeneralNames(value: DerNode, fields: Record<string, unknown>): void {
  const push = (key: string, v: string): void => {
    fields[key] = [...((fields[key] as string[] | null) ?? []), v];
  };
  for (const gn of children(value)) {
    const kind = gn.tag & 0x1f;
    if (kind === 1) push('EmailAddresses', text(gn));
    else if (kind === 2) push('DNSNames', text(gn));
    else if (kind === 6) push('URIs', text(gn));
    else if (kind === 7) {
      push('IPAddresses', formatNetIp(Array.from(gn.content)));
    }
  }
}

/** Decodes the extensions list into Go's typed certificate fields. */
function decodeExtensions(list: DerNode | undefined, forCertificate: boolean): Decoded {
  const fields: Record<string, unknown> = {};
  const extensions: Decoded['extensions'] = [];
  for (const ext of list ? children(list) : []) {
    const parts = children(ext);
    const id = child(parts, 0);
    const critical = parts.length === 3 && parts[1]?.tag === 0x01 && parts[1].content[0] !== 0;
    const valueNode = child(parts, parts.length - 1);
    const oid = oidString(id);
    extensions.push({ Critical: critical, Id: decodeOid(id.content), Value: b64(valueNode.content) });
    const value = readNode(valueNode.content);
    if (oid === '2.5.29.17') decodeGeneralNames(value, fields);
    if (!forCertificate) continue;
    if (oid === '2.5.29.15') {
      const unused = value.content[0] ?? 0;
      const bytes = value.content.subarray(1);
      let usage = 0;
      for (let i = 0; i < bytes.length * 8 - unused; i++) {
        if (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) usage |= 1 << i;
      }
      fields.KeyUsage = usage;
    } else if (oid === '2.5.29.19') {
      const items = children(value);
      let i = 0;
      fields.IsCA = false;
      if (items[0]?.tag === 0x01) {
        fields.IsCA = items[0].content[0] !== 0;
        i = 1;
      }
      const pathLen =
        items[i]?.tag === 0x02 ? Number(decodeInteger(items[i]?.content ?? new Uint8Array())) : -1;
      fields.BasicConstraintsValid = true;
      fields.MaxPathLen = pathLen;
      fields.MaxPathLenZero = pathLen === 0;
    } else if (oid === '2.5.29.14') {
      fields.SubjectKeyId = b64(value.content);
    } else if (oid === '2.5.29.35') {
      const keyId = children(value).find((n) => n.tag === 0x80);
      if (keyId) fields.AuthorityKeyId = b64(keyId.content);
    } else if (oid === '2.5.29.37') {
      for (const usage of children(value)) {
        const known = EXT_KEY_USAGES[oidString(usage)];
        const key = known === undefined ? 'UnknownExtKeyUsage' : 'ExtKeyUsage';
        const entry = known === undefined ? decodeOid(usage.content) : known;
        fields[key] = [...((fields[key] as unknown[] | null) ?? []), entry];
      }
    }
  }
  return { extensions, fields };
}

function signatureFields(outer: readonly DerNode[]): Record<string, unknown> {
  const algo = children(child(outer, 1))[0];
  const sig = child(outer, 2);
  return {
    Signature: b64(sig.content.subarray(1)),
    SignatureAlgorithm: algo ? (SIGNATURE_ALGORITHMS[oidString(algo)] ?? 0) : 0,
  };
}

function decodeCertificate(der: Uint8Array): Record<string, unknown> {
  const cert = readNode(der);
  const outer = children(cert);
  const tbs = child(outer, 0);
  const t = children(tbs);
  let i = 0;
  let version = 1;
  if (t[0]?.tag === 0xa0) {
    version = Number(decodeInteger(children(child(t, 0))[0]?.content ?? new Uint8Array())) + 1;
    i = 1;
  }
  const serial = child(t, i);
  const issuer = child(t, i + 2);
  const [notBefore, notAfter] = children(child(t, i + 3));
  const subject = child(t, i + 4);
  const spki = child(t, i + 5);
  const extList = t.slice(i + 6).find((n) => n.tag === 0xa3);
  const publicKey = decodeRsaKey(spki);
  const { extensions, fields } = decodeExtensions(extList ? children(extList)[0] : undefined, true);
  return {
    AuthorityKeyId: null,
    BasicConstraintsValid: false,
    CRLDistributionPoints: null,
    DNSNames: null,
    EmailAddresses: null,
    ExcludedDNSDomains: null,
    ExcludedEmailAddresses: null,
    ExcludedIPRanges: null,
    ExcludedURIDomains: null,
    ExtKeyUsage: null,
    Extensions: extensions.length > 0 ? extensions : null,
    ExtraExtensions: null,
    IPAddresses: null,
    IsCA: false,
    Issuer: decodeName(issuer),
    IssuingCertificateURL: null,
    KeyUsage: 0,
    MaxPathLen: 0,
    MaxPathLenZero: false,
    NotAfter: notAfter ? decodeTime(notAfter) : null,
    NotBefore: notBefore ? decodeTime(notBefore) : null,
    OCSPServer: null,
    PermittedDNSDomains: null,
    PermittedDNSDomainsCritical: false,
    PermittedEmailAddresses: null,
    PermittedIPRanges: null,
    PermittedURIDomains: null,
    PolicyIdentifiers: null,
    PublicKey: publicKey,
    PublicKeyAlgorithm: 1,
    Raw: b64(cert.raw),
    RawIssuer: b64(issuer.raw),
    RawSubject: b64(subject.raw),
    RawSubjectPublicKeyInfo: b64(spki.raw),
    RawTBSCertificate: b64(tbs.raw),
    SerialNumber: Number(decodeInteger(serial.content)),
    Subject: decodeName(subject),
    SubjectKeyId: null,
    URIs: null,
    UnhandledCriticalExtensions: null,
    UnknownExtKeyUsage: null,
    Version: version,
    ...signatureFields(outer),
    ...fields,
  };
}

function decodeRequest(der: Uint8Array): Record<string, unknown> {
  const csr = readNode(der);
  const outer = children(csr);
  const info = child(outer, 0);
  const parts = children(info);
  const subject = child(parts, 1);
  const spki = child(parts, 2);
  const publicKey = decodeRsaKey(spki);
  let extList: DerNode | undefined;
  const attrs = parts.find((n) => n.tag === 0xa0);
  for (const attr of attrs ? children(attrs) : []) {
    const [type, values] = children(attr);
    if (type && values && oidString(type) === '1.2.840.113549.1.9.14') extList = children(values)[0];
  }
  const { extensions, fields } = decodeExtensions(extList, false);
  return {
    Attributes: null,
    DNSNames: null,
    EmailAddresses: null,
    Extensions: extensions.length > 0 ? extensions : null,
    ExtraExtensions: null,
    IPAddresses: null,
    PublicKey: publicKey,
    PublicKeyAlgorithm: 1,
    Raw: b64(csr.raw),
    RawSubject: b64(subject.raw),
    RawSubjectPublicKeyInfo: b64(spki.raw),
    RawTBSCertificateRequest: b64(info.raw),
    Subject: decodeName(subject),
    URIs: null,
    Version: Number(decodeInteger(child(parts, 0).content)),
    ...signatureFields(outer),
    ...fields,
  };
}

/** Go `pem.Decode`: the first BEGIN/END block, body base64 with whitespace ignored. */
function decodePem(input: string): { type: string; der: Uint8Array } | undefined {
  const m = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(input);
  if (!m) return undefined;
  const body = (m[2] ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return undefined;
  return { type: m[1] ?? '', der: new Uint8Array(Buffer.from(body, 'base64')) };
}

export function x509Decode(input: string): Record<string, unknown> {
  const block = decodePem(input);
  if (!block) return fail(NAME, 'failed to decode PEM block');
  if (block.type !== 'CERTIFICATE' && block.type !== 'CERTIFICATE REQUEST') {
    return fail(NAME, 'PEM block neither contains a CERTIFICATE or CERTIFICATE REQUEST');
  }
  try {
    return block.type === 'CERTIFICATE' ? decodeCertificate(block.der) : decodeRequest(block.der);
  } catch (e) {
    if (e instanceof X509Error) return fail(NAME, e.message);
    if (e instanceof DerError) return fail(NAME, `x509: malformed certificate: ${e.message}`);
    throw e;
  }
}

export const x509Functions: readonly FunctionEntry[] = [
  {
    name: 'x509_decode',
    args: [{ types: ['string'] }],
    returns: ['object'],
    note: 'decodes an x.509 certificate to an object. you may also use this in conjunction with `base64_decode` jmespath function to decode a base64-encoded certificate',
    impl: ([pem]) => x509Decode(pem as string),
  },
];
