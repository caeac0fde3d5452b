// net.ParseIP / netip.ParseAddr and the String methods (pkg.go.dev/net/netip; RFC 5952 §4.2).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAddr, formatNetIp, isIPv4Mapped, parseIp } from './ip-address.js';

describe('parseIp', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.1', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['2001:DB8::1', '2001:db8::1'],
    ['::', '::'],
    ['::1.2.3.4', '::102:304'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['010.0.0.1', undefined], // leading zero: ambiguous octal
    ['256.0.0.1', undefined],
    ['1.2.3', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4::5:6:7:8', undefined], // `::` must stand for at least one group
    ['1:2:3:4:5:6:7', undefined],
    ['fe80::1%eth0', undefined], // zones are not addresses
    ['12345::', undefined],
    ['', undefined],
  ];
  for (const [input, want] of cases)
    test(JSON.stringify(input), () => {
      const b = parseIp(input);
      assert.equal(b === undefined ? undefined : formatAddr(b), want);
    });
  test('IPv4-mapped IPv6 is recognised', () => assert.ok(isIPv4Mapped(parseIp('::ffff:1.2.3.4') ?? [])));
});

const v6 = (s: string): number[] => parseIp(s) ?? assert.fail(`bad test address ${s}`);

describe('formatAddr and formatNetIp', () => {
  // [bytes of, netip.Addr.String(), net.IP.String()]
  const cases: [number[], string, string][] = [
    // The longest zero run is compressed, not the first: x509_decode's copy printed 1::2:0:0:0:3.
    [v6('1:0:0:2:0:0:0:3'), '1:0:0:2::3', '1:0:0:2::3'],
    // On a tie the first run wins.
    [v6('1:0:0:2:3:0:0:4'), '1::2:3:0:0:4', '1::2:3:0:0:4'],
    // A single zero group is not compressed.
    [v6('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    // cosign's copy never compressed: it printed 2001:db8:0:0:0:0:0:1.
    [v6('2001:db8::1'), '2001:db8::1', '2001:db8::1'],
    [v6('::ffff:1.2.3.4'), '::ffff:1.2.3.4', '1.2.3.4'],
    [[127, 0, 0, 1], '127.0.0.1', '127.0.0.1'],
  ];
  for (const [bytes, addr, netIp] of cases)
    test(addr, () => {
      assert.equal(formatAddr(bytes), addr);
      assert.equal(formatNetIp(bytes), netIp);
    });
  test('net.IP of an odd length prints ? and hex', () => assert.equal(formatNetIp([1, 2, 171]), '?0102ab'));
  test('net.IP with no bytes prints <nil>', () => assert.equal(formatNetIp([]), '<nil>'));
});
