/**
 * @module kyverno-authz's `jwt.Decode(token, key)` with a string key: the key's bytes are an HMAC
 * secret, the algorithm (HS256/384/512) comes from the token's header, and a signature that does not
 * verify is an evaluation error. The answer is `{Claims, Valid}`: every claim (numbers as doubles, as
 * a protobuf Struct holds them; null when there are none) and whether `exp`, `nbf` and `iat` hold now.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CelEvalError } from '../errors.js';
import { toCel } from '../values.js';
import { type CelLibrary, type CelLibraryContext, contextVariable } from './types.js';

export const jwtContext = contextVariable('JwtNamespace', 'jwt');

const HMAC: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

function segment(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new CelEvalError(`failed to parse token: invalid ${what}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new CelEvalError(`failed to parse token: ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Decodes and verifies `token` with the HMAC secret `key`; `now` judges the time claims. */
export function decodeJwt(token: string, key: string, now: Date): { Claims: unknown; Valid: boolean } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new CelEvalError('failed to parse token: invalid number of segments');
  const [h = '', p = '', s = ''] = parts;
  const header = segment(h, 'header');
  const algorithm = HMAC[String(header.alg)];
  const expected =
    algorithm === undefined ? undefined : createHmac(algorithm, key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (expected === undefined || expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new CelEvalError('could not verify message using any of the signatures or keys');
  const claims = segment(p, 'payload');
  const seconds = now.getTime() / 1000;
  const time = (k: string) => (typeof claims[k] === 'number' ? (claims[k] as number) : undefined);
  const exp = time('exp');
  const nbf = time('nbf');
  const iat = time('iat');
  const valid =
    (exp === undefined || seconds < exp) &&
    (nbf === undefined || seconds >= nbf) &&
    (iat === undefined || seconds >= iat);
  return { Claims: Object.keys(claims).length > 0 ? claims : null, Valid: valid };
}

export function jwtLibrary(): CelLibrary {
  return {
    name: 'kyverno.jwt',
    types: [{ name: jwtContext.type, ctor: jwtContext.ctor }],
    variables: [jwtContext],
    functions: [
      {
        // `dyn` so that `cond ? jwt.Decode(t, k) : null` type-checks (cel-js does not unify a map with null).
        signature: 'JwtNamespace.Decode(string, string): dyn',
        impl: (c: CelLibraryContext, token: string, key: string) =>
          toCel(decodeJwt(token, key, c.runtime.ports.clock?.now() ?? new Date())),
      },
    ],
  };
}
