import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageFunctions, imageNormalizeEntry } from './images.js';

const normalize = (image: string): unknown => imageFunctions[0]?.impl([image], {});

const cases: ReadonlyArray<readonly [string, string]> = [
  // kyverno.io docs example
  ['nginx', 'docker.io/nginx:latest'],
  ['nginx:1.25', 'docker.io/nginx:1.25'],
  ['bitnami/redis', 'docker.io/bitnami/redis:latest'],
  ['ghcr.io/kyverno/kyverno', 'ghcr.io/kyverno/kyverno:latest'],
  [
    'nginx:1.25@sha256:dead07b4d8ed7e29e98de0f4504d87e8880d4347859d839686a31da35a3b532f',
    'docker.io/nginx@sha256:dead07b4d8ed7e29e98de0f4504d87e8880d4347859d839686a31da35a3b532f',
  ],
];
for (const [image, expected] of cases) {
  test(`image_normalize(${image}) = ${expected}`, () => assert.equal(normalize(image), expected));
}

test('image_normalize follows the configured registry settings', () => {
  assert.equal(
    imageNormalizeEntry({ defaultRegistry: 'harbor.corp.org' }).impl(['nginx'], {}),
    'harbor.corp.org/nginx:latest',
  );
  assert.equal(imageNormalizeEntry({ mutateDefaultRegistry: false }).impl(['nginx'], {}), 'nginx:latest');
});

test('image_normalize rejects an unparsable reference', () => {
  assert.throws(() => normalize('++'), {
    message:
      "JMESPath function 'image_normalize': bad image: docker.io/++, defaultRegistry: docker.io, enableDefaultRegistryMutation: true: invalid reference format",
  });
});
