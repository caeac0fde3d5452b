/**
 * @module in-toto attestations as cosign stores them: a DSSE envelope whose signatures cover the
 * pre-authentication encoding (PAE) of the statement, a statement whose `subject` digests name the
 * image, and cosign's short predicate type names.
 */
import { Buffer } from 'node:buffer';

/** cosign's `--type` short names → predicate type URIs (cosign options/predicate.go). */
const PREDICATE_ALIASES: Readonly<Record<string, string>> = {
  custom: 'https://cosign.sigstore.dev/attestation/v1',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
};

export function predicateTypeUri(type: string): string {
  return PREDICATE_ALIASES[type] ?? type;
}

/** DSSE v1 pre-authentication encoding: what an envelope signature signs. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

export interface Statement {
  readonly predicateType: string;
  readonly subject: readonly { readonly name?: string; readonly digest?: Record<string, unknown> }[];
  readonly predicate: unknown;
}

/** Parses an in-toto statement; undefined when the payload is not one. */
export function parseStatement(payload: Uint8Array): Statement | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.predicateType !== 'string') return undefined;
  return {
    predicateType: o.predicateType,
    subject: Array.isArray(o.subject) ? (o.subject as Statement['subject']) : [],
    predicate: o.predicate ?? null,
  };
}

/** cosign's IntotoSubjectClaimVerifier: some subject carries the image digest. */
export function subjectMatches(statement: Statement, digest: string): boolean {
  const [algorithm, hex] = digest.split(':');
  if (algorithm === undefined || hex === undefined) return false;
  return statement.subject.some((s) => s.digest?.[algorithm] === hex);
}
