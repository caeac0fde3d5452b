// Kyverno CLI handling of MutatingPolicies (reference §8.3, §8.6; processor/policy_processor.go).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvaluationRuntime, KubeObject } from '../../engine/index.js';
import { loadMutatingPolicy } from '../../engine/kinds/mutating-policy/load.js';
import {
  type CompiledMutatingPolicy,
  compileMutatingPolicy,
} from '../../engine/kinds/mutating-policy/mutating-policy.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { checkResults } from './check-results.js';
import { evaluateMutatingPolicies } from './evaluate-mutating-policies.js';

const runtime: EvaluationRuntime = { ports: {} };

function compiled(name: string, spec: Record<string, unknown>): CompiledMutatingPolicy {
  const loaded = loadMutatingPolicy({
    apiVersion: 'policies.kyverno.io/v1alpha1',
    kind: 'MutatingPolicy',
    metadata: { name },
    spec,
  });
  assert.ok(loaded.ok);
  const c = compileMutatingPolicy(loaded.value, {});
  assert.ok(c.ok);
  return c.value;
}

const rule = (resources: string[]) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources }],
});
const addLabel = compiled('add-label', {
  matchConstraints: rule(['pods']),
  mutations: [
    {
      patchType: 'ApplyConfiguration',
      applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}' },
    },
  ],
});
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: {},
};
const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'default' },
};

describe('evaluateMutatingPolicies', () => {
  test('a matched pod gets a pass response carrying the patched resource', () => {
    const { responses, patched } = evaluateMutatingPolicies(pod, { policies: [addLabel], runtime });
    // The policy, then its `defaults` autogen variant (two resource rules: kept, with no rules);
    // the `cronjobs` variant (one plain rule) is dropped, as Kyverno's hasSelector does.
    assert.deepEqual(
      responses.map((r) => r.response.rules.length),
      [1, 0],
    );
    assert.equal(responses[0]?.response.rules[0]?.status, 'pass');
    assert.deepEqual(patched.metadata?.labels, { a: 'b' });
    assert.equal(responses[0]?.response.patchedResource, patched);
    assert.equal(responses[0]?.resource, pod);
  });
  test('an unmatched single-rule policy is dropped; a multi-rule one answers with no rules', () => {
    const noAutogen = compiled('no-autogen', {
      matchConstraints: rule(['pods']),
      autogen: { podControllers: { controllers: [] } },
    });
    assert.deepEqual(evaluateMutatingPolicies(service, { policies: [noAutogen], runtime }).responses, []);
    const multi = compiled('multi', {
      matchConstraints: {
        resourceRules: [...rule(['pods']).resourceRules, ...rule(['configmaps']).resourceRules],
      },
    });
    const out = evaluateMutatingPolicies(service, { policies: [multi], runtime }).responses;
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]?.response.rules, []);
  });
  test('a mutate-existing policy also patches the admitted object it matches', () => {
    const existing = compiled('existing', {
      matchConstraints: rule(['pods']),
      autogen: { podControllers: { controllers: [] } },
      evaluation: { mutateExisting: { enabled: true } },
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"m": "x"}}}' },
        },
      ],
    });
    const { responses, patched } = evaluateMutatingPolicies(pod, { policies: [existing], runtime });
    assert.equal(responses.length, 1);
    assert.deepEqual(patched.metadata?.labels, { m: 'x' });
  });
  test('target resources are patched and answered under the trigger', () => {
    const existing = compiled('label-cms', {
      matchConstraints: rule(['secrets']),
      targetMatchConstraints: rule(['configmaps']),
      evaluation: { mutateExisting: { enabled: true } },
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"t": "1"}}}' },
        },
      ],
    });
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } };
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
    const { responses } = evaluateMutatingPolicies(secret, {
      policies: [existing],
      targets: [cm, service],
      runtime,
    });
    const withTargets = responses.filter((r) => r.response.rules.some((x) => x.patchedTargets !== undefined));
    assert.equal(withTargets.length, 1);
    assert.equal(withTargets[0]?.resource, secret);
    const target = withTargets[0]?.response.rules[0]?.patchedTargets?.[0];
    assert.deepEqual(target?.metadata?.labels, { t: '1' });
  });
  test('each MutatingPolicy sees the object the previous one patched', () => {
    const second = compiled('second', {
      matchConstraints: rule(['pods']),
      autogen: { podControllers: { controllers: [] } },
      matchConditions: [{ name: 'labelled', expression: 'has(object.metadata.labels)' }],
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/labels/c", value: "d"}]' },
        },
      ],
    });
    const { patched } = evaluateMutatingPolicies(pod, { policies: [addLabel, second], runtime });
    assert.deepEqual(patched.metadata?.labels, { a: 'b', c: 'd' });
  });
  test('a test row compares the patched resource (patchedResources)', () => {
    const responses = new Map([
      ['v1,Pod,default,p', evaluateMutatingPolicies(pod, { policies: [addLabel], runtime }).responses],
    ]);
    const row = {
      policy: 'add-label',
      kind: 'Pod',
      resources: ['p'],
      result: 'pass',
      isMutatingPolicy: true,
      patchedResources: 'patched.yaml',
    } as TestResultRow;
    const expected = { ...pod, metadata: { ...pod.metadata, labels: { a: 'b' } } };
    const ok = checkResults(
      [row],
      () => responses,
      () => ({ objects: [expected] }),
    );
    assert.deepEqual(
      ok.rows.map((r) => [r.result, r.reason]),
      [['Pass', 'Ok']],
    );
    const bad = checkResults(
      [row],
      () => responses,
      () => ({ objects: [pod] }),
    );
    assert.deepEqual(
      bad.rows.map((r) => [r.result, r.reason]),
      [['Fail', 'Resource diff']],
    );
  });
});
