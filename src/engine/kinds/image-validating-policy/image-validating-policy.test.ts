import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  cosignSign,
  signedAttestation,
  simpleSigningPayload,
} from '../../image-verify/testing/cert-builder.js';
import type { ImageVerificationData } from '../../image-verify/types.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { Ports } from '../../ports.js';
import type { EvaluationRuntime } from '../../runtime.js';
import { loadImageValidatingPolicy } from '../cel-shared/load-cel-kinds.js';
import {
  compileImageValidatingPolicy,
  defaultImages,
  evaluateImageValidatingPolicy,
  evaluateImageValidatingPolicyDetailed,
  type ImageEvaluation,
  type ImageEvaluationOptions,
  type ImageValidatingPolicy,
  mutateImageDigests,
} from './image-validating-policy.js';

const ivpol = (spec: Partial<ImageValidatingPolicy['spec']> = {}): ImageValidatingPolicy => ({
  apiVersion: 'policies.kyverno.io/v1beta1',
  kind: 'ImageValidatingPolicy',
  metadata: { name: 'check-images' },
  spec: {
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    },
    matchImageReferences: [{ glob: 'ghcr.io/*' }],
    attestors: [],
    validations: [{ expression: "images.containers.all(i, i.contains('@sha256:'))", message: 'use digests' }],
    // Most cases check the validations on tag references: the digest check is off unless a case sets it.
    validationConfigurations: { verifyDigest: false },
    ...spec,
  },
});

const pod = (...images: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
});

const request = (o: KubeObject) => ({
  attributes: {
    group: '',
    version: 'v1',
    kind: 'Pod',
    resource: 'pods',
    subresource: '',
    namespace: 'default',
    name: 'p',
    operation: 'CREATE' as const,
    object: o,
    oldObject: null,
  },
  namespaceObject: null,
});

function evaluate(p: ImageValidatingPolicy, o: KubeObject) {
  const c = compileImageValidatingPolicy(p);
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return evaluateImageValidatingPolicy(
    c.value,
    {
      attributes: {
        group: '',
        version: 'v1',
        kind: 'Pod',
        resource: 'pods',
        subresource: '',
        namespace: 'default',
        name: 'p',
        operation: 'CREATE',
        object: o,
        oldObject: null,
      },
      namespaceObject: null,
    },
    { ports: {} },
  );
}

describe('ImageValidatingPolicy (offline)', () => {
  test('pass / fail over the images selected by matchImageReferences', () => {
    const ok = evaluate(ivpol(), pod('ghcr.io/a/b@sha256:abc', 'nginx:1'));
    assert.deepEqual(
      [ok?.status, ok?.message, ok?.name, ok?.type],
      ['pass', 'success', 'check-images', 'ImageVerify'],
    );
    const bad = evaluate(ivpol(), pod('ghcr.io/a/b:1.0'));
    assert.deepEqual([bad?.status, bad?.message], ['fail', 'use digests']);
  });

  // Kyverno (pkg/image/verification/evaluator/policy.go) evaluates the validations whatever the
  // references selected: the lists are empty, and a matched resource always has a result.
  const unselected: [string, Partial<ImageValidatingPolicy['spec']>, KubeObject, string][] = [
    ['an image no reference selects', {}, pod('docker.io/nginx:1'), 'pass'],
    ['no containers', {}, pod(), 'pass'],
    [
      'a validation that needs an image',
      { validations: [{ expression: 'size(images.containers) > 0', message: 'no image' }] },
      pod('docker.io/nginx:1'),
      'fail',
    ],
  ];
  for (const [name, spec, resource, status] of unselected) {
    test(`no image selected: ${name} → ${status}`, () => {
      assert.equal(evaluate(ivpol(spec), resource)?.status, status);
    });
  }

  test('CEL matchImageReferences and custom image extractors', () => {
    const p = ivpol({
      matchImageReferences: [{ expression: "ref.startsWith('quay.io/')" }],
      images: [{ name: 'all', expression: 'object.spec.containers.map(c, c.image)' }],
      validations: [{ expression: 'size(images.all) == 1' }],
    });
    assert.equal(evaluate(p, pod('quay.io/x:1', 'nginx'))?.status, 'pass');
  });

  // Kyverno's CRD requires both (its CLI drops such a document: `spec.attestors: Required value`).
  const required: [string, Record<string, unknown>, string | undefined][] = [
    ['both present', {}, undefined],
    ['an empty attestors list', { attestors: [] }, undefined],
    ['no attestors', { attestors: undefined }, 'spec.attestors'],
    ['no validations', { validations: undefined }, 'spec.validations'],
  ];
  for (const [name, spec, missing] of required) {
    test(`load: ${name}`, () => {
      const doc = ivpol(spec as Partial<ImageValidatingPolicy['spec']>);
      doc.spec = Object.fromEntries(
        Object.entries(doc.spec).filter(([, v]) => v !== undefined),
      ) as ImageValidatingPolicy['spec'];
      const r = loadImageValidatingPolicy(doc);
      if (missing === undefined) assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => i.message).join('\n'));
      else {
        assert.equal(r.ok, false);
        if (!r.ok)
          assert.ok(r.issues.some((i) => i.code === 'policy/missing-field' && i.path?.join('.') === missing));
      }
    });
  }

  test('signature verification is an evaluation error offline', () => {
    const p = ivpol({
      attestors: [{ name: 'notary', notary: { certs: { value: 'x' } } }],
      validations: [
        { expression: 'images.containers.all(i, verifyImageSignatures(i, [attestors.notary]) > 0)' },
      ],
    });
    const r = evaluate(p, pod('ghcr.io/a/b:1'));
    assert.equal(r?.status, 'error');
    assert.match(r?.message ?? '', /registry access/);
  });

  test('defaultImages reads Pods and pod controller templates', () => {
    const deploy: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ image: 'a' }], initContainers: [{ image: 'b' }] } } },
    };
    assert.deepEqual(defaultImages(deploy), {
      containers: ['a'],
      initContainers: ['b'],
      ephemeralContainers: [],
    });
    assert.ok(loadImageValidatingPolicy(ivpol()).ok);
  });
});

