import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { boundedRequest } from './bounded-request.js';
import { DEFAULT_HTTP_BLOCKLIST, egressPolicy, embeddedIpv4 } from './egress-policy.js';

function policy(blocklist: readonly string[] = DEFAULT_HTTP_BLOCKLIST, allowlist: readonly string[] = []) {
  const made = egressPolicy(blocklist, allowlist);
  assert.ok(made.ok, made.ok ? '' : made.error);
  return made.policy;
}

describe('egress policy: refused before connecting', () => {
  // Kyverno's default list, plus the spellings of a blocked address its host-name match missed.
  const CASES: readonly [string, boolean][] = [
    ['http://169.254.169.254/latest/meta-data/', true],
    ['http://169.254.169.253/', true],
    ['http://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/', true],
    ['http://127.0.0.1:8080/', true],
    ['http://127.9.9.9/', true],
    ['http://2130706433/', true], // 127.0.0.1 as a number: the URL parser writes it out
    ['http://0x7f.1/', true],
    ['http://[::1]/', true],
    ['http://[::ffff:169.254.169.254]/', true],
    ['http://[::ffff:7f00:1]/', true],
    ['http://[::169.254.169.254]/', true],
    ['http://[64:ff9b::a9fe:a9fe]/', true],
    ['https://api.example.com/v1/things', false],
    ['http://10.0.0.1/', false], // not in Kyverno's default list
    ['http://169.254.169.1/', false],
  ];
  for (const [url, refused] of CASES)
    test(`${url} ${refused ? 'refused' : 'allowed'}`, () => {
      const why = policy().refuse(new URL(url));
      assert.equal(why !== undefined, refused, why);
    });

  test('the allowlist: scheme, host, effective port and a path prefix at a segment boundary', () => {
    const p = policy([], ['https://api.example.com/v1', 'http://other.example:8080']);
    assert.equal(p.refuse(new URL('https://api.example.com:443/v1/x')), undefined);
    assert.equal(p.refuse(new URL('https://API.example.com/v1')), undefined);
    assert.equal(p.refuse(new URL('http://other.example:8080/anything')), undefined);
    for (const bad of [
      'https://api.example.com/v10',
      'http://api.example.com/v1',
      'https://api.example.com:8443/v1',
    ])
      assert.match(p.refuse(new URL(bad)) ?? '', /no matching allowlist entry/, bad);
  });

  test('an empty blocklist blocks nothing; invalid entries are errors', () => {
    assert.equal(policy([]).refuse(new URL('http://127.0.0.1/')), undefined);
    for (const bad of [['10.0.0.0/33'], ['nonsense/8'], ['10.0.0.0/x']])
      assert.equal(egressPolicy(bad, []).ok, false, bad[0]);
    assert.equal(egressPolicy([], ['not a url']).ok, false);
    assert.equal(egressPolicy([], ['/just/a/path']).ok, false);
  });
});

test('embeddedIpv4: mapped, compatible and NAT64 forms; plain IPv6 has none', () => {
  assert.equal(embeddedIpv4('::ffff:169.254.169.254'), '169.254.169.254');
  assert.equal(embeddedIpv4('::ffff:a9fe:a9fe'), '169.254.169.254');
  assert.equal(embeddedIpv4('::169.254.169.254'), '169.254.169.254');
  assert.equal(embeddedIpv4('64:ff9b::127.0.0.1'), '127.0.0.1');
  assert.equal(embeddedIpv4('::1'), undefined);
  assert.equal(embeddedIpv4('2001:db8::1'), undefined);
});

test('at connect time a host that resolves to a blocked range is refused; others connect', async () => {
  const server = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const call = (lookup: ReturnType<typeof policy>['lookup']) =>
      boundedRequest({
        method: 'GET',
        url: new URL(`http://localhost:${port}/`),
        signal: AbortSignal.timeout(5_000),
        maxBytes: 1000,
        timeoutMs: 5_000,
        tls: { lookup },
      });
    await assert.rejects(call(policy().lookup), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'EBLOCKED');
      assert.match(err.message, /connection to localhost blocked/);
      return true;
    });
    assert.equal((await call(policy(['169.254.0.0/16']).lookup)).text, '{"ok":true}');
  } finally {
    server.close();
  }
});
