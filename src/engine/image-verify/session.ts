/**
 * @module The verification functions of an ImageValidatingPolicy evaluation (Kyverno
 * pkg/cel/libs/imageverify): `verifyImageSignatures` / `verifyAttestationSignatures` count the
 * attestors that verified, `extractPayload` hands out a predicate verified earlier in the same
 * evaluation, `getImageData` the image metadata. Image data comes from the `imageData` port; the
 * session records which images verified (for `validationConfigurations.required`).
 */
import type { Ports } from '../ports.js';
import { parseImageReference } from '../units/image-reference.js';
import { type Attestation, AttestorError, toAttestation, toAttestor } from './attestor.js';
import {
  NetworkRequiredError,
  type Outcome,
  verifyCosignAttestation,
  verifyCosignSignature,
} from './cosign.js';
import type { ImageVerificationData } from './types.js';

export interface ImageVerifySession {
  readonly attestations: ReadonlyMap<string, Attestation>;
  /** The policy's matchImageReferences: other images count zero verified attestors. */
  readonly matchesImage: (image: string) => boolean;
  /** The ports of the evaluation the session belongs to. */
  readonly ports: Ports;
  /** image → whether some verification of it succeeded (Kyverno ImageVerificationResults). */
  readonly results: Map<string, boolean>;
  /** `image\0attestation` → verified predicates, for extractPayload. */
  readonly payloads: Map<string, readonly unknown[]>;
  /** Why each attestor did not verify, in call order (diagnostics for messages and tests). */
  readonly failures: string[];
}

export function newImageVerifySession(
  attestations: readonly unknown[],
  matchesImage: (image: string) => boolean,
  ports: Ports,
): ImageVerifySession {
  const byName = new Map<string, Attestation>();
  for (const a of attestations) {
    const att = toAttestation(a);
    if (att !== undefined) byName.set(att.name, att);
  }
  return { attestations: byName, matchesImage, ports, results: new Map(), payloads: new Map(), failures: [] };
}

function record(session: ImageVerifySession, image: string, verified: boolean): void {
  session.results.set(image, (session.results.get(image) ?? false) || verified);
}

/** The offline signature material and digest of an image; throws NetworkRequiredError. */
function imageMaterial(
  session: ImageVerifySession,
  image: string,
): { data: ImageVerificationData; digest: string } {
  const reader = session.ports.imageData;
  if (reader?.verification === undefined)
    throw new NetworkRequiredError(
      `verifying ${image} needs registry access; give its signatures in a Context file (spec.images)`,
    );
  const answer = reader.verification(image);
  if (!answer.ok) throw new NetworkRequiredError(`failed to get imagedata: ${answer.error}`);
  const own = parseImageReference(image)?.digest ?? '';
  const digest = own !== '' ? own : (answer.data.digest ?? '');
  if (digest === '')
    throw new NetworkRequiredError(
      `resolving the digest of ${image} needs registry access; set its digest in the Context file`,
    );
  return { data: answer.data, digest };
}

function now(session: ImageVerifySession): Date | undefined {
  return session.ports.clock?.now();
}

function countVerified(
  session: ImageVerifySession,
  image: string,
  attestors: readonly unknown[],
  verify: (a: ReturnType<typeof toAttestor>) => Outcome,
): number {
  let count = 0;
  for (const raw of attestors) {
    const attestor = toAttestor(raw);
    if (attestor.cosign === undefined) {
      if (attestor.notary !== undefined)
        throw new AttestorError(`attestor ${attestor.name}: Notary verification is not supported offline`);
      continue;
    }
    const outcome = verify(attestor);
    if (outcome.verified) count++;
    else session.failures.push(`${attestor.name}: ${outcome.reason}`);
  }
  if (attestors.length > 0) record(session, image, count > 0);
  return count;
}

/** `verifyImageSignatures(image, attestors)`: how many attestors verified the image's signature. */
export function verifyImageSignatures(
  session: ImageVerifySession,
  image: string,
  attestors: readonly unknown[],
): number {
  if (!session.matchesImage(image)) return 0;
  const { data, digest } = imageMaterial(session, image);
  const target = { reference: image, digest, ...(now(session) !== undefined ? { now: now(session)! } : {}) };
  return countVerified(session, image, attestors, (a) =>
    verifyCosignSignature(a.cosign ?? {}, data.signatures, target),
  );
}

function attestationNamed(session: ImageVerifySession, attestation: unknown): Attestation {
  const name =
    typeof attestation === 'string' ? attestation : (toAttestation(attestation)?.name ?? String(attestation));
  const found = session.attestations.get(name);
  if (found === undefined) throw new AttestorError(`attestation not found in policy: ${name}`);
  return found;
}

/** `verifyAttestationSignatures(image, attestation, attestors)`: attestors that verified it. */
export function verifyAttestationSignatures(
  session: ImageVerifySession,
  image: string,
  attestation: unknown,
  attestors: readonly unknown[],
): number {
  if (!session.matchesImage(image)) return 0;
  const att = attestationNamed(session, attestation);
  const { data, digest } = imageMaterial(session, image);
  const target = { reference: image, digest, ...(now(session) !== undefined ? { now: now(session)! } : {}) };
  const key = `${image}\0${att.name}`;
  return countVerified(session, image, attestors, (a) => {
    const outcome = verifyCosignAttestation(a.cosign ?? {}, att, data.attestations, target);
    if (outcome.verified) session.payloads.set(key, outcome.predicates);
    return outcome;
  });
}

/** `extractPayload(image, attestation)`: the predicate of an attestation verified before. */
export function extractPayload(session: ImageVerifySession, image: string, attestation: unknown): unknown {
  const att = attestationNamed(session, attestation);
  const predicates = session.payloads.get(`${image}\0${att.name}`);
  if (predicates === undefined || predicates.length === 0)
    throw new AttestorError(
      `failed to get payload: attestation ${att.name} of ${image} was not verified; call verifyAttestationSignatures first`,
    );
  return predicates[0];
}

/** `getImageData(image)`: the image metadata (Context file `spec.images` offline). */
export function getImageData(session: ImageVerifySession, image: string): unknown {
  const reader = session.ports.imageData;
  if (reader === undefined)
    throw new NetworkRequiredError(`getting the image data of ${image} needs registry access`);
  const answer = reader.get(image);
  if (!answer.ok) throw new NetworkRequiredError(`failed to get imagedata: ${answer.error}`);
  return answer.data;
}