// Offline image data: one signed image (signature + SBOM attestation) and one unsigned image.
const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (k: typeof signer.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();
const SIGNED = 'ghcr.io/acme/app:v1';
const UNSIGNED = 'ghcr.io/acme/other:v2';
const DIGEST = `sha256:${'12'.repeat(32)}`;
const DIGEST2 = `sha256:${'34'.repeat(32)}`;
const payload = simpleSigningPayload(SIGNED, DIGEST);
const sbom = { bomFormat: 'CycloneDX', components: [{ name: 'openssl' }] };
const material: Record<string, ImageVerificationData & { meta: Record<string, unknown> }> = {
  [SIGNED]: {
    digest: DIGEST,
    signatures: [{ payload, signature: cosignSign(signer.privateKey, payload) }],
    attestations: [signedAttestation(signer.privateKey, DIGEST, 'https://cyclonedx.org/bom', sbom)],
    meta: { image: SIGNED, digest: DIGEST, config: { config: { User: '1000' } } },
  },
  [UNSIGNED]: {
    digest: DIGEST2,
    signatures: [],
    attestations: [],
    meta: { image: UNSIGNED, digest: DIGEST2 },
  },
};
const ports: Ports = {
  clock: { now: () => new Date('2025-06-01T00:00:00Z') },
  imageData: {
    get: (ref) => {
      const m = material[ref];
      return m === undefined ? { ok: false, error: `${ref} not found` } : { ok: true, data: m.meta };
    },
    verification: (ref) => {
      const m = material[ref];
      return m === undefined ? { ok: false, error: `${ref} not found` } : { ok: true, data: m };
    },
  },
};

const keyAttestor = (publicKey = pem(signer.publicKey), ctlog: object = { insecureIgnoreTlog: true }) => ({
  name: 'key',
  cosign: { key: { data: publicKey }, ctlog },
});

function run(
  spec: Partial<ImageValidatingPolicy['spec']>,
  o: KubeObject,
  options: ImageEvaluationOptions = {},
  withPorts: Ports = ports,
) {
  const c = compileImageValidatingPolicy(ivpol(spec));
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return evaluateImageValidatingPolicyDetailed(c.value, request(o), { ports: withPorts }, options);
}

const VERIFY = 'images.containers.map(i, verifyImageSignatures(i, [attestors.key])).all(n, n > 0)';

describe('ImageValidatingPolicy verification on offline data', () => {
  const cases: {
    name: string;
    spec: Partial<ImageValidatingPolicy['spec']>;
    images: string[];
    status: string;
    message?: RegExp;
  }[] = [
    {
      name: 'signed image, right key → pass',
      spec: { attestors: [keyAttestor()], validations: [{ expression: VERIFY, message: 'unsigned' }] },
      images: [SIGNED],
      status: 'pass',
    },
    {
      name: 'unsigned image → fail with the validation message',
      spec: { attestors: [keyAttestor()], validations: [{ expression: VERIFY, message: 'unsigned' }] },
      images: [SIGNED, UNSIGNED],
      status: 'fail',
      message: /^unsigned$/,
    },
    {
      name: 'wrong key → fail',
      spec: {
        attestors: [keyAttestor(pem(stranger.publicKey))],
        validations: [{ expression: VERIFY, message: 'bad key' }],
      },
      images: [SIGNED],
      status: 'fail',
      message: /^bad key$/,
    },
    {
      name: 'count of verified attestors',
      spec: {
        attestors: [keyAttestor(), { ...keyAttestor(pem(stranger.publicKey)), name: 'other' }],
        validations: [
          { expression: `verifyImageSignatures('${SIGNED}', [attestors.key, attestors.other]) == 1` },
        ],
      },
      images: [SIGNED],
      status: 'pass',
    },
    {
      name: 'image outside matchImageReferences counts zero',
      spec: {
        attestors: [keyAttestor()],
        validations: [
          { expression: "verifyImageSignatures('docker.io/library/nginx:1', [attestors.key]) == 0" },
        ],
      },
      images: [SIGNED],
      status: 'pass',
    },
    {
      name: 'transparency log not waived → error naming the check',
      spec: { attestors: [keyAttestor(undefined, {})], validations: [{ expression: VERIFY }] },
      images: [SIGNED],
      status: 'error',
      message: /transparency log .* needs network access; set ctlog\.insecureIgnoreTlog/,
    },
    {
      name: 'attestation verified, then its predicate extracted',
      spec: {
        attestors: [keyAttestor()],
        attestations: [{ name: 'sbom', intoto: { type: 'https://cyclonedx.org/bom' } }],
        validations: [
          {
            expression:
              'images.containers.map(i, verifyAttestationSignatures(i, attestations.sbom, [attestors.key])).all(n, n > 0)',
            message: 'no sbom',
          },
          {
            expression:
              "images.containers.all(i, extractPayload(i, attestations.sbom).bomFormat == 'CycloneDX')",
            message: 'not cyclonedx',
          },
        ],
      },
      images: [SIGNED],
      status: 'pass',
    },
    {
      name: 'extractPayload before verification → error',
      spec: {
        attestations: [{ name: 'sbom', intoto: { type: 'cyclonedx' } }],
        validations: [
          { expression: "extractPayload(images.containers[0], attestations.sbom).bomFormat == 'x'" },
        ],
      },
      images: [SIGNED],
      status: 'error',
      message: /was not verified; call verifyAttestationSignatures first/,
    },
    {
      name: 'attestation of another predicate type → fail',
      spec: {
        attestors: [keyAttestor()],
        attestations: [{ name: 'prov', intoto: { type: 'slsaprovenance' } }],
        validations: [
          {
            expression:
              'verifyAttestationSignatures(images.containers[0], attestations.prov, [attestors.key]) > 0',
            message: 'no provenance',
          },
        ],
      },
      images: [SIGNED],
      status: 'fail',
      message: /no provenance/,
    },
    {
      name: 'attestor key from a CEL expression',
      spec: {
        attestors: [
          {
            name: 'key',
            cosign: {
              key: { expression: JSON.stringify(pem(signer.publicKey)) },
              ctlog: { insecureIgnoreTlog: true },
            },
          },
        ],
        validations: [{ expression: VERIFY }],
      },
      images: [SIGNED],
      status: 'pass',
    },
    {
      name: 'getImageData returns the metadata',
      spec: {
        validations: [{ expression: "getImageData(images.containers[0]).config.config.User == '1000'" }],
      },
      images: [SIGNED],
      status: 'pass',
    },
    {
      name: 'notary attestors are refused offline',
      spec: {
        attestors: [{ name: 'key', notary: { certs: { value: 'x' } } }],
        validations: [{ expression: VERIFY }],
      },
      images: [SIGNED],
      status: 'error',
      message: /Notary verification is not supported offline/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = run(c.spec, pod(...c.images));
      assert.equal(out.rule?.status, c.status, out.rule?.message);
      if (c.message !== undefined) assert.match(out.rule?.message ?? '', c.message);
    });
  }

  test('verifications and failures are reported', () => {
    const out = run(
      { attestors: [keyAttestor()], validations: [{ expression: `${VERIFY} || true` }] },
      pod(SIGNED, UNSIGNED),
    );
    assert.deepEqual(
      [...out.verifications],
      [
        [SIGNED, true],
        [UNSIGNED, false],
      ],
    );
    assert.deepEqual(out.matchedImages, [SIGNED, UNSIGNED]);
    assert.match(out.failures.join('\n'), /key: no signatures found/);
  });
});

