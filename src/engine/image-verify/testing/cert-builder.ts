/**
 * @module Test support: builds real X.509 certificates (ECDSA P-256 / SHA-256 signed) with the
 * extensions cosign reads — basic constraints, SANs and Fulcio's OIDC issuer — because node:crypto
 * can parse certificates but not issue them. Also signs cosign payloads and DSSE envelopes.
 */
import { Buffer } from 'node:buffer';
import { type KeyObject, sign } from 'node:crypto';
import { pae } from '../intoto.js';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
const set = (...c: Uint8Array[]) => tlv(0x31, ...c);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b: Uint8Array) => tlv(0x04, b);

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? seq(oid(id), tlv(0x01, Buffer.from([0xff])), octets(value)) : seq(oid(id), octets(value));
}

export interface CertificateSpec {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  /** The issuer's private key (ECDSA). */
  readonly signer: KeyObject;
  readonly serial: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca?: boolean;
  readonly emails?: readonly string[];
  readonly uris?: readonly string[];
  /** Fulcio OIDC issuer, as extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String). */
  readonly oidcIssuer?: string;
  /** Fulcio OIDC issuer, as the deprecated extension 1.3.6.1.4.1.57264.1.1 (raw string). */
  readonly oidcIssuerV1?: string;
}

/** A PEM certificate built and signed as described. */
export function buildCertificate(spec: CertificateSpec): string {
  const algorithm = seq(oid('1.2.840.10045.4.3.2'));
  const extensions: Buffer[] = [
    extension('2.5.29.19', true, spec.ca === true ? seq(tlv(0x01, Buffer.from([0xff]))) : seq()),
  ];
  const sans = [
    ...(spec.emails ?? []).map((e) => tlv(0x81, Buffer.from(e, 'latin1'))),
    ...(spec.uris ?? []).map((u) => tlv(0x86, Buffer.from(u, 'latin1'))),
  ];
  if (sans.length > 0) extensions.push(extension('2.5.29.17', false, seq(...sans)));
  if (spec.oidcIssuerV1 !== undefined)
    extensions.push(extension('1.3.6.1.4.1.57264.1.1', false, Buffer.from(spec.oidcIssuerV1, 'utf8')));
  if (spec.oidcIssuer !== undefined)
    extensions.push(extension('1.3.6.1.4.1.57264.1.8', false, utf8(spec.oidcIssuer)));
  const tbs = seq(
    tlv(0xa0, integer(2)),
    integer(spec.serial),
    algorithm,
    name(spec.issuer),
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, spec.signer);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** A cosign simple-signing payload for `reference` at `digest`, with optional annotations. */
export function simpleSigningPayload(
  reference: string,
  digest: string,
  annotations?: Readonly<Record<string, string>>,
): string {
  return JSON.stringify({
    critical: {
      identity: { 'docker-reference': reference },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional: annotations ?? null,
  });
}

/** Signs like cosign: ECDSA/RSA over SHA-256 of the message, Ed25519 over the message; base64. */
export function cosignSign(key: KeyObject, message: Uint8Array | string): string {
  const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return sign(algorithm, data, key).toString('base64');
}

/** A signed DSSE envelope holding an in-toto statement about `digest`. */
export function signedAttestation(
  key: KeyObject,
  digest: string,
  predicateType: string,
  predicate: unknown,
): { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] } {
  const [algorithm, hex] = digest.split(':');
  const statement = {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType,
    subject: [{ name: 'image', digest: { [algorithm ?? 'sha256']: hex } }],
    predicate,
  };
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const payloadType = 'application/vnd.in-toto+json';
  return {
    payloadType,
    payload: payload.toString('base64'),
    signatures: [{ keyid: '', sig: cosignSign(key, pae(payloadType, payload)) }],
  };
}
