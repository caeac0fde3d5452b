// verifyImages rules end to end through evaluatePolicy, from the examples of kyverno.io "Verify
// Images" (Sigstore page: a static key for ghcr.io/kyverno/test-verify-image:*, imageReferences and
// skipImageReferences, mutateDigest / verifyDigest / required, attestations with conditions,
// imageExtractors) and Kyverno's CLI suites test/images/{digest,secure-images}. Signatures are real
// (keys generated here) and reach the engine through the image-data port, as a Context file gives them.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  cosignSign,
  signedAttestation,
  simpleSigningPayload,
} from '../../../image-verify/testing/cert-builder.js';
import type { ImageVerificationData } from '../../../image-verify/types.js';
import type { KubeObject } from '../../../model/kube-object.js';
import type { ImageDataReader } from '../../../ports.js';
import type { EvaluationRequest } from '../../../request.js';
import { compilePolicy, type EvaluatePolicyOptions, evaluatePolicy } from '../evaluate-policy.js';
import type { KyvernoPolicy, Rule } from '../types.js';
import { VERIFY_IMAGES_ANNOTATION, VERIFY_IMAGES_SCOPED_ANNOTATION } from './metadata.js';

const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
const KEY = pem(signer.publicKey);
const OTHER_KEY = pem(stranger.publicKey);

const SIGNED = 'ghcr.io/kyverno/test-verify-image:signed';
const UNSIGNED = 'ghcr.io/kyverno/test-verify-image:unsigned';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const DIGEST2 = `sha256:${'cd'.repeat(32)}`;

function signature(reference: string, digest: string, key = signer.privateKey) {
  const payload = simpleSigningPayload(reference, digest);
  return { payload, signature: cosignSign(key, payload) };
}

/** A registry offline: what `cosign verify` would fetch for each image. */
const registryData: Record<string, ImageVerificationData> = {
  [SIGNED]: { digest: DIGEST, signatures: [signature(SIGNED, DIGEST)], attestations: [] },
  [UNSIGNED]: { digest: DIGEST2, signatures: [], attestations: [] },
  'ghcr.io/acme/scanned:v1': {
    digest: DIGEST,
    signatures: [signature('ghcr.io/acme/scanned:v1', DIGEST)],
    attestations: [
      signedAttestation(signer.privateKey, DIGEST, 'https://cosign.sigstore.dev/attestation/vuln/v1', {
        scanner: { result: { summary: { CRITICAL: 0 } } },
      }),
    ],
  },
};

const registry: ImageDataReader = {
  get: (ref) =>
    registryData[ref]
      ? { ok: true, data: { digest: registryData[ref].digest } }
      : { ok: false, error: `image data for ${ref} not found in the context` },
  verification: (ref) =>
    registryData[ref]
      ? { ok: true, data: registryData[ref] }
      : { ok: false, error: `image data for ${ref} not found in the context` },
};

const offlineKeys = {
  rekor: { ignoreTlog: true, url: 'https://rekor.sigstore.dev' },
  ctlog: { ignoreSCT: true },
};

function policy(rule: Partial<Rule>, name = 'check-image'): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
    spec: { rules: [{ name: 'check-image', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
  };
}

function pod(...images: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  };
}

function run(
  p: KyvernoPolicy,
  resource: KubeObject,
  extra: Partial<EvaluationRequest> = {},
  options: EvaluatePolicyOptions = {},
) {
  const compiled = compilePolicy(p);
  assert.ok(compiled.ok);
  return evaluatePolicy(
    compiled.value,
    { resource, operation: 'CREATE', ports: { imageData: registry }, ...extra },
    options,
  );
}

const summary = (r: ReturnType<typeof run>) => r.rules.map((x) => `${x.status}: ${x.message}`);