// A compiled policy holds no ports: each evaluation verifies against the image data it is given.
describe('ImageValidatingPolicy: image data comes with each evaluation', () => {
  const compiled = compileImageValidatingPolicy(
    ivpol({ attestors: [keyAttestor()], validations: [{ expression: VERIFY, message: 'not signed' }] }),
  );
  assert.ok(compiled.ok);
  /** The offline data with SIGNED's signatures removed; `onRead` runs inside each verification read. */
  const stripped = (onRead: () => void = () => {}): EvaluationRuntime => ({
    ports: {
      imageData: {
        get: (ref) => ({ ok: true, data: material[ref]?.meta ?? {} }),
        verification: (ref) => {
          onRead();
          const m = material[ref];
          return m === undefined
            ? { ok: false, error: 'not found' }
            : { ok: true, data: { ...m, signatures: [] } };
        },
      },
    },
  });
  const signed: EvaluationRuntime = { ports };
  const verdict = (e: ImageEvaluation) => [e.rule?.status, [...e.verifications]];

  test('the same compiled policy, evaluated with two image data ports, answers each', () => {
    const o = request(pod(SIGNED));
    assert.deepEqual(verdict(evaluateImageValidatingPolicyDetailed(compiled.value, o, signed)), [
      'pass',
      [[SIGNED, true]],
    ]);
    assert.deepEqual(verdict(evaluateImageValidatingPolicyDetailed(compiled.value, o, stripped())), [
      'fail',
      [[SIGNED, false]],
    ]);
    assert.deepEqual(verdict(evaluateImageValidatingPolicyDetailed(compiled.value, o, signed)), [
      'pass',
      [[SIGNED, true]],
    ]);
  });

  test('an evaluation inside another port callback keeps its own session and ports', () => {
    const o = request(pod(SIGNED, SIGNED));
    const nested: ImageEvaluation[] = [];
    const outer = stripped(() => {
      if (nested.length === 0) nested.push(evaluateImageValidatingPolicyDetailed(compiled.value, o, signed));
    });
    assert.deepEqual(verdict(evaluateImageValidatingPolicyDetailed(compiled.value, o, outer)), [
      'fail',
      [[SIGNED, false]],
    ]);
    assert.deepEqual(verdict(nested[0]!), ['pass', [[SIGNED, true]]]);
  });
});

