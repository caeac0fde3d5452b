// verifyImages rules in the admission pipeline (reference §6.1, §9.1): verification runs with the
// mutating phase (digest pinned, `kyverno.io/verify-images*` annotations in the patch), the
// verifyDigest / required checks in the validating phase on the mutated object; an Enforce entry
// blocks. In the `cli` profile a verifyImages-only policy used to report nothing (#13).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { cosignSign, simpleSigningPayload } from '../image-verify/testing/cert-builder.js';
import type { KubeObject } from '../model/kube-object.js';
import type { ImageDataReader } from '../ports.js';
import { admit } from './admit.js';
import { requestForObject } from './request.js';
import { admitCli, clusterPolicy, setOf } from './testdata/policies.js';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const IMAGE = 'ghcr.io/acme/app:v1';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const payload = simpleSigningPayload(IMAGE, DIGEST);
const registry: ImageDataReader = {
  get: (ref) => (ref === IMAGE ? { ok: true, data: { digest: DIGEST } } : { ok: false, error: 'not found' }),
  verification: (ref) =>
    ref === IMAGE
      ? {
          ok: true,
          data: {
            digest: DIGEST,
            signatures: [{ payload, signature: cosignSign(key.privateKey, payload) }],
            attestations: [],
          },
        }
      : { ok: false, error: `image data for ${ref} not found in the context` },
};

const podWith = (image: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app', namespace: 'default' },
  spec: { containers: [{ name: 'app', image }] },
});

const verifyPolicy = (action: 'Enforce' | 'Audit', entry: Record<string, unknown> = {}) =>
  clusterPolicy('verify-acme', {
    rules: [
      {
        name: 'signed',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        verifyImages: [
          {
            imageReferences: ['ghcr.io/acme/*'],
            failureAction: action,
            attestors: [
              {
                entries: [
                  {
                    keys: {
                      publicKeys: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
                      rekor: { ignoreTlog: true },
                    },
                  },
                ],
              },
            ],
            ...entry,
          },
        ],
      },
    ],
  });

describe('verifyImages in admission', () => {
  test('a signed image is admitted, pinned to its digest and annotated', async () => {
    const set = setOf(verifyPolicy('Enforce'));
    const outcome = await admit(set, requestForObject(podWith(IMAGE)), { ports: { imageData: registry } });
    assert.equal(outcome.allowed, true);
    const paths = outcome.patch.map((p) => p.path).sort();
    assert.ok(paths.includes('/spec/containers/0/image'), paths.join(','));
    assert.ok(
      paths.some((p) => p.startsWith('/metadata/annotations')),
      paths.join(','),
    );
    const object = outcome.patchedObject as { spec: { containers: { image: string }[] } };
    assert.equal(object.spec.containers[0]?.image, `${IMAGE}@${DIGEST}`);
    // Verification in the mutating phase, the checks in the validating one.
    assert.deepEqual(
      outcome.responses.map((r) => r.response.rules.map((x) => `${x.type} ${x.status}: ${x.message}`)),
      [[`ImageVerify pass: verified image signatures for ${IMAGE}`], ['ImageVerify pass: image verified']],
    );
  });

  test('an image with no known signatures is denied with the rule error when Enforce', async () => {
    const set = setOf(verifyPolicy('Enforce', { mutateDigest: false }));
    const outcome = await admit(set, requestForObject(podWith('ghcr.io/acme/other:v1')), {
      ports: { imageData: registry },
    });
    assert.equal(outcome.allowed, false);
    assert.match(outcome.message ?? '', /verify-acme:\n {2}signed: /);
    const failures = outcome.enforcedFailures.map((f) => `${f.status}: ${f.message}`);
    assert.ok(
      failures.some((f) => /^error: failed to verify image ghcr\.io\/acme\/other:v1/.test(f)),
      failures.join('\n'),
    );
  });

  test('Audit: the failure is reported, the request admitted', async () => {
    const set = setOf(verifyPolicy('Audit', { mutateDigest: false }));
    const outcome = await admit(set, requestForObject(podWith('ghcr.io/acme/other:v1')), {
      ports: { imageData: registry },
    });
    assert.equal(outcome.allowed, true);
    assert.ok(outcome.auditFailures.length > 0);
  });
});

describe('verifyImages in the cli profile', () => {
  test('a verifyImages-only policy reports its checks instead of nothing', async () => {
    const set = setOf(
      clusterPolicy('require-image-digest', {
        rules: [
          {
            name: 'check-digest',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            verifyImages: [{ imageReferences: ['*'], mutateDigest: false, required: false }],
          },
        ],
      }),
    );
    const outcome = await admitCli(set, podWith('nginx:latest'));
    assert.deepEqual(
      outcome.responses.flatMap((r) => r.response.rules.map((x) => `${x.status}: ${x.message}`)),
      ['fail: missing digest for docker.io/nginx:latest'],
    );
  });
});
