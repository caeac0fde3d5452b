/**
 * @module Attestor sets of a verifyImages entry (Kyverno pkg/engine/internal/imageverifier.go
 * verifyAttestorSet / buildCosignVerifier), verified offline with the shared cosign code
 * (src/engine/image-verify): each kyverno.io/v1 attestor (keys, certificates, keyless) becomes a cosign
 * attestor, a set needs `count` entries (all when unset) to verify, nested sets recurse, and a
 * `publicKeys` holding several PEM keys counts as one entry per key. The signature material comes
 * from the `imageData` port; when it cannot be had (no port, image unknown, Rekor, KMS, TUF) the
 * failure is a `NetworkRequiredError`, which the rule reports as Kyverno reports registry errors.
 */
import type { Attestation, CosignAttestor } from '../../../image-verify/attestor.js';
import {
  NetworkRequiredError,
  type Outcome,
  verifyCosignAttestation,
  verifyCosignSignature,
} from '../../../image-verify/cosign.js';
import type { ImageVerificationData } from '../../../image-verify/types.js';
import type { Ports } from '../../../ports.js';
import type { ImageInfo } from '../../../units/image-reference.js';
import type {
  ImageVerification,
  LegacyAttestor,
  LegacyAttestorSet,
  LegacyCtlog,
  LegacyRekor,
} from './image-verification.js';

/** A failed check, with whether a registry or another network service was what was missing. */
export interface EntryFailure {
  readonly message: string;
  readonly network: boolean;
}

export type SetOutcome =
  | { readonly ok: true; readonly digest: string }
  | { readonly ok: false; readonly failures: readonly EntryFailure[] };

/** What a registry would answer for one image, or why it cannot be had offline. */
export type ImageMaterial =
  | { readonly ok: true; readonly data: ImageVerificationData; readonly digest: string }
  | { readonly ok: false; readonly error: string };

/** The signatures, attestations and digest of `image` from the `imageData` port. */
export function imageMaterial(ports: Ports | undefined, info: ImageInfo): ImageMaterial {
  const image = info.reference;
  const reader = ports?.imageData;
  if (reader?.verification === undefined)
    return {
      ok: false,
      error: `fetching the signatures of ${image} needs registry access; give them in a Context file (spec.images)`,
    };
  const answer = reader.verification(image);
  if (!answer.ok) return { ok: false, error: `failed to get imagedata: ${answer.error}` };
  const digest = info.digest !== '' ? info.digest : (answer.data.digest ?? '');
  if (digest === '')
    return {
      ok: false,
      error: `resolving the digest of ${image} needs registry access; set its digest in the Context file`,
    };
  return { ok: true, data: answer.data, digest };
}

function waivers(
  rekor: LegacyRekor | undefined,
  ctlog: LegacyCtlog | undefined,
): NonNullable<CosignAttestor['ctlog']> {
  // No rekor block means the public Rekor instance, which needs the network.
  return {
    ...(rekor?.url !== undefined && rekor.url !== '' ? { url: rekor.url } : {}),
    insecureIgnoreTlog: rekor?.ignoreTlog === true,
    insecureIgnoreSCT: ctlog?.ignoreSCT === true,
  };
}

/** Kyverno buildCosignVerifier: the cosign attestor and the sub-path naming it in messages. */
export function toCosignAttestor(a: LegacyAttestor): { attestor: CosignAttestor; subPath: string } {
  const annotations = a.annotations !== undefined ? { annotations: a.annotations } : {};
  if (a.keys !== undefined) {
    const k = a.keys;
    if ((k.publicKeys ?? '') === '' && k.secret !== undefined)
      throw new NetworkRequiredError(
        `reading the key from Secret ${k.secret.namespace ?? ''}/${k.secret.name ?? ''} needs cluster access`,
      );
    const key = {
      ...(k.publicKeys !== undefined && k.publicKeys !== '' ? { data: k.publicKeys } : {}),
      ...(k.kms !== undefined && k.kms !== '' ? { kms: k.kms } : {}),
      ...(k.signatureAlgorithm !== undefined ? { hashAlgorithm: k.signatureAlgorithm } : {}),
    };
    return { attestor: { key, ctlog: waivers(k.rekor, k.ctlog), ...annotations }, subPath: '.keys' };
  }
  if (a.certificates !== undefined) {
    const c = a.certificates;
    const certificate = {
      ...(c.cert !== undefined ? { cert: { value: c.cert } } : {}),
      ...(c.certChain !== undefined ? { certChain: { value: c.certChain } } : {}),
    };
    return {
      attestor: { certificate, ctlog: waivers(c.rekor, c.ctlog), ...annotations },
      subPath: '.certificates',
    };
  }
  if (a.keyless !== undefined) {
    const k = a.keyless;
    const identity = {
      ...(k.issuer !== undefined ? { issuer: k.issuer } : {}),
      ...(k.issuerRegExp !== undefined ? { issuerRegExp: k.issuerRegExp } : {}),
      ...(k.subject !== undefined ? { subject: k.subject } : {}),
      ...(k.subjectRegExp !== undefined ? { subjectRegExp: k.subjectRegExp } : {}),
    };
    const keyless = {
      identities: Object.keys(identity).length > 0 ? [identity] : [],
      ...(k.roots !== undefined ? { roots: k.roots } : {}),
    };
    return { attestor: { keyless, ctlog: waivers(k.rekor, k.ctlog), ...annotations }, subPath: '.keyless' };
  }
  // An empty attestor (attestations without attestors): keyless against the public Sigstore roots.
  return { attestor: { keyless: {}, ctlog: waivers(undefined, undefined), ...annotations }, subPath: '' };
}

