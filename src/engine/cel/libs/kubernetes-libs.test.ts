import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

type Row = [string, unknown];
type ErrRow = [string, RegExp];

function table(name: string, cases: readonly Row[], errors: readonly ErrRow[] = []): void {
  describe(name, () => {
    for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
    for (const [expr, want] of errors) test(`${expr} fails`, () => assert.throws(() => run(expr), want));
  });
}

// Examples from kubernetes.io/docs/reference/using-api/cel ("Kubernetes CEL libraries") and the
// k8s.io/apiserver/pkg/cel/library docs.
table(
  'regex library',
  [
    ['"abc 123".find("[0-9]+")', '123'],
    ['"abc".find("[0-9]+")', ''],
    ['"123 abc 456".findAll("[0-9]+")', ['123', '456']],
    ['"123 abc 456".findAll("[0-9]+", 1)', ['123']],
    ['"123 abc 456".findAll("[0-9]+", 0)', []],
    ['"123 abc 456".findAll("[0-9]+", -1)', ['123', '456']],
    ['"abc".findAll("x")', []],
    ['"hello".matches("^h.*o$")', true],
    // RE2: no catastrophic backtracking.
    ['"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!".matches("(a+)+$")', false],
  ],
  [
    ['"abc".find("[")', /invalid regular expression|missing closing/],
    ['"abc".matches("(?=a)")', /invalid|error parsing/],
  ],
);

table('URL library', [
  ['url("https://example.com:80/").getHost()', 'example.com:80'],
  ['url("https://example.com/").getHost()', 'example.com'],
  ['url("https://[::1]:80/").getHost()', '[::1]:80'],
  ['url("https://example.com/").getScheme()', 'https'],
  ['url("https://example.com:80/").getHostname()', 'example.com'],
  ['url("https://[::1]:80/").getHostname()', '::1'],
  ['url("https://example.com:80/").getPort()', '80'],
  ['url("https://example.com/").getPort()', ''],
  ['url("https://example.com/path").getEscapedPath()', '/path'],
  ['url("https://example.com/path with spaces/").getEscapedPath()', '/path%20with%20spaces/'],
  ['url("https://example.com/").getEscapedPath()', '/'],
  ['url("https://example.com/path?k1=a&k2=b&k2=c").getQuery()', { k1: ['a'], k2: ['b', 'c'] }],
  ['url("https://example.com/").getQuery()', {}],
  ['url("https://example.com/") == url("https://example.com/")', true],
  ['isURL("https://example.com/")', true],
  ['isURL("/absolute-path")', true],
  ['isURL("example.com")', false],
]);

table(
  'IP and CIDR libraries',
  [
    ['isIP("127.0.0.1")', true],
    ['isIP("::1")', true],
    ['isIP("1.2.3")', false],
    ['isIP("127.0.0.01")', false],
    ['isIP("::ffff:1.2.3.4")', false],
    ['ip("127.0.0.1").family()', 4],
    ['ip("::1").family()', 6],
    ['ip("127.0.0.1").isLoopback()', true],
    ['ip("::1").isLoopback()', true],
    ['ip("0.0.0.0").isUnspecified()', true],
    ['ip("::").isUnspecified()', true],
    ['ip("224.0.0.1").isLinkLocalMulticast()', true],
    ['ip("ff02::1").isLinkLocalMulticast()', true],
    ['ip("224.0.1.1").isLinkLocalMulticast()', false],
    ['ip("169.254.169.254").isLinkLocalUnicast()', true],
    ['ip("fe80::1").isLinkLocalUnicast()', true],
    ['ip("192.168.0.1").isGlobalUnicast()', true],
    ['ip("255.255.255.255").isGlobalUnicast()', false],
    ['ip.isCanonical("127.0.0.1")', true],
    ['ip.isCanonical("2001:db8::abc")', true],
    ['ip.isCanonical("2001:db8:0:0:0:0:0:abc")', false],
    ['string(ip("2001:db8:0:0:0:0:0:1"))', '2001:db8::1'],
    ['ip("10.0.0.1") == ip("10.0.0.1")', true],
    ['ip("10.0.0.1") != ip("10.0.0.2")', true],
    ['cidr("10.0.0.0/8") == cidr("10.0.0.0/8")', true],
    ['cidr("10.0.0.0/8") == cidr("10.0.0.0/16")', false],
    ['[ip("10.0.0.1")] == [ip("10.0.0.1")]', true],
    ['isCIDR("192.168.0.0/16")', true],
    ['isCIDR("192.168.0.0/33")', false],
    ['isCIDR("192.168.0.0")', false],
    ['cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))', true],
    ['cidr("192.168.0.0/24").containsIP("192.168.1.1")', false],
    ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25"))', true],
    ['cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")', false],
    ['cidr("2001:db8::/32").containsIP(ip("2001:db8::1"))', true],
    ['string(cidr("192.168.0.0/24").ip())', '192.168.0.0'],
    ['string(cidr("192.168.0.1/24").masked())', '192.168.0.0/24'],
    ['cidr("192.168.0.0/24").prefixLength()', 24],
    ['cidr("::1/128").ip().family()', 6],
    ['string(cidr("::1/128"))', '::1/128'],
  ],
  [
    ['ip("1.2.3")', /IP/],
    ['cidr("1.2.3.4")', /network address parse error/],
  ],
);

