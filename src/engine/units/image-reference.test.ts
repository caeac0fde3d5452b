import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ImageInfo, parseImageReference, parseImageReferenceDetailed } from './image-reference.js';

const DIGEST = 'sha256:dead07b4d8ed7e29e98de0f4504d87e8880d4347859d839686a31da35a3b532f';

// From Kyverno's pkg/utils/image/infos_test.go, plus reference/referenceWithTag.
const cases: ReadonlyArray<
  readonly [string, { defaultRegistry?: string; mutateDefaultRegistry?: boolean }, ImageInfo]
> = [
  [
    'nginx',
    {},
    {
      registry: 'docker.io',
      name: 'nginx',
      path: 'nginx',
      tag: 'latest',
      digest: '',
      reference: 'docker.io/nginx:latest',
      referenceWithTag: 'docker.io/nginx:latest',
    },
  ],
  [
    'nginx:v10.3',
    {},
    {
      registry: 'docker.io',
      name: 'nginx',
      path: 'nginx',
      tag: 'v10.3',
      digest: '',
      reference: 'docker.io/nginx:v10.3',
      referenceWithTag: 'docker.io/nginx:v10.3',
    },
  ],
  [
    'docker.io/test/nginx:v10.3',
    {},
    {
      registry: 'docker.io',
      name: 'nginx',
      path: 'test/nginx',
      tag: 'v10.3',
      digest: '',
      reference: 'docker.io/test/nginx:v10.3',
      referenceWithTag: 'docker.io/test/nginx:v10.3',
    },
  ],
  [
    'localhost:4443/test/nginx',
    {},
    {
      registry: 'localhost:4443',
      name: 'nginx',
      path: 'test/nginx',
      tag: 'latest',
      digest: '',
      reference: 'localhost:4443/test/nginx:latest',
      referenceWithTag: 'localhost:4443/test/nginx:latest',
    },
  ],
  [
    `docker.io/test/centos@${DIGEST}`,
    {},
    {
      registry: 'docker.io',
      name: 'centos',
      path: 'test/centos',
      tag: '',
      digest: DIGEST,
      reference: `docker.io/test/centos@${DIGEST}`,
      referenceWithTag: 'docker.io/test/centos:',
    },
  ],
  [
    'test/nginx',
    { defaultRegistry: 'gcr.io' },
    {
      registry: 'gcr.io',
      name: 'nginx',
      path: 'test/nginx',
      tag: 'latest',
      digest: '',
      reference: 'gcr.io/test/nginx:latest',
      referenceWithTag: 'gcr.io/test/nginx:latest',
    },
  ],
  [
    'test/nginx',
    { defaultRegistry: 'gcr.io', mutateDefaultRegistry: false },
    {
      registry: '',
      name: 'nginx',
      path: 'test/nginx',
      tag: 'latest',
      digest: '',
      reference: 'test/nginx:latest',
      referenceWithTag: 'test/nginx:latest',
    },
  ],
  [
    'myregistry.org/test/nginx:v10.3',
    { mutateDefaultRegistry: false },
    {
      registry: 'myregistry.org',
      name: 'nginx',
      path: 'test/nginx',
      tag: 'v10.3',
      digest: '',
      reference: 'myregistry.org/test/nginx:v10.3',
      referenceWithTag: 'myregistry.org/test/nginx:v10.3',
    },
  ],
  [
    'localhost/netd:v0.4.4-gke.0',
    {},
    {
      registry: 'localhost',
      name: 'netd',
      path: 'netd',
      tag: 'v0.4.4-gke.0',
      digest: '',
      reference: 'localhost/netd:v0.4.4-gke.0',
      referenceWithTag: 'localhost/netd:v0.4.4-gke.0',
    },
  ],
  [
    `ghcr.io/kyverno/kyverno:v1.12.0@${DIGEST}`,
    {},
    {
      registry: 'ghcr.io',
      name: 'kyverno',
      path: 'kyverno/kyverno',
      tag: 'v1.12.0',
      digest: DIGEST,
      reference: `ghcr.io/kyverno/kyverno@${DIGEST}`,
      referenceWithTag: 'ghcr.io/kyverno/kyverno:v1.12.0',
    },
  ],
  [
    '[::1]:5000/app/web:1',
    {},
    {
      registry: '[::1]:5000',
      name: 'web',
      path: 'app/web',
      tag: '1',
      digest: '',
      reference: '[::1]:5000/app/web:1',
      referenceWithTag: '[::1]:5000/app/web:1',
    },
  ],
];

for (const [image, options, expected] of cases) {
  test(`parseImageReference(${image}, ${JSON.stringify(options)})`, () => {
    assert.deepEqual(parseImageReference(image, options), expected);
  });
}

const invalid: ReadonlyArray<readonly [string, string]> = [
  ['++', 'invalid reference format'],
  ['', 'invalid reference format'],
  ['NGINX', 'invalid reference format: repository name must be lowercase'],
  ['nginx@sha256:abc', 'invalid reference format'],
  [`nginx@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
  [`nginx@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
  ['nginx:bad tag', 'invalid reference format'],
  ['registry.io/-bad/x', 'invalid reference format'],
  [`a/${'b'.repeat(260)}`, 'repository name must not be more than 255 characters'],
];
for (const [image, reason] of invalid) {
  test(`parseImageReference rejects ${JSON.stringify(image.slice(0, 40))}`, () => {
    assert.equal(parseImageReference(image), undefined);
    const detailed = parseImageReferenceDetailed(image);
    assert.equal(detailed.ok, false);
    assert.ok(!detailed.ok && detailed.error.endsWith(`: ${reason}`), !detailed.ok ? detailed.error : '');
    assert.ok(!detailed.ok && detailed.error.startsWith('bad image: '));
  });
}
