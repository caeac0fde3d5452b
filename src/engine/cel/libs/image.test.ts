import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Ports } from '../../ports.js';
import { compileCel } from '../compile.js';

const run = (expr: string) =>
  compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports: {} });
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

describe('image.GetMetadata through the imageData port', () => {
  const data: Record<string, unknown> = {
    'ghcr.io/org/app:v1': { image: 'ghcr.io/org/app:v1', config: { created: '2020-05-01T03:15:12-07:00' } },
    'busybox:1.35': { image: 'busybox:1.35', config: { Volumes: [] } },
  };
  const ports: Ports = {
    imageData: {
      get: (ref) => (ref in data ? { ok: true, data: data[ref] } : { ok: false, error: `no ${ref}` }),
    },
  };
  const withPorts = (expr: string) =>
    compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports });
  const cases: [string, unknown][] = [
    ['image.GetMetadata("ghcr.io/org/app:v1").config.created', '2020-05-01T03:15:12-07:00'],
    // cel-go allows has() on a selection whose operand is a function call.
    ['has(image.GetMetadata("ghcr.io/org/app:v1").config.created)', true],
    ['has(image.GetMetadata("busybox:1.35").config.created)', false],
    ['has(image.GetMetadata("busybox:1.35").config.Volumes)', true],
    ['size(image.GetMetadata("busybox:1.35").config.?Volumes.orValue({})) == 0', true],
  ];
  for (const [expr, want] of cases) test(expr, () => assert.deepEqual(withPorts(expr), want));
  test('an unknown image is an evaluation error in Kyverno wording', () =>
    assert.throws(() => withPorts('image.GetMetadata("nginx")'), /failed to get image data: no nginx/));
});