describe('verifyImages without attestors (Kyverno CLI suites test/images)', () => {
  const cases: { name: string; entry: Record<string, unknown>; image: string; want: string[] }[] = [
    {
      name: 'verifyDigest: an image without a digest fails (test/images/digest no-digest)',
      entry: { imageReferences: ['*'], mutateDigest: false, required: false, verifyDigest: true },
      image: 'nginx:latest',
      want: ['fail: missing digest for docker.io/nginx:latest'],
    },
    {
      name: 'verifyDigest: an image with a digest passes (test/images/digest with-digest)',
      entry: { imageReferences: ['*'], mutateDigest: false, required: false, verifyDigest: true },
      image: `nginx:latest@${DIGEST}`,
      want: ['pass: image verified'],
    },
    {
      name: 'required: an image no attestor verified fails (test/images/secure-images)',
      entry: { imageReferences: ['*'], mutateDigest: false, required: true, verifyDigest: false },
      image: 'ghcr.io/jimbugwadia/demo-java-tomcat:v0.0.15',
      want: ['fail: unverified image ghcr.io/jimbugwadia/demo-java-tomcat:v0.0.15'],
    },
    {
      name: 'an image no imageReferences pattern matches gives no result',
      entry: { imageReferences: ['ghcr.io/kyverno/*'], mutateDigest: false },
      image: 'nginx:latest',
      want: [],
    },
    {
      name: 'neither check: the rule has nothing to say',
      entry: { imageReferences: ['*'], mutateDigest: false, required: false, verifyDigest: false },
      image: 'nginx:latest',
      want: [],
    },
    {
      name: 'mutateDigest (the default) pins the tag to the digest the registry resolves',
      entry: { imageReferences: ['ghcr.io/kyverno/*'], required: false },
      image: SIGNED,
      want: ['pass: mutated image digest', 'pass: image verified'],
    },
    {
      name: 'mutateDigest without registry data is an error, never a silent pass',
      entry: { imageReferences: ['*'], required: false, verifyDigest: false },
      image: 'nginx:1.27',
      want: ['error: failed to update digest: image data for docker.io/nginx:1.27 not found in the context'],
    },
  ];
  for (const c of cases) {
    test(c.name, () =>
      assert.deepEqual(summary(run(policy({ verifyImages: [c.entry] }), pod(c.image))), c.want),
    );
  }
});