table(
  'quantity library',
  [
    ['quantity("50Mi").isGreaterThan(quantity("100M"))', false],
    ['quantity("50M").isLessThan(quantity("100M"))', true],
    ['quantity("50.703k").isLessThan(quantity("100k"))', true],
    ['quantity("1Gi").compareTo(quantity("1G"))', 1],
    ['quantity("1Gi").compareTo(quantity("1024Mi"))', 0],
    ['quantity("200M").compareTo(quantity("0.2G"))', 0],
    ['quantity("1.5G").isInteger()', true],
    ['quantity("1.5").isInteger()', false],
    ['quantity("50M").asInteger()', 50000000],
    ['quantity("50k").asApproximateFloat()', 50000],
    ['quantity("500m").asApproximateFloat()', 0.5],
    ['quantity("50k").sign()', 1],
    ['quantity("-50k").sign()', -1],
    ['quantity("0").sign()', 0],
    ['quantity("50k").add(quantity("20k")) == quantity("70k")', true],
    ['quantity("50k").add(20) == quantity("50020")', true],
    ['quantity("50k").sub(quantity("20k")) == quantity("30k")', true],
    ['quantity("50k").sub(20) == quantity("49980")', true],
    ['quantity("1").add(quantity("500m")).asApproximateFloat()', 1.5],
    ['quantity("1Gi") == quantity("1024Mi")', true],
    ['quantity("1") != quantity("2")', true],
    ['isQuantity("1.3G")', true],
    ['isQuantity("1.3Gi")', true],
    ['isQuantity("1,3G")', false],
    ['isQuantity("10000k")', true],
    ['isQuantity("200K")', false],
  ],
  [['quantity("1.5").asInteger()', /cannot|integer|not/i]],
);

table('semver library', [
  ['isSemver("1.0.0")', true],
  ['isSemver("1.0")', false],
  ['isSemver("v1.0.0")', false],
  ['isSemver("v1.0", true)', true],
  ['semver("1.2.3").major()', 1],
  ['semver("1.2.3").minor()', 2],
  ['semver("1.2.3").patch()', 3],
  ['semver("v1.2", true).patch()', 0],
  ['semver("1.0.0").isGreaterThan(semver("0.1.0"))', true],
  ['semver("1.0.0").isLessThan(semver("1.0.1"))', true],
  ['semver("1.0.0-alpha").isLessThan(semver("1.0.0"))', true],
  ['semver("2.1.0").compareTo(semver("2.0.0"))', 1],
  ['semver("2.0.0").compareTo(semver("2.0.0"))', 0],
  ['semver("1.0.0") == semver("1.0.0")', true],
  ['semver("1.0.0") != semver("1.0.1")', true],
]);

table('format library', [
  ['format.dns1123Label().validate("my-label-name").hasValue()', false],
  ['format.dns1123Label().validate("-bad").hasValue()', true],
  ['format.dns1123Label().validate("My_Name").hasValue()', true],
  ['format.dns1123Subdomain().validate("apiextensions.k8s.io").hasValue()', false],
  ['format.dns1035Label().validate("1abc").hasValue()', true],
  ['format.named("dns1123Label").value().validate("ok").hasValue()', false],
  ['format.named("dns1035Label").value().validate("1abc").hasValue()', true],
  ['format.named("unknown").hasValue()', false],
  ['format.qualifiedName().validate("example.com/name").hasValue()', false],
  ['format.qualifiedName().validate("-bad").hasValue()', true],
  ['format.labelValue().validate("").hasValue()', false],
  ['format.labelValue().validate("has space").hasValue()', true],
  ['format.uri().validate("http://example.com").hasValue()', false],
  ['format.uuid().validate("123e4567-e89b-12d3-a456-426614174000").hasValue()', false],
  ['format.uuid().validate("abc").hasValue()', true],
  ['format.byte().validate("aGVsbG8=").hasValue()', false],
  ['format.date().validate("2023-01-01").hasValue()', false],
  ['format.date().validate("2023-13-01").hasValue()', true],
  ['format.datetime().validate("2023-01-01T00:00:00Z").hasValue()', false],
  ['format.datetime().validate("yesterday").hasValue()', true],
  ['format.dns1123Label().validate("-bad").value().size() > 0', true],
]);
