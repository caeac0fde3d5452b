/**
 * @module Palisade's extension of Context file images (`spec.images[]`): `signatures` (cosign
 * simple-signing payload + base64 signature, optional `certificate`/`chain` PEM) and `attestations`
 * (DSSE envelopes as `cosign download attestation` prints them, optional `certificate`/`chain`),
 * read into the engine's ImageVerificationData. Lookups accept the exact `image` string, else the
 * same reference after normalisation (`nginx` ≡ `docker.io/nginx:latest`).
 */
import { Buffer } from 'node:buffer';
import {
  type ImageVerificationAnswer,
  type OfflineAttestation,
  type OfflineSignature,
  parseImageReference,
} from '../../engine/index.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const str = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' ? (o[k] as string) : undefined;

function pemFields(o: Record<string, unknown>): { certificate?: string; chain?: string } {
  const certificate = str(o, 'certificate');
  const chain = str(o, 'chain');
  return { ...(certificate !== undefined ? { certificate } : {}), ...(chain !== undefined ? { chain } : {}) };
}

function signatureOf(v: unknown): OfflineSignature | string {
  if (!isObject(v)) return 'a signature must be an object';
  const base64 = str(v, 'payloadBase64');
  const payload = base64 !== undefined ? Buffer.from(base64, 'base64').toString('utf8') : str(v, 'payload');
  const signature = str(v, 'signature');
  if (payload === undefined || signature === undefined)
    return 'a signature needs payload (or payloadBase64) and signature';
  return { payload, signature, ...pemFields(v) };
}

function attestationOf(v: unknown): OfflineAttestation | string {
  if (!isObject(v)) return 'an attestation must be an object';
  const env = isObject(v.envelope) ? v.envelope : v;
  const payload = str(env, 'payload');
  const sigs = Array.isArray(env.signatures) ? env.signatures : [];
  if (payload === undefined || sigs.length === 0)
    return 'an attestation needs a DSSE payload (base64) and signatures[].sig';
  return {
    payloadType: str(env, 'payloadType') ?? 'application/vnd.in-toto+json',
    payload,
    signatures: sigs.filter(isObject).flatMap((s) => (typeof s.sig === 'string' ? [{ sig: s.sig }] : [])),
    ...pemFields(v),
  };
}

/** The signature material of one Context image entry, and what in it is malformed. */
export function imageVerificationDataOf(entry: Readonly<Record<string, unknown>>): {
  answer: ImageVerificationAnswer;
  problems: string[];
} {
  const problems: string[] = [];
  const signatures: OfflineSignature[] = [];
  const attestations: OfflineAttestation[] = [];
  for (const s of Array.isArray(entry.signatures) ? entry.signatures : []) {
    const r = signatureOf(s);
    if (typeof r === 'string') problems.push(r);
    else signatures.push(r);
  }
  for (const a of Array.isArray(entry.attestations) ? entry.attestations : []) {
    const r = attestationOf(a);
    if (typeof r === 'string') problems.push(r);
    else attestations.push(r);
  }
  const digest = typeof entry.digest === 'string' && entry.digest !== '' ? entry.digest : undefined;
  return {
    answer: { ok: true, data: { ...(digest !== undefined ? { digest } : {}), signatures, attestations } },
    problems,
  };
}

/** A reference's normalised form, for matching Context entries written differently. */
export function normalizedReference(ref: string): string {
  return parseImageReference(ref)?.reference ?? ref;
}