describe('verifyImages with a static key (kyverno.io Sigstore "check-image" example)', () => {
  const entry = (keys: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
    imageReferences: ['ghcr.io/kyverno/test-verify-image:*'],
    attestors: [{ entries: [{ keys }] }],
    ...more,
  });
  const cases: { name: string; entry: Record<string, unknown>; image: string; want: (string | RegExp)[] }[] =
    [
      {
        // Pinned, the image reads ghcr.io/kyverno/test-verify-image@sha256:…, which `:*` no longer
        // matches: as in Kyverno, the checks then have no image to look at and give no result.
        name: 'a signed image verifies and its tag is pinned',
        entry: entry({ publicKeys: KEY, ...offlineKeys }),
        image: SIGNED,
        want: [`pass: verified image signatures for ${SIGNED}`],
      },
      {
        name: 'a signed image verifies and the required check passes on the pinned image',
        entry: {
          ...entry({ publicKeys: KEY, ...offlineKeys }),
          imageReferences: ['ghcr.io/kyverno/test-verify-image*'],
        },
        image: SIGNED,
        want: [`pass: verified image signatures for ${SIGNED}`, 'pass: image verified'],
      },
      {
        name: 'an unsigned image fails verification and the required check',
        entry: entry({ publicKeys: KEY, ...offlineKeys }, { mutateDigest: false, verifyDigest: false }),
        image: UNSIGNED,
        want: [
          `fail: failed to verify image ${UNSIGNED}: .attestors[0].entries[0].keys: no signatures found`,
          `fail: unverified image ${UNSIGNED}`,
        ],
      },
      {
        name: 'a signature by another key fails',
        entry: entry({ publicKeys: OTHER_KEY, ...offlineKeys }, { mutateDigest: false, verifyDigest: false }),
        image: SIGNED,
        want: [
          /^fail: failed to verify image .*keys: no matching signatures: invalid signature$/,
          /^fail: unverified image/,
        ],
      },
      {
        name: 'the public Rekor log (no rekor.ignoreTlog) needs the network: a rule error',
        entry: entry({ publicKeys: KEY }, { mutateDigest: false, verifyDigest: false }),
        image: SIGNED,
        want: [
          /^error: failed to verify image .*transparency log.*needs network access/,
          /^fail: unverified image/,
        ],
      },
      {
        name: 'an image outside imageReferences is left alone',
        entry: entry({ publicKeys: KEY, ...offlineKeys }),
        image: 'nginx:latest',
        want: [],
      },
      {
        name: 'skipImageReferences: the image is skipped and counts as skipped for required',
        entry: entry(
          { publicKeys: KEY, ...offlineKeys },
          {
            skipImageReferences: ['ghcr.io/kyverno/test-verify-image:sig*'],
            mutateDigest: false,
            verifyDigest: false,
          },
        ),
        image: SIGNED,
        want: [
          `skip: skipping image reference image ${SIGNED}, policy check-image ruleName check-image`,
          `skip: image skipped, skipped images: ${SIGNED}`,
        ],
      },
      {
        name: 'count: 1 of two keys is enough',
        entry: {
          imageReferences: ['ghcr.io/*'],
          attestors: [
            {
              count: 1,
              entries: [
                { keys: { publicKeys: OTHER_KEY, ...offlineKeys } },
                { keys: { publicKeys: KEY, ...offlineKeys } },
              ],
            },
          ],
          mutateDigest: false,
          verifyDigest: false,
        },
        image: SIGNED,
        want: [`pass: verified image signatures for ${SIGNED}`, 'pass: image verified'],
      },
      {
        name: 'no count: every entry must verify',
        entry: {
          imageReferences: ['ghcr.io/*'],
          attestors: [
            {
              entries: [
                { keys: { publicKeys: OTHER_KEY, ...offlineKeys } },
                { keys: { publicKeys: KEY, ...offlineKeys } },
              ],
            },
          ],
          mutateDigest: false,
          verifyDigest: false,
        },
        image: SIGNED,
        want: [
          /^fail: failed to verify image .*\.attestors\[0\]\.entries\[0\]\.keys: no matching signatures/,
          /^fail: unverified image/,
        ],
      },
      {
        name: 'several PEM keys in publicKeys are one entry each (count 1)',
        entry: {
          imageReferences: ['ghcr.io/*'],
          attestors: [
            { count: 1, entries: [{ keys: { publicKeys: `${OTHER_KEY}\n${KEY}`, ...offlineKeys } }] },
          ],
          mutateDigest: false,
          verifyDigest: false,
        },
        image: SIGNED,
        want: [`pass: verified image signatures for ${SIGNED}`, 'pass: image verified'],
      },
      {
        name: 'the deprecated image/key fields are converted',
        entry: { image: 'ghcr.io/kyverno/*', key: KEY, mutateDigest: false, verifyDigest: false },
        image: SIGNED,
        want: [/^error: failed to verify image .*needs network access/, /^fail: unverified image/],
      },
    ];
  for (const c of cases) {
    test(c.name, () => {
      const got = summary(run(policy({ verifyImages: [c.entry] }), pod(c.image)));
      assert.equal(got.length, c.want.length, got.join('\n'));
      for (const [i, w] of c.want.entries()) {
        if (typeof w === 'string') assert.equal(got[i], w);
        else assert.match(got[i] ?? '', w);
      }
    });
  }

  test('verification pins the digest and records the result on the object', () => {
    const r = run(policy({ verifyImages: [entry({ publicKeys: KEY, ...offlineKeys })] }), pod(SIGNED));
    const patched = r.patchedResource as {
      spec: { containers: { image: string }[] };
      metadata: { annotations: Record<string, string> };
    };
    assert.equal(patched.spec.containers[0]?.image, `${SIGNED}@${DIGEST}`);
    const pinned = `ghcr.io/kyverno/test-verify-image@${DIGEST}`;
    assert.equal(
      patched.metadata.annotations[VERIFY_IMAGES_ANNOTATION],
      JSON.stringify({ [pinned]: 'pass' }),
    );
    assert.deepEqual(JSON.parse(patched.metadata.annotations[VERIFY_IMAGES_SCOPED_ANNOTATION] ?? ''), {
      version: 1,
      policies: { '/check-image': { 'check-image': { [pinned]: 'pass' } } },
    });
  });

  test('Notary entries are an error offline, never a pass', () => {
    const notary = {
      type: 'Notary',
      imageReferences: ['ghcr.io/*'],
      attestors: [{ entries: [{ certificates: { cert: 'x' } }] }],
      mutateDigest: false,
      verifyDigest: false,
    };
    const got = summary(run(policy({ verifyImages: [notary] }), pod(SIGNED)));
    assert.deepEqual(got, [
      `error: failed to verify image ${SIGNED}: Notary verification needs registry access and is not supported offline`,
      `fail: unverified image ${SIGNED}`,
    ]);
  });

  test('without an image-data port the signatures cannot be fetched: an error naming what is missing', () => {
    const r = run(
      policy({
        verifyImages: [
          entry({ publicKeys: KEY, ...offlineKeys }, { mutateDigest: false, verifyDigest: false }),
        ],
      }),
      pod(SIGNED),
      { ports: {} },
    );
    assert.equal(r.rules[0]?.status, 'error');
    assert.match(r.rules[0]?.message ?? '', /^failed to verify image .*needs registry access/);
  });

  test('the image-data port of the request wins over the ports (the CLI Context file)', () => {
    const r = run(
      policy({
        verifyImages: [
          entry({ publicKeys: KEY, ...offlineKeys }, { mutateDigest: false, verifyDigest: false }),
        ],
      }),
      pod(SIGNED),
      { ports: {}, imageRegistry: registry },
    );
    assert.equal(r.rules[0]?.status, 'pass');
  });

  test('options split the halves: verification only, then the checks only', () => {
    const p = policy({ verifyImages: [entry({ publicKeys: KEY, ...offlineKeys }, { mutateDigest: false })] });
    const verified = run(p, pod(SIGNED), {}, { imageChecks: false });
    assert.deepEqual(summary(verified), [`pass: verified image signatures for ${SIGNED}`]);
    const checked = run(p, verified.patchedResource, {}, { imageVerification: false });
    assert.deepEqual(summary(checked), [`fail: missing digest for ${SIGNED}`]);
  });
});