const PEM_KEY = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/** Kyverno ExpandStaticKeys: a `publicKeys` with several PEM keys is one entry per key. */
function expandStaticKeys(set: LegacyAttestorSet): LegacyAttestor[] {
  const out: LegacyAttestor[] = [];
  for (const e of set.entries ?? []) {
    const keys = e.keys?.publicKeys?.match(PEM_KEY) ?? [];
    if (e.keys !== undefined && keys.length > 1) {
      for (const k of keys) out.push({ ...e, keys: { ...e.keys, publicKeys: k } });
    } else out.push(e);
  }
  return out;
}

function requiredCount(set: LegacyAttestorSet, entries: number): number {
  return set.count === undefined || set.count === 0 ? entries : set.count;
}

function failureOf(prefix: string, e: unknown): EntryFailure {
  const message = e instanceof Error ? e.message : String(e);
  return { message: `${prefix}: ${message}`, network: e instanceof NetworkRequiredError };
}

/** Runs one cosign check with the attestor; turns thrown errors into failures. */
function check(
  entry: LegacyAttestor,
  path: string,
  run: (attestor: CosignAttestor) => Outcome,
): { verified: true; predicates: readonly unknown[] } | { verified: false; failure: EntryFailure } {
  let subPath = '';
  try {
    const built = toCosignAttestor(entry);
    subPath = built.subPath;
    const outcome = run(built.attestor);
    if (outcome.verified) return outcome;
    return { verified: false, failure: { message: `${path}${subPath}: ${outcome.reason}`, network: false } };
  } catch (e) {
    return { verified: false, failure: failureOf(`${path}${subPath}`, e) };
  }
}

/** Kyverno verifyAttestorSet: enough entries of the set verify the image signature. */
function verifySet(
  set: LegacyAttestorSet,
  info: ImageInfo,
  material: ImageMaterial,
  path: string,
  now: Date | undefined,
): SetOutcome {
  const entries = expandStaticKeys(set);
  const required = requiredCount(set, entries.length);
  const failures: EntryFailure[] = [];
  let verified = 0;
  let digest = '';
  for (const [i, entry] of entries.entries()) {
    const entryPath = `${path}.entries[${i}]`;
    if (entry.attestor !== undefined) {
      const nested = verifySet(entry.attestor, info, material, `${entryPath}.attestor`, now);
      if (nested.ok) {
        digest = nested.digest;
        if (++verified >= required) return { ok: true, digest };
      } else failures.push(...nested.failures);
      continue;
    }
    if (!material.ok) {
      failures.push({ message: `${entryPath}${toSubPath(entry)}: ${material.error}`, network: true });
      continue;
    }
    const target = {
      reference: info.reference,
      digest: material.digest,
      ...(now !== undefined ? { now } : {}),
    };
    const outcome = check(entry, entryPath, (a) =>
      verifyCosignSignature(a, material.data.signatures, target),
    );
    if (outcome.verified) {
      digest = material.digest;
      if (++verified >= required) return { ok: true, digest };
    } else failures.push(outcome.failure);
  }
  return { ok: false, failures };
}

function toSubPath(entry: LegacyAttestor): string {
  return entry.keys !== undefined
    ? '.keys'
    : entry.certificates !== undefined
      ? '.certificates'
      : entry.keyless !== undefined
        ? '.keyless'
        : '';
}

/**
 * Kyverno verifyAttestors: every attestor set must verify; the first that does not stops with its
 * failures. `ok` carries the digest the signatures were checked against.
 */
export function verifyAttestorSets(
  iv: ImageVerification,
  info: ImageInfo,
  ports: Ports | undefined,
): SetOutcome {
  const material = imageMaterial(ports, info);
  const now = ports?.clock?.now();
  let digest = '';
  for (const [i, set] of iv.attestors.entries()) {
    const outcome = verifySet(set, info, material, `.attestors[${i}]`, now);
    if (!outcome.ok) return outcome;
    digest = outcome.digest;
  }
  return { ok: true, digest };
}

/**
 * One attestation entry checked by one attestor (Kyverno FetchAttestations): the verified predicates
 * of the attestation's type, or why there are none.
 */
export function fetchAttestation(
  entry: LegacyAttestor,
  path: string,
  type: string,
  info: ImageInfo,
  material: ImageMaterial,
  now: Date | undefined,
): { verified: true; predicates: readonly unknown[] } | { verified: false; failure: EntryFailure } {
  if (!material.ok) return { verified: false, failure: { message: material.error, network: true } };
  const attestation: Attestation = { name: type, intoto: { type } };
  const target = {
    reference: info.reference,
    digest: material.digest,
    ...(now !== undefined ? { now } : {}),
  };
  return check(entry, path, (a) =>
    verifyCosignAttestation(a, attestation, material.data.attestations, target),
  );
}
