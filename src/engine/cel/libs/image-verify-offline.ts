/**
 * @module The ImageValidatingPolicy verification functions (`verifyImageSignatures`,
 * `verifyAttestationSignatures`, `extractPayload`, `getImageData`; reference §6.2). They verify the
 * signature material the `imageData` port supplies (offline: Context file `spec.images`) within the
 * session the policy evaluation installs; a check that needs the network is an evaluation error.
 */
import {
  currentImageVerifySession,
  extractPayload,
  getImageData,
  type ImageVerifySession,
  verifyAttestationSignatures,
  verifyImageSignatures,
} from '../../image-verify/session.js';
import { CelEvalError } from '../errors.js';
import { fromCel, toCel } from '../values.js';
import type { CelFunctionEntry, CelLibrary } from './types.js';

function run<T>(name: string, fn: (s: ImageVerifySession) => T): T {
  const session = currentImageVerifySession();
  if (session === undefined) throw new CelEvalError(`${name} is only available in ImageValidatingPolicies`);
  try {
    return fn(session);
  } catch (e) {
    if (e instanceof CelEvalError) throw e;
    throw new CelEvalError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function list(v: unknown): unknown[] {
  const plain = fromCel(v);
  return Array.isArray(plain) ? plain : [];
}

const functions: CelFunctionEntry[] = [
  {
    signature: 'verifyImageSignatures(string, list): int',
    impl: (image: string, attestors: unknown) =>
      BigInt(run('verifyImageSignatures', (s) => verifyImageSignatures(s, image, list(attestors)))),
  },
  {
    signature: 'verifyAttestationSignatures(string, dyn, list): int',
    impl: (image: string, attestation: unknown, attestors: unknown) =>
      BigInt(
        run('verifyAttestationSignatures', (s) =>
          verifyAttestationSignatures(s, image, fromCel(attestation), list(attestors)),
        ),
      ),
  },
  {
    signature: 'extractPayload(string, dyn): dyn',
    impl: (image: string, attestation: unknown) =>
      toCel(run('extractPayload', (s) => extractPayload(s, image, fromCel(attestation)))),
  },
  {
    signature: 'getImageData(string): dyn',
    impl: (image: string) => toCel(run('getImageData', (s) => getImageData(s, image))),
  },
];

/** Registered for ImageValidatingPolicies only. */
export function imageVerifyOfflineLibrary(): CelLibrary {
  return { name: 'imageverify-offline', functions };
}
