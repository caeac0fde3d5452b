import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../policy/types.js';
import { loadValidatingAdmissionPolicy, loadValidatingAdmissionPolicyBinding } from './load-cel-kinds.js';
import {
  collectParams,
  compileValidatingAdmissionPolicy,
  evaluateValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicyBinding,
} from './validating-admission-policy.js';

const deployment = (name: string, replicas: number, namespace = 'default'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { replicas },
});

const input = (object: KubeObject) => ({
  attributes: {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    resource: 'deployments',
    subresource: '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
    operation: 'CREATE' as const,
    object,
    oldObject: null,
  },
  namespaceObject: null,
});

// The kubernetes.io "demo-policy.example.com" example with a ConfigMap param.
const vap = (spec: Partial<ValidatingAdmissionPolicy['spec']> = {}): ValidatingAdmissionPolicy => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'replica-limit' },
  spec: {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['deployments'],
        },
      ],
    },
    validations: [{ expression: 'object.spec.replicas <= int(params.data.maxReplicas)' }],
    ...spec,
  },
});

const binding = (
  spec: Partial<ValidatingAdmissionPolicyBinding['spec']> = {},
): ValidatingAdmissionPolicyBinding => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name: 'replica-limit-binding' },
  spec: {
    policyName: 'replica-limit',
    paramRef: { name: 'limits', namespace: 'default' },
    validationActions: ['Deny'],
    ...spec,
  },
});

const limits = (max: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'limits', namespace: 'default', labels },
  data: { maxReplicas: max },
});

function evaluate(
  p: ValidatingAdmissionPolicy,
  bindings: ValidatingAdmissionPolicyBinding[],
  object: KubeObject,
  params: KubeObject[],
) {
  const c = compileValidatingAdmissionPolicy(p, bindings);
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return evaluateValidatingAdmissionPolicy(c.value, input(object), params);
}

const ruleOf = (o: ReturnType<typeof evaluate>) => (o.matched ? o.rules[0] : undefined);

describe('ValidatingAdmissionPolicy evaluation', () => {
  const cases: [string, KubeObject, string, string][] = [
    ['within the limit', deployment('a', 2), 'pass', ''],
    [
      'over the limit (default message)',
      deployment('b', 9),
      'fail',
      'failed expression: object.spec.replicas <= int(params.data.maxReplicas)',
    ],
  ];
  for (const [name, object, status, message] of cases) {
    test(name, () => {
      const r = ruleOf(evaluate(vap(), [binding()], object, [limits('5')]));
      assert.equal(r?.status, status);
      assert.equal(r?.message, message);
      assert.equal(r?.name, 'replica-limit');
    });
  }

  test('messageExpression is used for the failure message', () => {
    const p = vap({
      validations: [
        {
          expression: 'object.spec.replicas <= 1',
          messageExpression: "'too many: ' + string(object.spec.replicas)",
        },
      ],
    });
    assert.equal(ruleOf(evaluate(p, [binding()], deployment('a', 3), [limits('5')]))?.message, 'too many: 3');
  });

  test('params by selector; missing params deny unless parameterNotFoundAction is Allow', () => {
    const bySelector = binding({
      paramRef: { selector: { matchLabels: { tier: 'gold' } }, namespace: 'default' },
    });
    assert.equal(
      ruleOf(evaluate(vap(), [bySelector], deployment('a', 9), [limits('10', { tier: 'gold' })]))?.status,
      'pass',
    );
    const missing = ruleOf(evaluate(vap(), [binding()], deployment('a', 1), []));
    assert.equal(missing?.status, 'error');
    assert.match(
      missing?.message ?? '',
      /no params found for policy binding with `Deny` parameterNotFoundAction/,
    );
    const allow = evaluate(
      vap(),
      [binding({ paramRef: { name: 'limits', parameterNotFoundAction: 'Allow' } })],
      deployment('a', 1),
      [],
    );
    assert.deepEqual(allow.matched && allow.rules, []);
  });

  test('collectParams uses the request namespace for namespaced param kinds', () => {
    const other = { ...limits('1'), metadata: { name: 'limits', namespace: 'other' } };
    assert.deepEqual(
      collectParams({ apiVersion: 'v1', kind: 'ConfigMap' }, { name: 'limits' }, 'other', [
        limits('5'),
        other,
      ]),
      [other],
    );
    assert.deepEqual(collectParams(undefined, { name: 'x' }, 'default', []), [null]);
  });

  test('matchConditions false → skip; binding matchResources narrow; Warn-only binding warns', () => {
    const p = vap({ matchConditions: [{ name: 'big-only', expression: 'object.spec.replicas > 100' }] });
    const skip = ruleOf(evaluate(p, [binding()], deployment('a', 9), [limits('5')]));
    assert.deepEqual([skip?.status, skip?.message], ['skip', "match conditions aren't met"]);
    const narrow = binding({
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } },
    });
    assert.deepEqual(evaluate(vap(), [narrow], deployment('a', 9), [limits('5')]), { matched: false });
    const warn = ruleOf(
      evaluate(vap(), [binding({ validationActions: ['Warn'] })], deployment('a', 9), [limits('5')]),
    );
    assert.equal(warn?.status, 'warn');
  });

  test('a policy without bindings is evaluated on its own; failurePolicy Ignore swallows errors', () => {
    const p = vap({ validations: [{ expression: 'object.spec.missing > 1' }] });
    delete p.spec.paramKind;
    assert.equal(ruleOf(evaluate(p, [], deployment('a', 1), []))?.status, 'error');
    assert.equal(
      ruleOf(evaluate({ ...p, spec: { ...p.spec, failurePolicy: 'Ignore' } }, [], deployment('a', 1), []))
        ?.status,
      'pass',
    );
  });

  test('Kyverno libraries are not available to a VAP', () => {
    const c = compileValidatingAdmissionPolicy(
      vap({ validations: [{ expression: "resource.Get('v1', 'configmaps', 'a', 'b') != null" }] }),
      [],
    );
    assert.ok(!c.ok);
    assert.equal(c.issues[0]?.code, 'cel/compile-error');
  });
});

describe('loading', () => {
  test('policy and binding documents are validated', () => {
    assert.ok(loadValidatingAdmissionPolicy(vap()).ok);
    assert.ok(loadValidatingAdmissionPolicyBinding(binding()).ok);
    assert.ok(!loadValidatingAdmissionPolicyBinding({ ...binding(), spec: { paramRef: { name: 'x' } } }).ok);
    assert.ok(!loadValidatingAdmissionPolicy({ ...vap(), apiVersion: 'policies.kyverno.io/v1' }).ok);
  });
});
