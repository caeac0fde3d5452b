// kyverno-authz `jwt.Decode(token, key)` with a string key: an HMAC secret (HS256/384/512 from the
// token header); a signature that does not verify is an error; `Valid` reflects exp/nbf/iat.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { decodeJwt } from './jwt.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function sign(claims: Record<string, unknown>, secret: string, alg = 'HS256'): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] ?? 'sha256';
  return `${head}.${createHmac(hash, secret).update(head).digest('base64url')}`;
}
const now = new Date('2026-01-01T00:00:00Z');
const t = now.getTime() / 1000;

const cases: { name: string; token: string; want: { Claims: unknown; Valid: boolean } | RegExp }[] = [
  {
    name: 'a valid HS256 token',
    token: sign({ role: 'admin', exp: t + 60, nbf: t - 60 }, 'secret'),
    want: { Claims: { role: 'admin', exp: t + 60, nbf: t - 60 }, Valid: true },
  },
  {
    name: 'HS384',
    token: sign({ sub: 'a' }, 'secret', 'HS384'),
    want: { Claims: { sub: 'a' }, Valid: true },
  },
  {
    name: 'an expired token decodes but is not valid',
    token: sign({ exp: t - 1 }, 'secret'),
    want: { Claims: { exp: t - 1 }, Valid: false },
  },
  {
    name: 'not yet valid (nbf)',
    token: sign({ nbf: t + 10 }, 'secret'),
    want: { Claims: { nbf: t + 10 }, Valid: false },
  },
  { name: 'no claims', token: sign({}, 'secret'), want: { Claims: null, Valid: true } },
  { name: 'another secret', token: sign({ a: 1 }, 'other'), want: /could not verify/ },
  { name: 'an asymmetric algorithm', token: sign({ a: 1 }, 'secret', 'RS256'), want: /could not verify/ },
  { name: 'not a JWT', token: 'abc', want: /invalid number of segments/ },
];
for (const c of cases) {
  test(c.name, () => {
    if (c.want instanceof RegExp) assert.throws(() => decodeJwt(c.token, 'secret', now), c.want);
    else assert.deepEqual(decodeJwt(c.token, 'secret', now), c.want);
  });
}
