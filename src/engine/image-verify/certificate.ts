/**
 * @module X.509 helpers for cosign certificate verification: PEM splitting, the Fulcio OIDC issuer
 * (OID 1.3.6.1.4.1.57264.1.8, else the deprecated 1.3.6.1.4.1.57264.1.1), subject alternative names
 * (email, URI, DNS, IP and Fulcio's otherName username), and chain building to trusted roots.
 */
import { Buffer } from 'node:buffer';
import { X509Certificate } from 'node:crypto';
import { children, DerError, type DerNode, decodeUtf8, oidString, readNode } from '../primitives/der.js';
import { formatNetIp } from '../primitives/ip-address.js';

const OID_SAN = '2.5.29.17';
const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
/** Bounds chain building, as cosign bounds user-given intermediates. */
const MAX_CHAIN_DEPTH = 12;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM bundle; a malformed block throws. */
export function parseCertificates(pem: string): X509Certificate[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

interface Extension {
  readonly oid: string;
  readonly value: Uint8Array;
}

/** The extensions of a certificate ([3] in TBSCertificate). */
function extensionsOf(cert: X509Certificate): Extension[] {
  const certificate = readNode(cert.raw);
  const tbs = children(certificate)[0];
  if (tbs === undefined) throw new DerError('no TBSCertificate');
  const wrapper = children(tbs).find((n) => n.tag === 0xa3);
  if (wrapper === undefined) return [];
  const list = children(wrapper)[0];
  if (list === undefined) return [];
  return children(list).map((ext) => {
    const parts = children(ext);
    const oid = parts[0] !== undefined ? oidString(parts[0].content) : '';
    const value = parts[parts.length - 1]?.content ?? new Uint8Array();
    return { oid, value };
  });
}

/** The OIDC issuer Fulcio recorded, or '' when the certificate has none. */
export function fulcioIssuer(cert: X509Certificate): string {
  const exts = extensionsOf(cert);
  const v2 = exts.find((e) => e.oid === OID_FULCIO_ISSUER_V2);
  if (v2 !== undefined) return decodeUtf8(readNode(v2.value).content);
  const v1 = exts.find((e) => e.oid === OID_FULCIO_ISSUER_V1);
  return v1 !== undefined ? decodeUtf8(v1.value) : '';
}

function otherNameValue(node: DerNode): string | undefined {
  // OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } (here a UTF8String)
  const parts = children(node);
  const explicit = parts[1];
  if (explicit === undefined) return undefined;
  const inner = children(explicit)[0];
  return inner === undefined ? undefined : decodeUtf8(inner.content);
}

/** Subject alternative names in certificate order (cosign matches identities against any of them). */
export function subjectAlternativeNames(cert: X509Certificate): string[] {
  const san = extensionsOf(cert).find((e) => e.oid === OID_SAN);
  if (san === undefined) return [];
  const out: string[] = [];
  for (const name of children(readNode(san.value))) {
    switch (name.tag) {
      case 0x81: // rfc822Name
      case 0x82: // dNSName
      case 0x86: // uniformResourceIdentifier
        out.push(Buffer.from(name.content).toString('latin1'));
        break;
      case 0x87:
        out.push(formatNetIp(Array.from(name.content)));
        break;
      case 0xa0: {
        const v = otherNameValue(name);
        if (v !== undefined) out.push(v);
        break;
      }
    }
  }
  return out;
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Whether `leaf` chains to one of `roots` through `intermediates` (signatures and issuer names;
 * intermediates must be CAs). Returns an error message, or undefined when the chain holds.
 */
export function verifyChain(
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
  roots: readonly X509Certificate[],
): string | undefined {
  if (roots.length === 0) return 'no trusted root certificates';
  let current = leaf;
  const used = new Set<X509Certificate>();
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    if (roots.some((r) => r.fingerprint256 === current.fingerprint256 && depth > 0)) return undefined;
    if (roots.some((r) => issuedBy(current, r))) return undefined;
    const next = intermediates.find((i) => !used.has(i) && i.ca && issuedBy(current, i));
    if (next === undefined) break;
    used.add(next);
    current = next;
  }
  return 'certificate does not chain to a trusted root';
}

/** Checks the validity window at `at`; returns an error message or undefined. */
export function checkValidity(cert: X509Certificate, at: Date): string | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const t = at.getTime();
  if (Number.isFinite(from) && t < from) return `certificate is not valid before ${cert.validFrom}`;
  if (Number.isFinite(to) && t > to) return `certificate expired at ${cert.validTo}`;
  return undefined;
}
