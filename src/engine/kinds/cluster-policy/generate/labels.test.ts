import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import { addCloneSourceLabels, addGeneratedLabels, groupVersion, labelsOf } from './labels.js';

describe('groupVersion', () => {
  const table: [string, { group: string; version: string }][] = [
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['networking.k8s.io/v1beta1', { group: 'networking.k8s.io', version: 'v1beta1' }],
    ['', { group: '', version: '' }],
  ];
  for (const [input, want] of table)
    it(`splits "${input}"`, () => assert.deepEqual(groupVersion(input), want));
});

describe('addGeneratedLabels', () => {
  it('adds policy and trigger identity and forces managed-by', () => {
    const obj: KubeObject = { metadata: { labels: { keep: 'me', 'app.kubernetes.io/managed-by': 'helm' } } };
    addGeneratedLabels(obj, {
      policyName: 'p',
      policyNamespace: 'ns',
      ruleName: 'r',
      trigger: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', namespace: 'web', uid: 'u1' },
      },
    });
    assert.deepEqual(obj.metadata?.labels, {
      keep: 'me',
      'app.kubernetes.io/managed-by': 'kyverno',
      'generate.kyverno.io/policy-name': 'p',
      'generate.kyverno.io/policy-namespace': 'ns',
      'generate.kyverno.io/rule-name': 'r',
      'generate.kyverno.io/trigger-version': 'v1',
      'generate.kyverno.io/trigger-group': 'apps',
      'generate.kyverno.io/trigger-kind': 'Deployment',
      'generate.kyverno.io/trigger-namespace': 'web',
      'generate.kyverno.io/trigger-uid': 'u1',
    });
  });

  it('creates metadata when the object has none', () => {
    const obj: KubeObject = {};
    addGeneratedLabels(obj, { policyName: 'p', policyNamespace: '', ruleName: 'r', trigger: {} });
    assert.equal(obj.metadata?.labels?.['generate.kyverno.io/trigger-uid'], '');
  });
});

describe('addCloneSourceLabels', () => {
  it('tags the copy with the clone-source marker and the source identity', () => {
    const source: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'd' },
    };
    const copy: KubeObject = { metadata: { labels: { n: 1 as unknown as string } } };
    addCloneSourceLabels(copy, source);
    assert.deepEqual(labelsOf(copy), {
      n: '1',
      'generate.kyverno.io/clone-source': '',
      'generate.kyverno.io/source-group': '',
      'generate.kyverno.io/source-version': 'v1',
      'generate.kyverno.io/source-kind': 'ConfigMap',
      'generate.kyverno.io/source-namespace': 'd',
      'generate.kyverno.io/source-name': 'c',
    });
  });

  it('adds the source uid when the source has one (read from the cluster)', () => {
    const source: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'd', uid: 'u-1' },
    };
    const copy: KubeObject = {};
    addCloneSourceLabels(copy, source);
    assert.equal(labelsOf(copy)['generate.kyverno.io/source-uid'], 'u-1');
  });
});
