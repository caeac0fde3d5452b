import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyPolicyDocument } from './policies.js';

describe('classifyPolicyDocument', () => {
  const doc = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x' } });
  const cases = [
    [doc('policies.kyverno.io/v1alpha1', 'ValidatingPolicy'), 'validating-policy'],
    [doc('policies.kyverno.io/v1', 'NamespacedValidatingPolicy'), 'validating-policy'],
    [doc('policies.kyverno.io/v1beta1', 'PolicyException'), 'cel-exception'],
    [doc('kyverno.io/v2', 'PolicyException'), 'kyverno-exception'],
    [doc('policies.kyverno.io/v1', 'MutatingPolicy'), 'mutating-policy'],
  ] as const;
  for (const [d, want] of cases)
    test(`${d.apiVersion} ${d.kind}`, () => assert.equal(classifyPolicyDocument(d), want));
});
