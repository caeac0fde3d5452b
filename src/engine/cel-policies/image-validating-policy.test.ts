import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../policy/types.js';
import {
  compileImageValidatingPolicy,
  defaultImages,
  evaluateImageValidatingPolicy,
  type ImageValidatingPolicy,
} from './image-validating-policy.js';
import { loadImageValidatingPolicy } from './load-cel-kinds.js';

const ivpol = (spec: Partial<ImageValidatingPolicy['spec']> = {}): ImageValidatingPolicy => ({
  apiVersion: 'policies.kyverno.io/v1beta1',
  kind: 'ImageValidatingPolicy',
  metadata: { name: 'check-images' },
  spec: {
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    },
    matchImageReferences: [{ glob: 'ghcr.io/*' }],
    validations: [{ expression: "images.containers.all(i, i.contains('@sha256:'))", message: 'use digests' }],
    ...spec,
  },
});

const pod = (...images: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
});

function evaluate(p: ImageValidatingPolicy, o: KubeObject) {
  const c = compileImageValidatingPolicy(p);
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return evaluateImageValidatingPolicy(c.value, {
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
  });
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

  test('no image selected → no result', () => {
    assert.equal(evaluate(ivpol(), pod('docker.io/nginx:1')), undefined);
  });

  test('CEL matchImageReferences and custom image extractors', () => {
    const p = ivpol({
      matchImageReferences: [{ expression: "ref.startsWith('quay.io/')" }],
      images: [{ name: 'all', expression: 'object.spec.containers.map(c, c.image)' }],
      validations: [{ expression: 'size(images.all) == 1' }],
    });
    assert.equal(evaluate(p, pod('quay.io/x:1', 'nginx'))?.status, 'pass');
  });

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
