import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiGroupOf, classifyDocument } from './classify.js';

const cases = [
  [{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' }, 'kyverno-policy'],
  [{ apiVersion: 'kyverno.io/v1', kind: 'Policy' }, 'kyverno-policy'],
  [{ apiVersion: 'kyverno.io/v2beta1', kind: 'ClusterPolicy' }, 'kyverno-policy'],
  [{ apiVersion: 'kyverno.io/v2', kind: 'PolicyException' }, 'policy-exception'],
  [{ apiVersion: 'kyverno.io/v2beta1', kind: 'PolicyException' }, 'policy-exception'],
  [{ apiVersion: 'kyverno.io/v2', kind: 'ClusterCleanupPolicy' }, 'other'],
  [{ apiVersion: 'policies.kyverno.io/v1', kind: 'ValidatingPolicy' }, 'cel-policy'],
  [{ apiVersion: 'policies.kyverno.io/v1beta1', kind: 'NamespacedMutatingPolicy' }, 'cel-policy'],
  [{ apiVersion: 'policies.kyverno.io/v1', kind: 'PolicyException' }, 'cel-policy'],
  [{ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy' }, 'admission-policy'],
  [
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding' },
    'admission-policy',
  ],
  [
    { apiVersion: 'admissionregistration.k8s.io/v1beta1', kind: 'MutatingAdmissionPolicy' },
    'admission-policy',
  ],
  [{ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' }, 'other'],
  [{ apiVersion: 'v1', kind: 'Pod' }, 'other'],
  [{ kind: 'ClusterPolicy' }, 'other'],
  [null, 'other'],
  [[{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' }], 'other'],
  ['text', 'other'],
] as const;

for (const [doc, want] of cases) {
  test(`classifyDocument(${JSON.stringify(doc)}) = ${want}`, () => assert.equal(classifyDocument(doc), want));
}

test('apiGroupOf', () => {
  assert.equal(apiGroupOf('kyverno.io/v1'), 'kyverno.io');
  assert.equal(apiGroupOf('v1'), '');
});