describe('verifyImages attestations (kyverno.io "Verifying Image Attestations")', () => {
  const attestation = (conditions: unknown[]) => ({
    imageReferences: ['ghcr.io/acme/*'],
    mutateDigest: false,
    verifyDigest: false,
    attestations: [
      {
        type: 'https://cosign.sigstore.dev/attestation/vuln/v1',
        attestors: [{ entries: [{ keys: { publicKeys: KEY, ...offlineKeys } }] }],
        conditions,
      },
    ],
  });
  test('conditions over the predicate hold', () => {
    const cond = [{ all: [{ key: '{{ scanner.result.summary.CRITICAL }}', operator: 'Equals', value: 0 }] }];
    assert.deepEqual(
      summary(run(policy({ verifyImages: [attestation(cond)] }), pod('ghcr.io/acme/scanned:v1'))),
      ['pass: verified image attestations for ghcr.io/acme/scanned@' + DIGEST, 'pass: image verified'],
    );
  });
  test('a false condition fails with the counts', () => {
    const cond = [
      { all: [{ key: '{{ scanner.result.summary.CRITICAL }}', operator: 'GreaterThan', value: 0 }] },
    ];
    const got = summary(run(policy({ verifyImages: [attestation(cond)] }), pod('ghcr.io/acme/scanned:v1')));
    assert.match(
      got[0] ?? '',
      /^fail: image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: .*attestation checks failed/,
    );
  });
  test('a type the image has no attestation of fails', () => {
    const a = attestation([]);
    a.attestations[0]!.type = 'https://slsa.dev/provenance/v0.2';
    const got = summary(run(policy({ verifyImages: [a] }), pod('ghcr.io/acme/scanned:v1')));
    assert.match(got[0] ?? '', /^fail: image attestations verification failed.*required predicate type/);
  });
});

