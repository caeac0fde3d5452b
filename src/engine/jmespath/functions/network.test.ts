import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkFunctions } from './network.js';

const call = (url: string): unknown => networkFunctions[0]?.impl([url], {});

const cases: ReadonlyArray<readonly [string, boolean]> = [
  ['https://example.com/path', true],
  ['http://8.8.8.8:53', true],
  ['http://127.0.0.1:8080/metrics', false],
  ['http://10.1.2.3', false],
  ['http://172.16.0.1', false],
  ['http://172.32.0.1', true],
  ['http://192.168.1.1', false],
  ['http://[::1]:8080/', false],
  ['http://[fd00::1]/', false],
  ['http://[2001:db8::1]/', true],
  ['http://[::ffff:127.0.0.1]/', false],
  ['http://169.254.169.254/latest/meta-data', true], // link-local is not "private" in Go's sense
  ['http://localhost:9090', false],
  ['http://user:pw@LOCALHOST/', false],
  ['http://my-svc.my-ns.svc.cluster.local:80', false],
  ['http://kube-dns.kube-system.svc/', false],
];
for (const [url, expected] of cases) {
  test(`is_external_url(${url}) = ${expected}`, () => assert.equal(call(url), expected));
}

test('is_external_url fails when there is no host', () => {
  assert.throws(() => call('example.com'), /JMESPath function 'is_external_url': lookup "": no such host/);
  assert.throws(() => call('http://[::1/'), /missing '\]' in host/);
});
