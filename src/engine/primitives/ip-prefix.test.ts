// netip.ParsePrefix, Prefix.Masked and Prefix.Contains (pkg.go.dev/net/netip).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAddr, parseIp } from './ip-address.js';
import { maskBytes, parsePrefix, prefixContains } from './ip-prefix.js';

describe('parsePrefix', () => {
  const cases: [string, string | undefined][] = [
    ['10.1.2.3/8', '10.1.2.3/8'],
    ['10.0.0.0/32', '10.0.0.0/32'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['10.0.0.0/33', undefined],
    ['10.0.0.0/08', undefined], // no leading zeros
    ['10.0.0.0/+8', undefined],
    ['10.0.0.0', undefined],
    ['10.0.0.0/', undefined],
    ['2001:db8::/129', undefined],
  ];
  for (const [input, want] of cases)
    test(JSON.stringify(input), () => {
      const p = parsePrefix(input);
      assert.equal(p === undefined ? undefined : `${formatAddr(p.bytes)}/${p.bits}`, want);
    });
});

test('maskBytes clears the host bits', () =>
  assert.equal(formatAddr(maskBytes([10, 1, 255, 3], 12)), '10.0.0.0'));

describe('prefixContains', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.0.1', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.0.0/23', '192.168.1.9', true],
    ['2001:db8::/32', '2001:db8:1::1', true],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false], // another family never matches
    ['0.0.0.0/0', '1.2.3.4', true],
  ];
  for (const [prefix, addr, want] of cases)
    test(`${prefix} ∋ ${addr}`, () => {
      const p = parsePrefix(prefix) ?? assert.fail('bad prefix');
      assert.equal(prefixContains(p, parseIp(addr) ?? []), want);
    });
});