describe('where images come from', () => {
  const entry = { imageReferences: ['*'], mutateDigest: false, required: false, verifyDigest: true };
  test('init and ephemeral containers are checked too', () => {
    const p: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'i', image: `busybox@${DIGEST}` }],
        containers: [{ name: 'c', image: `nginx@${DIGEST}` }],
        ephemeralContainers: [{ name: 'e', image: 'debug:1' }],
      },
    };
    assert.deepEqual(summary(run(policy({ verifyImages: [entry] }), p)), [
      'fail: missing digest for docker.io/debug:1',
    ]);
  });
  test('autogen: a Deployment is checked by the autogen-<rule> clone', () => {
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    };
    const r = run(policy({ verifyImages: [entry] }), d);
    assert.deepEqual(
      r.rules.map((x) => [x.name, x.status, x.message]),
      [['autogen-check-image', 'fail', 'missing digest for docker.io/nginx:1']],
    );
  });
  test('imageExtractors: a custom resource image, read with a JMESPath, is verified', () => {
    const dv: KubeObject = {
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: { name: 'dv' },
      spec: { source: { registry: { url: `docker://${SIGNED}` } } },
    };
    const p = policy({
      match: { any: [{ resources: { kinds: ['DataVolume'] } }] },
      imageExtractors: {
        DataVolume: [{ path: '/spec/source/registry/url', jmesPath: "trim_prefix(@, 'docker://')" }],
      },
      verifyImages: [
        {
          imageReferences: ['*'],
          attestors: [{ entries: [{ keys: { publicKeys: KEY, ...offlineKeys } }] }],
          mutateDigest: false,
          verifyDigest: false,
        },
      ],
    });
    // The checks read the standard Pod images only, so they pass with nothing to check (as in Kyverno).
    assert.deepEqual(summary(run(p, dv)), [
      `pass: verified image signatures for ${SIGNED}`,
      'pass: image verified',
    ]);
  });
  // Kyverno reads the standard images from the context, whose loader's error leaves none: the rule
  // does not apply. The rule's own imageExtractors report theirs (ExtractMatchingImages).
  const unreadable: [string, KubeObject][] = [
    ['an image that is not a reference', pod('UPPER/Case:1')],
    ['a pod spec that is a string', { ...pod(), spec: '1' as never }],
    ['a container that is a string', { ...pod(), spec: { containers: ['nginx'] as never } }],
  ];
  for (const [name, resource] of unreadable)
    test(`${name}: the standard images are none, no result`, () => {
      assert.deepEqual(summary(run(policy({ verifyImages: [entry] }), resource)), []);
    });
  test("an image the rule's imageExtractors read that is not a reference makes the rule an error", () => {
    const extractors = { Pod: [{ path: '/spec/containers/*/image' }] };
    const got = summary(
      run(policy({ imageExtractors: extractors, verifyImages: [entry] }), pod('UPPER/Case:1')),
    );
    assert.match(got[0] ?? '', /^error: failed to instantiate handler: invalid image 'UPPER\/Case:1'/);
  });
  test('DELETE requests are not checked', () => {
    const r = run(
      policy({ verifyImages: [entry] }),
      {},
      { operation: 'DELETE', oldResource: pod('nginx:1') },
    );
    assert.deepEqual(summary(r), []);
  });
});
