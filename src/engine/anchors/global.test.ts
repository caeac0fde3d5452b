// kyverno.io "Validate Rules" → Anchors → Global anchor `<(key)`; Kyverno Test_global_anchor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePattern } from '../pattern/validate-pattern.js';

// Docs example: images from a private registry require the matching imagePullSecret.
const pattern = {
  spec: {
    containers: [{ name: '*', '<(image)': 'someimagerepo/*' }],
    imagePullSecrets: [{ name: 'my-registry-secret' }],
  },
};
const pod = (images: string[], secret: string) => ({
  spec: {
    containers: images.map((image, i) => ({ name: `c${i}`, image })),
    imagePullSecrets: [{ name: secret }],
  },
});

const cases = [
  {
    name: 'image from the repo with the secret → pass',
    resource: pod(['someimagerepo/app:1'], 'my-registry-secret'),
    want: 'pass',
  },
  {
    name: 'image from the repo without the secret → fail',
    resource: pod(['someimagerepo/app:1'], 'other'),
    want: 'fail',
  },
  { name: 'no image from the repo → skip', resource: pod(['nginx'], 'other'), want: 'skip' },
  {
    name: 'one matching container is enough to apply the rule → fail',
    resource: pod(['nginx', 'someimagerepo/x'], 'other'),
    want: 'fail',
  },
  {
    name: 'key absent → satisfied (unlike a conditional anchor)',
    resource: { spec: { containers: [{ name: 'a' }], imagePullSecrets: [{ name: 'x' }] } },
    want: 'fail',
  },
] as const;

describe('global anchor <(key)', () => {
  for (const c of cases)
    test(c.name, () => assert.equal(validatePattern(c.resource, pattern).status, c.want));

  test('a global miss at the root skips the rule with the global message', () => {
    assert.deepEqual(
      validatePattern({ metadata: { name: 'web' } }, { metadata: { '<(name)': 'nginx' }, spec: { x: 1 } }),
      {
        status: 'skip',
        message:
          "global anchor mismatch: resource value 'web' does not match 'nginx' at path /metadata/name/",
      },
    );
  });

  test('global anchors are checked before sibling keys', () => {
    const p = { spec: { containers: [{ imagePullPolicy: '!Always', '<(image)': '*:latest' }] } };
    const r = { spec: { containers: [{ image: 'nginx:v1', imagePullPolicy: 'Always' }] } };
    assert.equal(validatePattern(r, p).status, 'skip');
  });
});
