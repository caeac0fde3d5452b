import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../engine/index.js';
import {
  asStored,
  cloneSourceOf,
  covers,
  downstreamSelector,
  forApply,
  generatedBy,
  generatedByGeneratingPolicy,
  generatingPolicyLabels,
  triggerOf,
} from './downstream.js';

const labels = {
  'app.kubernetes.io/managed-by': 'kyverno',
  'generate.kyverno.io/policy-name': 'p',
  'generate.kyverno.io/policy-namespace': '',
  'generate.kyverno.io/rule-name': 'r',
  'generate.kyverno.io/trigger-group': '',
  'generate.kyverno.io/trigger-version': 'v1',
  'generate.kyverno.io/trigger-kind': 'Namespace',
  'generate.kyverno.io/trigger-namespace': '',
  'generate.kyverno.io/trigger-uid': 'u1',
};

describe('downstream decisions', () => {
  test('covers: extra fields and server metadata in the cluster are fine, a changed or missing value is not', () => {
    const desired = { kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '1' } }, data: { k: 'v' } };
    const existing = {
      kind: 'ConfigMap',
      metadata: { name: 'a', uid: 'u', labels: { x: '1', y: '2' } },
      data: { k: 'v', extra: 'e' },
    };
    assert.ok(covers(desired, existing));
    assert.equal(covers(desired, { ...existing, data: { k: 'changed' } }), false);
    assert.equal(covers(desired, { ...existing, metadata: { name: 'a' } }), false);
    assert.equal(covers({ spec: { list: [1, 2] } }, { spec: { list: [1, 2, 3] } }), false);
    assert.ok(covers({ metadata: { resourceVersion: '9' }, status: { a: 1 } }, { metadata: {} }));
  });

  test('a Secret’s stringData is compared as the base64 data the API server stores', () => {
    const desired = { kind: 'Secret', data: { a: 'YQ==' }, stringData: { b: 'b' } };
    assert.deepEqual(asStored(desired), { kind: 'Secret', data: { a: 'YQ==', b: 'Yg==' } });
    assert.ok(covers(asStored(desired), { kind: 'Secret', data: { a: 'YQ==', b: 'Yg==' } }));
    assert.deepEqual(asStored({ kind: 'ConfigMap', stringData: { b: 'b' } }), {
      kind: 'ConfigMap',
      stringData: { b: 'b' },
    });
  });

  test('reads who generated an object and its trigger from the labels', () => {
    const obj = { metadata: { labels } };
    assert.ok(generatedBy(obj, { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' }, 'r'));
    assert.equal(
      generatedBy(obj, { apiVersion: 'kyverno.io/v1', kind: 'Policy', name: 'p', namespace: 'n' }),
      false,
    );
    assert.deepEqual(triggerOf(obj), { apiVersion: 'v1', kind: 'Namespace', namespace: '', uid: 'u1' });
    assert.equal(triggerOf({ metadata: {} }), undefined);
    assert.equal(
      downstreamSelector({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' }, 'r'),
      'app.kubernetes.io/managed-by=kyverno,generate.kyverno.io/policy-name=p,generate.kyverno.io/policy-namespace=,generate.kyverno.io/rule-name=r',
    );
  });

  test('forApply drops server-owned fields', () => {
    assert.deepEqual(
      forApply({ kind: 'X', metadata: { name: 'a', uid: 'u', resourceVersion: '1' }, status: {} }),
      {
        kind: 'X',
        metadata: { name: 'a' },
      },
    );
  });

  test('GeneratingPolicy downstream: Kyverno’s labels, told apart from ClusterPolicy downstream and by namespace', () => {
    const trigger = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team', uid: 'u9' },
    };
    const l = generatingPolicyLabels({ apiVersion: 'x', kind: 'GeneratingPolicy', name: 'g' }, trigger);
    assert.deepEqual(l, {
      'app.kubernetes.io/managed-by': 'kyverno',
      'generate.kyverno.io/policy-name': 'g',
      'generate.kyverno.io/trigger-name': 'web',
      'generate.kyverno.io/trigger-namespace': 'team',
      'generate.kyverno.io/trigger-uid': 'u9',
      'generate.kyverno.io/trigger-kind': 'Deployment',
      'generate.kyverno.io/trigger-group': 'apps',
      'generate.kyverno.io/trigger-version': 'v1',
    });
    const ref = { apiVersion: 'x', kind: 'NamespacedGeneratingPolicy', name: 'g', namespace: 'team' };
    const mine = { kind: 'ConfigMap', metadata: { name: 'a', namespace: 'team', labels: l } };
    assert.equal(generatedByGeneratingPolicy(mine, ref), true);
    assert.equal(
      generatedByGeneratingPolicy({ ...mine, metadata: { ...mine.metadata, namespace: 'other' } }, ref),
      false,
    );
    const ruleMade = {
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'team', labels: { ...l, 'generate.kyverno.io/rule-name': 'r' } },
    };
    assert.equal(generatedByGeneratingPolicy(ruleMade, ref), false);
    assert.equal(
      downstreamSelector(ref, '', 'u9'),
      'app.kubernetes.io/managed-by=kyverno,generate.kyverno.io/policy-name=g,!generate.kyverno.io/rule-name,generate.kyverno.io/trigger-uid=u9',
    );
  });
});

describe('cloneSourceOf', () => {
  const object = (l: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'copy', labels: l },
  });
  test('a ClusterPolicy’s clone names its source; a GeneratingPolicy’s only its uid; others none', () => {
    assert.deepEqual(
      cloneSourceOf(
        object({
          'generate.kyverno.io/clone-source': '',
          'generate.kyverno.io/source-group': 'apps',
          'generate.kyverno.io/source-version': 'v1',
          'generate.kyverno.io/source-kind': 'Deployment',
          'generate.kyverno.io/source-namespace': 'src',
          'generate.kyverno.io/source-name': 'd',
          'generate.kyverno.io/source-uid': 'u',
        }),
      ),
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'src', name: 'd', uid: 'u' },
    );
    assert.deepEqual(cloneSourceOf(object({ 'generate.kyverno.io/source-uid': 'u' })), {
      apiVersion: 'v1',
      kind: 'Secret',
      uid: 'u',
    });
    assert.equal(cloneSourceOf(object({ 'generate.kyverno.io/policy-name': 'p' })), undefined);
    assert.equal(cloneSourceOf(object({ 'generate.kyverno.io/source-kind': 'Secret' })), undefined);
  });
});
