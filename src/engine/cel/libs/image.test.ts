import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

const run = (expr: string) => compileCel(expr, { variables: [], kind: 'validating' }).evaluate({});
const digest = `sha256:${'a'.repeat(64)}`;

const cases: [string, unknown][] = [
  ['image("nginx:1.25").registry()', 'docker.io'],
  ['image("nginx:1.25").repository()', 'nginx'],
  ['image("ghcr.io/org/app:v1").registry()', 'ghcr.io'],
  ['image("ghcr.io/org/app:v1").repository()', 'org/app'],
  ['image("nginx").tag()', 'latest'],
  [`image("nginx@${digest}").containsDigest()`, true],
  [`image("nginx@${digest}").identifier()`, digest],
  ['image("nginx:1.25").identifier()', '1.25'],
  ['parseImageReference("busybox:1").tag()', '1'],
  ['isImage("nginx:1.25")', true],
  ['isImage("Not An Image")', false],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));
test('registry metadata is refused offline', () =>
  assert.throws(() => run('image.GetMetadata("nginx")'), /registry access/));
