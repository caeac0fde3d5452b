import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['isIP("127.0.0.1")', true],
  ['isIP("127.0.0.01")', false],
  ['isIP("::ffff:1.2.3.4")', false],
  ['ip("192.168.0.1").family()', 4],
  ['ip("::1").family()', 6],
  ['ip("127.0.0.1").isLoopback()', true],
  ['ip("0.0.0.0").isUnspecified()', true],
  ['ip("169.254.1.1").isLinkLocalUnicast()', true],
  ['ip("192.168.0.1").isGlobalUnicast()', true],
  ['ip.isCanonical("2001:db8::abcd")', true],
  ['ip.isCanonical("2001:DB8::ABCD")', false],
  ['string(ip("2001:db8:0:0:0:0:0:1"))', '2001:db8::1'],
  ['isCIDR("192.168.0.0/16")', true],
  ['cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))', true],
  ['cidr("192.168.0.0/24").containsIP("192.168.1.1")', false],
  ['cidr("192.168.0.0/16").containsCIDR("192.168.10.0/24")', true],
  ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/16"))', false],
  ['string(cidr("192.168.0.1/24").masked())', '192.168.0.0/24'],
  ['cidr("192.168.0.0/16").prefixLength()', 16],
  ['string(cidr("::1/128").ip())', '::1'],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