describe('ImageValidatingPolicy validationConfigurations', () => {
  const verify = { attestors: [keyAttestor()], validations: [{ expression: 'true' }] };
  const on = { validationConfigurations: true };
  test('verifyDigest (default true) fails tag references before the validations', () => {
    const out = run(
      { ...verify, validations: [{ expression: VERIFY }], validationConfigurations: {} },
      pod(SIGNED),
      on,
    );
    assert.deepEqual(
      [out.rule?.status, out.rule?.message],
      ['fail', `image ${SIGNED} does not have a digest`],
    );
    const off = run(
      { ...verify, validations: [{ expression: VERIFY }], validationConfigurations: { verifyDigest: false } },
      pod(SIGNED),
      on,
    );
    assert.equal(off.rule?.status, 'pass');
  });
  test('required (default true): matched images must have been verified', () => {
    const cfg = { verifyDigest: false };
    const none = run({ ...verify, validationConfigurations: cfg }, pod(SIGNED), on);
    assert.deepEqual(
      [none.rule?.status, none.rule?.message],
      ['fail', `image ${SIGNED} is not verified: no policy performed a signature or attestation check on it`],
    );
    const failed = run(
      { ...verify, validationConfigurations: cfg, validations: [{ expression: `${VERIFY} || true` }] },
      pod(UNSIGNED),
      on,
    );
    assert.equal(failed.rule?.message, `image ${UNSIGNED} failed signature or attestation verification`);
    const shared = new Map([[SIGNED, true]]);
    const byOther = run({ ...verify, validationConfigurations: cfg }, pod(SIGNED), {
      ...on,
      verifications: shared,
    });
    assert.equal(byOther.rule?.status, 'pass');
    const notRequired = run(
      { ...verify, validationConfigurations: { ...cfg, required: false } },
      pod(SIGNED),
      on,
    );
    assert.equal(notRequired.rule?.status, 'pass');
  });
  // Kyverno's evaluation checks digests (compiledPolicy.checkDigests); `required` is the webhook's.
  test('the CLI default checks verifyDigest, not required', () => {
    const cases: [string, object, string, string][] = [
      ['verifyDigest by default', {}, SIGNED, `fail:image ${SIGNED} does not have a digest`],
      ['a digest reference', {}, `${SIGNED}@${DIGEST}`, 'pass:success'],
      ['verifyDigest false, required not enforced', { verifyDigest: false }, SIGNED, 'pass:success'],
    ];
    for (const [what, cfg, image, want] of cases) {
      const out = run({ ...verify, validationConfigurations: cfg }, pod(image));
      assert.equal(`${out.rule?.status}:${out.rule?.message}`, want, what);
    }
  });
});

