// Kyverno CLI handling of ValidatingPolicies (reference §8.3, §8.6; processor/policy_processor.go).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CompiledValidatingPolicy,
  compileValidatingPolicy,
  type KubeObject,
  type ValidatingPolicy,
} from '../../engine/index.js';
import type { MutatingPolicy } from '../../engine/kinds/mutating-policy/types.js';
import type { EvaluationRuntime } from '../../engine/runtime.js';
import { classifyPolicyDocument, type LoadedValidatingPolicy } from '../../io/files/policies.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { checkResults } from './check-results.js';
import {
  evaluateCelPolicies,
  evaluateJsonPayload,
  namespaceObjectFor,
  prepareCelPolicies,
} from './evaluate-cel-policies.js';

const runtime: EvaluationRuntime = { ports: {} };

function compiled(spec: Record<string, unknown>, name = 'no-default-ns'): CompiledValidatingPolicy {
  const policy = {
    apiVersion: 'policies.kyverno.io/v1alpha1',
    kind: 'ValidatingPolicy',
    metadata: { name },
    spec,
  } as unknown as ValidatingPolicy;
  const c = compileValidatingPolicy(policy, {});
  assert.ok(c.ok);
  return c.value;
}

const podsOnly = {
  resourceRules: [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
  ],
};
const noDefaultNs = compiled({
  validationActions: ['Audit'],
  matchConstraints: podsOnly,
  validations: [{ expression: "namespaceObject.metadata.name != 'default'", message: 'default namespace' }],
});

const pod = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const deployment = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const values = {
  namespaces: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { env: 'default' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } },
  ],
};

describe('evaluateCelPolicies', () => {
  test('namespaceObject comes from the values namespaces', () => {
    const [bad] = evaluateCelPolicies(pod('bad', 'default'), { policies: [noDefaultNs], values, runtime });
    assert.equal(bad?.response.rules[0]?.status, 'fail');
    assert.equal(bad?.response.rules[0]?.message, 'default namespace');
    assert.equal(bad?.response.validationFailureAction, 'Audit');
    const [good] = evaluateCelPolicies(pod('good', 'foo'), { policies: [noDefaultNs], values, runtime });
    assert.equal(good?.response.rules[0]?.status, 'pass');
  });
  test('a Deployment answers through the autogen variant; the unmatched single-rule base is dropped', () => {
    const out = evaluateCelPolicies(deployment('d', 'default'), { policies: [noDefaultNs], values, runtime });
    // The pods rule (one plain rule) is dropped; the defaults variant answers; the cronjobs one is dropped.
    assert.deepEqual(
      out.map((e) => e.response.rules.map((r) => r.status)),
      [['fail']],
    );
    assert.equal(out[0]?.compiled.policy.metadata.name, 'no-default-ns');
  });
  test('an unmatched policy with several resource rules still answers, with no rules', () => {
    const multi = compiled({
      matchConstraints: {
        resourceRules: [
          ...podsOnly.resourceRules,
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
        ],
      },
      validations: [{ expression: 'true' }],
    });
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
    };
    const out = evaluateCelPolicies(cm, { policies: [multi], runtime });
    assert.deepEqual(
      out.map((e) => e.response.rules.length),
      [0],
    );
  });
  test('the operation comes from values request.operation', () => {
    const onUpdate = compiled({
      matchConstraints: { resourceRules: [{ ...podsOnly.resourceRules[0], operations: ['UPDATE'] }] },
      validations: [{ expression: "request.operation == 'UPDATE' && oldObject != null" }],
    });
    const onCreate = evaluateCelPolicies(pod('p', 'foo'), { policies: [onUpdate], runtime });
    assert.deepEqual(
      onCreate.flatMap((e) => e.response.rules),
      [],
    );
    const out = evaluateCelPolicies(pod('p', 'foo'), {
      policies: [onUpdate],
      values: { globalValues: { 'request.operation': 'UPDATE' } },
      runtime,
    });
    assert.equal(out[0]?.response.rules[0]?.status, 'pass');
  });
  test('namespaceObjectFor prefers full namespaces over namespaceSelector labels', () => {
    const v = {
      namespaceSelector: [{ name: 'a', labels: { x: '1' } }],
      namespaces: [{ metadata: { name: 'a', labels: { x: '2' } } }],
    };
    assert.deepEqual(namespaceObjectFor(v, 'a')?.metadata?.labels, { x: '2' });
    assert.deepEqual(namespaceObjectFor({ namespaceSelector: v.namespaceSelector }, 'a')?.metadata?.labels, {
      x: '1',
    });
    assert.equal(namespaceObjectFor(v, 'b'), null);
  });
});

describe('test rows for ValidatingPolicies', () => {
  const row = (over: Partial<TestResultRow>): TestResultRow =>
    ({
      policy: 'no-default-ns',
      kind: 'Pod',
      result: 'fail',
      isValidatingPolicy: true,
      ...over,
    }) as TestResultRow;
  test('the rule name is ignored; the policy name selects the response', () => {
    const responses = new Map([
      [
        'v1,Pod,default,bad',
        evaluateCelPolicies(pod('bad', 'default'), { policies: [noDefaultNs], values, runtime }),
      ],
    ]);
    const checked = checkResults([row({ rule: 'anything', resources: ['bad'] })], () => responses);
    assert.deepEqual(
      checked.rows.map((r) => [r.result, r.reason]),
      [['Pass', 'Ok']],
    );
    const wrong = checkResults([row({ resources: ['bad'], result: 'pass' })], () => responses);
    assert.deepEqual(
      wrong.rows.map((r) => [r.result, r.reason]),
      [['Fail', 'Want pass, got fail']],
    );
  });
});

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

