/**
 * @module Cosign verification on offline data (Kyverno pkg/image/verifiers/ivpol/cosign, on top of
 * sigstore cosign): key, certificate and keyless attestors; simple-signing signatures (the payload's
 * `critical.image.docker-manifest-digest` must be the image digest) and DSSE in-toto attestations
 * (a subject must carry the digest, the predicate type must match). Checks that need Sigstore's
 * services — Rekor transparency log, certificate transparency SCTs, the TUF-distributed Fulcio
 * roots, KMS keys — raise NetworkRequiredError unless the policy waives them the way Kyverno allows
 * (`ctlog.insecureIgnoreTlog` / `ctlog.insecureIgnoreSCT`, `keyless.roots`).
 */
import { Buffer } from 'node:buffer';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { RE2JS } from 're2js';
import type { Attestation, CosignAttestor, Identity } from './attestor.js';
import { AttestorError } from './attestor.js';
import {
  checkValidity,
  fulcioIssuer,
  parseCertificates,
  subjectAlternativeNames,
  verifyChain,
} from './certificate.js';
import { pae, parseStatement, predicateTypeUri, subjectMatches } from './intoto.js';
import { decodeBase64, publicKeyFromPem, verifySignature } from './signature.js';
import type { OfflineAttestation, OfflineSignature } from './types.js';

/** A check the offline engine cannot perform: the evaluation reports it instead of guessing. */
export class NetworkRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkRequiredError';
  }
}

export type Outcome =
  | { readonly verified: true; readonly predicates: readonly unknown[] }
  | { readonly verified: false; readonly reason: string };

export interface VerifyTarget {
  readonly reference: string;
  /** `algorithm:hex` manifest digest. */
  readonly digest: string;
  /** Evaluation time for certificate expiry (the clock port); skipped when absent. */
  readonly now?: Date;
}

type Signer =
  | { readonly mode: 'key'; readonly key: KeyObject; readonly hash: string }
  | {
      readonly mode: 'keyless';
      readonly roots: readonly X509Certificate[];
      readonly identities: readonly Identity[];
    };

