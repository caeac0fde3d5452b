/**
 * @module The ImageValidatingPolicy verification functions (`verifyImageSignatures`,
 * `verifyAttestationSignatures`, `extractPayload`, `getImageData`; reference §6.2). They verify the
 * signature material the `imageData` port supplies (offline: Context file `spec.images`) within the
 * session the policy evaluation binds in its activation (`bindImageVerifySession`), which each call
 * receives as a hidden last argument; a check that needs the network is an evaluation error.
 */
import {
  extractPayload,
  getImageData,
  type ImageVerifySession,
  verifyAttestationSignatures,
  verifyImageSignatures,
} from '../../image-verify/session.js';
import { CelEvalError } from '../errors.js';
import { fromCel, toCel } from '../values.js';
import type { CelFunctionEntry, CelLibrary } from './types.js';

/** The activation key of the evaluation's session (a symbol: no CEL expression can name it). */
const SESSION: unique symbol = Symbol('palisade.imageVerifySession');

/** Makes `session` the one the verification functions of this activation's evaluations use. */
export function bindImageVerifySession(values: object, session: ImageVerifySession): void {
  (values as { [SESSION]?: ImageVerifySession })[SESSION] = session;
}

function run<T>(name: string, session: ImageVerifySession | undefined, fn: (s: ImageVerifySession) => T): T {
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

type Session = ImageVerifySession | undefined;

const functions: CelFunctionEntry[] = [
  {
    signature: 'verifyImageSignatures(string, list): int',
    contextArgument: SESSION,
    impl: (image: string, attestors: unknown, session: Session) =>
      BigInt(run('verifyImageSignatures', session, (s) => verifyImageSignatures(s, image, list(attestors)))),
  },
  {
    signature: 'verifyAttestationSignatures(string, dyn, list): int',
    contextArgument: SESSION,
    impl: (image: string, attestation: unknown, attestors: unknown, session: Session) =>
      BigInt(
        run('verifyAttestationSignatures', session, (s) =>
          verifyAttestationSignatures(s, image, fromCel(attestation), list(attestors)),
        ),
      ),
  },
  {
    signature: 'extractPayload(string, dyn): dyn',
    contextArgument: SESSION,
    impl: (image: string, attestation: unknown, session: Session) =>
      toCel(run('extractPayload', session, (s) => extractPayload(s, image, fromCel(attestation)))),
  },
  {
    signature: 'getImageData(string): dyn',
    contextArgument: SESSION,
    impl: (image: string, session: Session) =>
      toCel(run('getImageData', session, (s) => getImageData(s, image))),
  },
];

/** Registered for ImageValidatingPolicies only. */
export function imageVerifyOfflineLibrary(): CelLibrary {
  return { name: 'imageverify-offline', functions };
}
