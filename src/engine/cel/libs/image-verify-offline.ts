/**
 * @module The ImageValidatingPolicy verification functions (`verifyImageSignatures`,
 * `verifyAttestationSignatures`, `extractPayload`, `getImageData`) as the offline CLI sees them:
 * they type-check, so policies using them load, but calling one is an evaluation error because
 * verifying signatures needs registry (and often transparency-log) access (reference §6.2).
 */
import { CelEvalError } from '../errors.js';
import type { CelFunctionEntry, CelLibrary } from './types.js';

function offline(name: string): () => never {
  return () => {
    throw new CelEvalError(
      `${name}: image verification needs registry access, which is not available offline`,
    );
  };
}

const functions: CelFunctionEntry[] = [
  { signature: 'verifyImageSignatures(string, list): int', impl: offline('verifyImageSignatures') },
  {
    signature: 'verifyAttestationSignatures(string, dyn, list): int',
    impl: offline('verifyAttestationSignatures'),
  },
  { signature: 'extractPayload(string, dyn): dyn', impl: offline('extractPayload') },
  { signature: 'getImageData(string): dyn', impl: offline('getImageData') },
];

/** Registered for ImageValidatingPolicies only. */
export function imageVerifyOfflineLibrary(): CelLibrary {
  return { name: 'imageverify-offline', functions };
}