function certificatesOf(pem: string, what: string): X509Certificate[] {
  try {
    return parseCertificates(pem);
  } catch (e) {
    throw new AttestorError(`failed to load ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** cosign's checkOptions, offline: which signer, and which waivers the attestor gives. */
function prepareSigner(att: CosignAttestor): Signer {
  const ignoreTlog = att.ctlog?.insecureIgnoreTlog === true;
  const ignoreSCT = att.ctlog?.insecureIgnoreSCT === true;
  if (att.key?.kms !== undefined && att.key.kms !== '' && (att.key.data ?? '') === '')
    throw new NetworkRequiredError(`loading the KMS key ${att.key.kms} needs network access`);
  if (!ignoreTlog)
    throw new NetworkRequiredError(
      `transparency log (Rekor${att.ctlog?.url ? ` at ${att.ctlog.url}` : ''}) verification needs network access; set ctlog.insecureIgnoreTlog: true to verify offline`,
    );
  if (att.keyless !== undefined) {
    if (!ignoreSCT)
      throw new NetworkRequiredError(
        'certificate transparency (SCT) verification needs the CT log keys from the Sigstore TUF repository (network access); set ctlog.insecureIgnoreSCT: true to verify offline',
      );
    if ((att.keyless.roots ?? '') === '')
      throw new NetworkRequiredError(
        'keyless verification without keyless.roots needs the Fulcio roots from the Sigstore TUF repository (network access)',
      );
    return {
      mode: 'keyless',
      roots: certificatesOf(att.keyless.roots ?? '', 'Root certificates'),
      identities: att.keyless.identities ?? [],
    };
  }
  if (att.key !== undefined) {
    const data = att.key.data ?? '';
    if (data === '') throw new AttestorError('key.data is empty');
    return { mode: 'key', key: publicKeyFromPem(data), hash: att.key.hashAlgorithm ?? '' };
  }
  const certPem = att.certificate?.cert?.value ?? '';
  if (att.certificate !== undefined && certPem !== '') {
    const [cert] = certificatesOf(certPem, 'certificate');
    if (cert === undefined) throw new AttestorError('certificate.cert holds no certificate');
    const chainPem = att.certificate.certChain?.value ?? '';
    if (chainPem !== '') {
      if (!ignoreSCT)
        throw new NetworkRequiredError(
          'certificate transparency (SCT) verification needs the CT log keys from the Sigstore TUF repository (network access); set ctlog.insecureIgnoreSCT: true to verify offline',
        );
      const chain = certificatesOf(chainPem, 'certificate chain');
      // cosign: the chain's last certificate is the root, the others intermediates.
      const error = verifyChain(cert, chain.slice(0, -1), chain.slice(-1));
      if (error !== undefined) throw new AttestorError(`failed to validate certificate chain: ${error}`);
    }
    return { mode: 'key', key: cert.publicKey, hash: '' };
  }
  throw new AttestorError('cosign verifier needs to have one key, keyless or certificate fields set');
}

function regexFinds(pattern: string, s: string): boolean {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    throw new AttestorError(`invalid regular expression '${pattern}': ${e instanceof Error ? e.message : e}`);
  }
  return re.matcher(s).find();
}

/** cosign CheckCertificatePolicy: some identity matches the issuer and one of the SANs. */
function identityError(cert: X509Certificate, identities: readonly Identity[]): string | undefined {
  if (identities.length === 0) return undefined;
  const issuer = fulcioIssuer(cert);
  const sans = subjectAlternativeNames(cert);
  for (const id of identities) {
    const issuerOk =
      id.issuer !== undefined && id.issuer !== ''
        ? id.issuer === issuer
        : id.issuerRegExp !== undefined && id.issuerRegExp !== ''
          ? regexFinds(id.issuerRegExp, issuer)
          : true;
    const subjectOk =
      id.subject !== undefined && id.subject !== ''
        ? sans.includes(id.subject)
        : id.subjectRegExp !== undefined && id.subjectRegExp !== ''
          ? sans.some((s) => regexFinds(id.subjectRegExp ?? '', s))
          : true;
    if (issuerOk && subjectOk) return undefined;
  }
  return `none of the expected identities matched what was in the certificate, got subjects [${sans.join(', ')}] with issuer ${issuer}`;
}

/** The public key that must have signed, or why the signing certificate is not acceptable. */
function signingKey(
  signer: Signer,
  certificate: string | undefined,
  chain: string | undefined,
  target: VerifyTarget,
): KeyObject | string {
  if (signer.mode === 'key') return signer.key;
  if (certificate === undefined || certificate === '') return 'signature has no signing certificate';
  const [cert] = parseCertificates(certificate);
  if (cert === undefined) return 'signing certificate is not a PEM certificate';
  const chainError = verifyChain(cert, parseCertificates(chain ?? ''), signer.roots);
  if (chainError !== undefined) return chainError;
  // Without a transparency log entry the certificate must be valid now (cosign CheckExpiry).
  if (target.now !== undefined) {
    const validity = checkValidity(cert, target.now);
    if (validity !== undefined) return validity;
  }
  return identityError(cert, signer.identities) ?? cert.publicKey;
}

function annotationsError(
  optional: unknown,
  annotations: Readonly<Record<string, string>> | undefined,
): string | undefined {
  for (const [k, v] of Object.entries(annotations ?? {})) {
    const have = (optional as Record<string, unknown> | null | undefined)?.[k];
    if (have !== v)
      return `annotation ${k}: expected ${v}, got ${have === undefined ? 'nothing' : String(have)}`;
  }
  return undefined;
}

function checkSignature(
  signer: Signer,
  att: CosignAttestor,
  sig: OfflineSignature,
  target: VerifyTarget,
): string | undefined {
  const key = signingKey(signer, sig.certificate, sig.chain, target);
  if (typeof key === 'string') return key;
  const hash = signer.mode === 'key' ? signer.hash : '';
  if (!verifySignature(key, Buffer.from(sig.payload, 'utf8'), sig.signature, hash))
    return 'invalid signature';
  let payload: { critical?: { image?: Record<string, unknown> }; optional?: unknown };
  try {
    payload = JSON.parse(sig.payload);
  } catch {
    return 'signature payload is not JSON';
  }
  const signed = payload?.critical?.image?.['docker-manifest-digest'];
  if (signed !== target.digest)
    return `signature payload digest ${String(signed)} does not match the image digest ${target.digest}`;
  return annotationsError(payload.optional, att.annotations);
}

/** Verifies an image signature with one cosign attestor (cosign verify). */
export function verifyCosignSignature(
  att: CosignAttestor,
  signatures: readonly OfflineSignature[],
  target: VerifyTarget,
): Outcome {
  const signer = prepareSigner(att);
  if (signatures.length === 0) return { verified: false, reason: 'no signatures found' };
  const reasons: string[] = [];
  for (const sig of signatures) {
    const reason = checkSignature(signer, att, sig, target);
    if (reason === undefined) return { verified: true, predicates: [] };
    reasons.push(reason);
  }
  return { verified: false, reason: `no matching signatures: ${reasons.join('; ')}` };
}

/** Verifies the attestations of one predicate type with one cosign attestor (cosign verify-attestation). */
export function verifyCosignAttestation(
  att: CosignAttestor,
  attestation: Attestation,
  envelopes: readonly OfflineAttestation[],
  target: VerifyTarget,
): Outcome {
  if (attestation.intoto === undefined)
    throw new AttestorError('cosign verifier only supports intoto referrers as attestations');
  const signer = prepareSigner(att);
  const wanted = predicateTypeUri(attestation.intoto.type);
  const predicates: unknown[] = [];
  const reasons: string[] = [];
  const foundTypes: string[] = [];
  for (const env of envelopes) {
    const payload = decodeBase64(env.payload);
    if (payload === undefined) {
      reasons.push('attestation payload is not base64');
      continue;
    }
    const key = signingKey(signer, env.certificate, env.chain, target);
    if (typeof key === 'string') {
      reasons.push(key);
      continue;
    }
    const message = pae(env.payloadType, payload);
    if (
      !env.signatures.some((s) =>
        verifySignature(key, message, s.sig, signer.mode === 'key' ? signer.hash : ''),
      )
    ) {
      reasons.push('invalid attestation signature');
      continue;
    }
    const statement = parseStatement(payload);
    if (statement === undefined) {
      reasons.push('attestation payload is not an in-toto statement');
      continue;
    }
    if (!subjectMatches(statement, target.digest)) {
      reasons.push(`no attestation subject matches the image digest ${target.digest}`);
      continue;
    }
    foundTypes.push(statement.predicateType);
    if (statement.predicateType !== wanted) continue;
    predicates.push(statement.predicate);
  }
  if (predicates.length > 0) return { verified: true, predicates };
  if (foundTypes.length > 0 || reasons.length === 0)
    return {
      verified: false,
      reason: `required predicate type ${wanted} not found, found [${foundTypes.join(', ')}]`,
    };
  return { verified: false, reason: `no matching attestations: ${reasons.join('; ')}` };
}
