// Kyverno's ImageVerification.Validate cases (api/kyverno/v1/image_verification_types.go) as
// diagnostics at the entry's path.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkVerifyImages } from './policy-checks.js';

const KEY = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----';

function check(entry: Record<string, unknown>, policyAction?: string) {
  return checkVerifyImages({ verifyImages: [entry] }, ['spec', 'rules', 0], policyAction).map(
    (d) => `${d.path.join('.')}: ${d.message}`,
  );
}

describe('verifyImages entries', () => {
  const cases: { name: string; entry: Record<string, unknown>; action?: string; want: string[] }[] = [
    {
      name: 'Enforce with the defaults is valid',
      entry: { imageReferences: ['*'], failureAction: 'Enforce' },
      want: [],
    },
    {
      name: 'Audit (the default action) needs mutateDigest: false',
      entry: { imageReferences: ['*'] },
      want: [
        'spec.rules.0.verifyImages.0.mutateDigest: mutateDigest must be set to false for ‘Audit’ failure action',
      ],
    },
    {
      name: 'the policy-wide Enforce allows mutateDigest',
      entry: { imageReferences: ['*'] },
      action: 'Enforce',
      want: [],
    },
    {
      name: 'an entry Audit wins over the policy Enforce',
      entry: { imageReferences: ['*'], failureAction: 'Audit', mutateDigest: true },
      action: 'Enforce',
      want: [
        'spec.rules.0.verifyImages.0.mutateDigest: mutateDigest must be set to false for ‘Audit’ failure action',
      ],
    },
    {
      name: 'an image reference is required (the deprecated image counts)',
      entry: { failureAction: 'Enforce' },
      want: ['spec.rules.0.verifyImages.0: An image reference is required'],
    },
    {
      name: 'deprecated image is a reference',
      entry: { image: 'ghcr.io/*', key: KEY, failureAction: 'Enforce' },
      want: [],
    },
    {
      name: 'attestor sets need entries, a count within them and one kind per entry',
      entry: {
        imageReferences: ['*'],
        failureAction: 'Enforce',
        attestors: [
          { count: 2, entries: [{ keys: { publicKeys: KEY }, keyless: { roots: 'x' } }] },
          { entries: [] },
        ],
      },
      want: [
        'spec.rules.0.verifyImages.0.attestors.0.count: Count cannot exceed length of entries',
        'spec.rules.0.verifyImages.0.attestors.0.entries.0: keys, certificates, keyless, or a nested attestor is required',
        'spec.rules.0.verifyImages.0.attestors.1: An entry is required',
      ],
    },
    {
      name: 'keys, certificates and keyless need their material',
      entry: {
        imageReferences: ['*'],
        failureAction: 'Enforce',
        attestors: [
          {
            entries: [
              { keys: { signatureAlgorithm: 'sha256' } },
              { keys: { publicKeys: KEY, signatureAlgorithm: 'md5' } },
              { certificates: {} },
              { keyless: { issuer: 'https://issuer' } },
              { keyless: { rekor: {} } },
            ],
          },
        ],
      },
      want: [
        'spec.rules.0.verifyImages.0.attestors.0.entries.0.keys: A public key, kms key or secret is required',
        'spec.rules.0.verifyImages.0.attestors.0.entries.1.keys: Invalid signature algorithm provided',
        'spec.rules.0.verifyImages.0.attestors.0.entries.2.certificates: cert or certChain required',
        'spec.rules.0.verifyImages.0.attestors.0.entries.3.keyless: Either Rekor URL or roots are required',
        'spec.rules.0.verifyImages.0.attestors.0.entries.4.keyless: An URL is required',
      ],
    },
    {
      name: 'Notary takes certificates only',
      entry: {
        type: 'Notary',
        imageReferences: ['*'],
        failureAction: 'Enforce',
        attestors: [{ entries: [{ keys: { publicKeys: KEY } }] }],
      },
      want: ['spec.rules.0.verifyImages.0.attestors.0.entries.0: Keys field is not allowed for type notary'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(check(c.entry, c.action), c.want));
});
