// Result rows over rule-less kinds (ValidatingPolicy, MutatingPolicy), checked on real admit results.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  admit,
  compilePolicySet,
  type KubeObject,
  type PolicyDocument,
  type PolicyResult,
  requestForObject,
} from '../../engine/index.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { checkResults } from './check-results.js';

async function responses(object: KubeObject, document: PolicyDocument<string>['document']) {
  const out = compilePolicySet([{ document, source: '' }]);
  assert.deepEqual(out.diagnostics, []);
  const admitted = await admit(out.set, requestForObject(object), { ports: {} }, { profile: 'cli' });
  return new Map<string, readonly PolicyResult[]>([
    [`v1,Pod,${object.metadata?.namespace},${object.metadata?.name}`, admitted.responses],
  ]);
}
const pod = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const podsOnly = {
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
};
const noDefaultNs = {
  apiVersion: 'policies.kyverno.io/v1alpha1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'no-default-ns' },
  spec: {
    validationActions: ['Audit'],
    matchConstraints: podsOnly,
    validations: [{ expression: "object.metadata.namespace != 'default'", message: 'default namespace' }],
  },
};

describe('test rows for ValidatingPolicies', () => {
  const row = (over: Partial<TestResultRow>): TestResultRow =>
    ({
      policy: 'no-default-ns',
      kind: 'Pod',
      result: 'fail',
      isValidatingPolicy: true,
      ...over,
    }) as TestResultRow;
  test('the rule name is ignored; the policy name selects the response', async () => {
    const rs = await responses(pod('bad', 'default'), noDefaultNs);
    const checked = checkResults([row({ rule: 'anything', resources: ['bad'] })], () => rs);
    assert.deepEqual(
      checked.rows.map((r) => [r.result, r.reason]),
      [['Pass', 'Ok']],
    );
    const wrong = checkResults([row({ resources: ['bad'], result: 'pass' })], () => rs);
    assert.deepEqual(
      wrong.rows.map((r) => [r.result, r.reason]),
      [['Fail', 'Want pass, got fail']],
    );
  });
  test('without the isValidatingPolicy flag a row naming a rule still checks the policy result', async () => {
    const rs = await responses(pod('bad', 'default'), noDefaultNs);
    const r = { policy: 'no-default-ns', rule: 'some-rule', kind: 'Pod', result: 'fail', resources: ['bad'] };
    const checked = checkResults([r as TestResultRow], () => rs);
    assert.deepEqual(
      checked.rows.map((x) => [x.result, x.reason]),
      [['Pass', 'Ok']],
    );
  });
});

describe('test rows for MutatingPolicies', () => {
  test('a row compares the patched resource (patchedResources)', async () => {
    const addLabel = {
      apiVersion: 'policies.kyverno.io/v1alpha1',
      kind: 'MutatingPolicy',
      metadata: { name: 'add-label' },
      spec: {
        matchConstraints: podsOnly,
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}' },
          },
        ],
      },
    };
    const p = pod('p', 'default');
    const rs = await responses(p, addLabel);
    const row = {
      policy: 'add-label',
      kind: 'Pod',
      resources: ['p'],
      result: 'pass',
      isMutatingPolicy: true,
      patchedResources: 'patched.yaml',
    } as TestResultRow;
    const expected = { ...p, metadata: { ...p.metadata, labels: { a: 'b' } } };
    const ok = checkResults(
      [row],
      () => rs,
      () => ({ objects: [expected] }),
    );
    assert.deepEqual(
      ok.rows.map((r) => [r.result, r.reason]),
      [['Pass', 'Ok']],
    );
    const bad = checkResults(
      [row],
      () => rs,
      () => ({ objects: [p] }),
    );
    assert.deepEqual(
      bad.rows.map((r) => [r.result, r.reason]),
      [['Fail', 'Resource diff']],
    );
  });
});