describe('rule-less kinds without the isValidatingPolicy flag', () => {
  test('a row naming a rule still checks the ValidatingPolicy result', () => {
    const responses = new Map([
      [
        'v1,Pod,default,bad',
        evaluateCelPolicies(pod('bad', 'default'), { policies: [noDefaultNs], values, runtime }),
      ],
    ]);
    const row = {
      policy: 'no-default-ns',
      rule: 'some-rule',
      kind: 'Pod',
      result: 'fail',
      resources: ['bad'],
    };
    const checked = checkResults([row as TestResultRow], () => responses);
    assert.deepEqual(
      checked.rows.map((r) => [r.result, r.reason]),
      [['Pass', 'Ok']],
    );
  });
});

describe('prepareCelPolicies order (Kyverno CLI processor)', () => {
  const addTeam = {
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind: 'MutatingPolicy',
    metadata: { name: 'add-team' },
    spec: {
      matchConstraints: podsOnly,
      autogen: { podControllers: { controllers: [] } },
      matchConditions: [
        { name: 'has-owner', expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels" },
      ],
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/labels/team", value: "a"}]' },
        },
      ],
    },
  } as unknown as MutatingPolicy;
  const requireTeam = {
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind: 'ValidatingPolicy',
    metadata: { name: 'require-team' },
    spec: {
      validationActions: ['Audit'],
      matchConstraints: podsOnly,
      autogen: { podControllers: { controllers: [] } },
      validations: [{ expression: "'team' in object.metadata.?labels.orValue({})", message: 'team label' }],
    },
  } as unknown as ValidatingPolicy;
  const run = prepareCelPolicies({
    policies: [{ policy: requireTeam, source: {} as LoadedValidatingPolicy['source'] }],
    mutatingPolicies: [{ policy: addTeam, source: {} as LoadedValidatingPolicy['source'] }],
    exceptions: [],
  });
  const statuses = (
    rs: readonly { response: { policyName: string; rules: readonly { status: string }[] } }[],
  ) => rs.map((r) => [r.response.policyName, r.response.rules[0]?.status]);
  test('ValidatingPolicies see the object MutatingPolicies patched', () => {
    const labelled = {
      ...pod('p', 'foo'),
      metadata: { name: 'p', namespace: 'foo', labels: { owner: 'x' } },
    };
    assert.deepEqual(statuses(run.evaluate(labelled)), [
      ['add-team', 'pass'],
      ['require-team', 'pass'],
    ]);
    assert.deepEqual(statuses(run.evaluate(pod('p', 'foo'))), [
      ['add-team', 'skip'],
      ['require-team', 'fail'],
    ]);
  });
  test('MutatingPolicies start from the object legacy mutate rules left; responses keep the loaded key', () => {
    const loaded = pod('p', 'foo');
    const legacyPatched = { ...loaded, metadata: { name: 'p', namespace: 'foo', labels: { owner: 'x' } } };
    const out = run.evaluate(loaded, undefined, legacyPatched);
    assert.deepEqual(statuses(out), [
      ['add-team', 'pass'],
      ['require-team', 'pass'],
    ]);
    assert.ok(out.every((r) => r.resource === loaded));
  });
});

describe('evaluateJsonPayload (spec.evaluation.mode: JSON)', () => {
  const minReplicas = compiled(
    {
      evaluation: { mode: 'JSON' },
      validations: [{ expression: 'object.replicas >= 2', message: 'at least two replicas' }],
    },
    'min-replicas',
  );
  test('JSON-mode policies answer for any document; Kubernetes-mode ones are skipped', () => {
    const out = evaluateJsonPayload({ replicas: 1 } as KubeObject, [minReplicas, noDefaultNs], runtime);
    assert.deepEqual(
      out.map((r) => [r.response.policyName, r.response.rules.map((x) => [x.status, x.message])]),
      [['min-replicas', [['fail', 'at least two replicas']]]],
    );
    assert.equal(
      evaluateJsonPayload({ replicas: 3 } as KubeObject, [minReplicas], runtime)[0]?.response.rules[0]
        ?.status,
      'pass',
    );
  });
  test('the run answers the patched object and payload responses', () => {
    const run = prepareCelPolicies({
      policies: [
        { policy: minReplicas.policy, source: {} as LoadedValidatingPolicy['source'] },
        { policy: noDefaultNs.policy, source: {} as LoadedValidatingPolicy['source'] },
      ],
      exceptions: [],
    });
    const loaded = pod('p', 'foo');
    assert.equal(run.run(loaded).patched, loaded);
    assert.deepEqual(
      run.evaluateJson({ replicas: 5 } as KubeObject).map((r) => r.response.policyName),
      ['min-replicas'],
    );
  });
});
