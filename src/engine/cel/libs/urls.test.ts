import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string, object: unknown = {}) =>
  compileCel(expr, { variables: ['object'], kind: 'vap' }).evaluate({ object }, { ports: {} });

// Examples from kubernetes.io "Common Expression Language in Kubernetes" and the cel-go ext docs.
const cases: [string, unknown][] = [
  ['url("https://example.com:80/").getHost()', 'example.com:80'],
  ['url("https://[::1]:80/").getHostname()', '::1'],
  ['url("https://example.com:80/").getPort()', '80'],
  ['url("https://example.com/path").getScheme()', 'https'],
  ['url("https://example.com/path with spaces/").getEscapedPath()', '/path%20with%20spaces/'],
  ['url("https://example.com/?k=a&k=b&x=1").getQuery()', { k: ['a', 'b'], x: ['1'] }],
  ['url("/absolute-path").getScheme()', ''],
  ['isURL("https://example.com/")', true],
  ['isURL("not a url")', false],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