describe('mutateImageDigests', () => {
  const compile = (spec: Partial<ImageValidatingPolicy['spec']> = {}) => {
    const c = compileImageValidatingPolicy(ivpol({ validations: [{ expression: 'true' }], ...spec }));
    assert.ok(c.ok);
    return c.value;
  };
  test('pins matched tags to their digests, leaving digests and unmatched images alone', () => {
    const o: KubeObject = {
      ...pod(SIGNED, `ghcr.io/acme/pinned@${DIGEST}`, 'nginx:1'),
      spec: {
        containers: [
          { name: 'a', image: SIGNED },
          { name: 'b', image: `ghcr.io/acme/pinned@${DIGEST}` },
          { name: 'c', image: 'nginx:1' },
        ],
        initContainers: [{ name: 'i', image: UNSIGNED }],
      },
    };
    const out = mutateImageDigests(compile(), request(o), { ports });
    assert.deepEqual(out.patches, [
      { op: 'replace', path: '/spec/containers/0/image', value: `${SIGNED}@${DIGEST}` },
      { op: 'replace', path: '/spec/initContainers/0/image', value: `${UNSIGNED}@${DIGEST2}` },
    ]);
    const spec = out.patched?.spec as { containers: { image: string }[] };
    assert.equal(spec.containers[0]?.image, `${SIGNED}@${DIGEST}`);
    assert.equal((o.spec as { containers: { image: string }[] }).containers[0]?.image, SIGNED);
    assert.equal(out.rule, undefined);
  });
  test('pod controller templates are patched at their own path', () => {
    const deploy: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { template: { spec: { containers: [{ name: 'a', image: SIGNED }] } } },
    };
    const c = compile({
      matchConstraints: {
        resourceRules: [
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
        ],
      },
    });
    const input = request(deploy);
    const out = mutateImageDigests(
      c,
      {
        ...input,
        attributes: {
          ...input.attributes,
          group: 'apps',
          kind: 'Deployment',
          resource: 'deployments',
          name: 'd',
        },
      },
      { ports },
    );
    assert.deepEqual(out.patches, [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: `${SIGNED}@${DIGEST}` },
    ]);
  });
  test('an unresolvable image is an error; the others keep their patch', () => {
    const out = mutateImageDigests(compile(), request(pod('ghcr.io/acme/unknown:1', SIGNED)), { ports });
    assert.equal(out.patches.length, 1);
    assert.equal(out.rule?.status, 'error');
    assert.equal(out.rule?.name, 'mutateDigest');
    assert.match(
      out.rule?.message ?? '',
      /^failed to update digest: failed to resolve digest for image ghcr\.io\/acme\/unknown:1/,
    );
  });
  test('mutateDigest: false and unmatched requests do nothing', () => {
    assert.deepEqual(
      mutateImageDigests(
        compile({ validationConfigurations: { mutateDigest: false } }),
        request(pod(SIGNED)),
        { ports },
      ),
      {
        patches: [],
      },
    );
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };
    const input = request(svc);
    assert.deepEqual(
      mutateImageDigests(
        compile(),
        {
          ...input,
          attributes: { ...input.attributes, kind: 'Service', resource: 'services' },
        },
        { ports },
      ),
      { patches: [] },
    );
  });
});
