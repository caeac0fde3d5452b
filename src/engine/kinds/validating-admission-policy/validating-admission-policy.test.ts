import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import {
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
} from '../cel-shared/load-cel-kinds.js';
import { selectParams } from './admission-binding.js';
import {
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
  return evaluateValidatingAdmissionPolicy(c.value, input(object), { ports: {} }, params);
}

/** A Pod request: outside the example policy's matchConstraints. */
const podInput = () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } };
  const base = input(pod);
  return { ...base, attributes: { ...base.attributes, group: '', kind: 'Pod', resource: 'pods' } };
};

const ruleOf = (o: ReturnType<typeof evaluate>) => (o.matched ? o.rules[0] : undefined);

const named = (name: string, spec: Partial<ValidatingAdmissionPolicyBinding['spec']>) => ({
  ...binding(spec),
  metadata: { name },
});

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

  test('messageExpression gives the failure message; a bad one falls back to message', () => {
    const p = (messageExpression: string) =>
      vap({
        validations: [
          {
            expression: 'object.spec.replicas <= int(params.data.maxReplicas)',
            message: 'static',
            messageExpression,
          },
        ],
      });
    const run = (m: string) =>
      ruleOf(evaluate(p(m), [binding()], deployment('a', 3), [limits('1')]))?.message;
    assert.equal(run("'too many: ' + string(object.spec.replicas)"), 'too many: 3');
    assert.equal(run('string(params.nope.x)'), 'static');
    assert.equal(run("''"), 'static');
  });

  test('a non-bool validation result denies', () => {
    const p = vap({ validations: [{ expression: 'object.spec.replicas', message: 'not a bool' }] });
    const r = ruleOf(evaluate(p, [binding()], deployment('a', 1), [limits('5')]));
    assert.deepEqual([r?.status, r?.message], ['fail', 'not a bool']);
  });

  test('the first error or denial in order wins', () => {
    const p = vap({
      validations: [
        { expression: 'true' },
        { expression: 'object.spec.missing.deeper == 1' },
        { expression: 'false', message: 'never reached' },
      ],
    });
    const r = ruleOf(evaluate(p, [binding()], deployment('a', 1), [limits('5')]));
    assert.equal(r?.status, 'error');
    assert.match(r?.message ?? '', /^expression 'object.spec.missing.deeper == 1' resulted in error: /);
  });

  test('lazy variables are visible to matchConditions and validations', () => {
    const p = vap({
      variables: [{ name: 'max', expression: 'int(params.data.maxReplicas)' }],
      matchConditions: [{ name: 'small-max', expression: 'variables.max < 100' }],
      validations: [{ expression: 'object.spec.replicas <= variables.max' }],
    });
    assert.equal(ruleOf(evaluate(p, [binding()], deployment('a', 7), [limits('5')]))?.status, 'fail');
    assert.equal(
      ruleOf(evaluate(p, [binding()], deployment('a', 7), [limits('500')]))?.message,
      "match conditions aren't met",
    );
  });

  const conditionCases: [string, 'Fail' | 'Ignore', string][] = [
    ['a matchCondition error fails the rule (failurePolicy Fail)', 'Fail', 'error'],
    ['a matchCondition error skips (failurePolicy Ignore)', 'Ignore', 'skip'],
  ];
  for (const [name, failurePolicy, status] of conditionCases) {
    test(name, () => {
      const p = vap({ failurePolicy, matchConditions: [{ name: 'bad', expression: 'object.nope.x == 1' }] });
      assert.equal(ruleOf(evaluate(p, [binding()], deployment('a', 1), [limits('5')]))?.status, status);
    });
  }

  test('every applicable binding is evaluated; the last one is reported (Kyverno offline)', () => {
    const strict = named('strict', { paramRef: { name: 'strict' } });
    const loose = named('loose', { paramRef: { name: 'loose' } });
    const cm = (name: string, max: string): KubeObject => ({ ...limits(max), metadata: { name } });
    const out = evaluate(vap(), [strict, loose], deployment('a', 5), [cm('strict', '1'), cm('loose', '9')]);
    assert.ok(out.matched);
    assert.deepEqual(
      out.evaluations.map((e) => [e.binding?.metadata.name, e.rule.status]),
      [
        ['strict', 'fail'],
        ['loose', 'pass'],
      ],
    );
    assert.equal(out.rules[0]?.status, 'pass');
    assert.equal(out.binding?.metadata.name, 'loose');
  });

  test('binding matchResources select the request; the policy constraints are not consulted then', () => {
    const prod = binding({
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } },
    });
    assert.deepEqual(evaluate(vap(), [prod], deployment('a', 9, 'dev'), [limits('5')]), { matched: false });
    assert.equal(ruleOf(evaluate(vap(), [prod], deployment('a', 9, 'prod'), [limits('5')]))?.status, 'fail');
    // A Pod is outside the policy's matchConstraints, yet a binding without matchResources applies.
    const p = vap({ validations: [{ expression: "object.kind == 'Deployment'" }] });
    const c = compileValidatingAdmissionPolicy(p, [binding()]);
    assert.ok(c.ok);
    assert.equal(
      ruleOf(evaluateValidatingAdmissionPolicy(c.value, podInput(), { ports: {} }, [limits('5')]))?.status,
      'fail',
    );
  });

  test('a policy without bindings uses its own matchConstraints and no params', () => {
    const { paramKind: _, ...spec } = vap({ validations: [{ expression: 'object.spec.replicas < 3' }] }).spec;
    const p: ValidatingAdmissionPolicy = { ...vap(), spec };
    assert.equal(ruleOf(evaluate(p, [], deployment('a', 1), []))?.status, 'pass');
    const c = compileValidatingAdmissionPolicy(p, []);
    assert.ok(c.ok);
    assert.deepEqual(evaluateValidatingAdmissionPolicy(c.value, podInput(), { ports: {} }, []), {
      matched: false,
    });
  });

  test('validationActions do not change the result; they are returned', () => {
    const out = evaluate(vap(), [binding({ validationActions: ['Warn', 'Audit'] })], deployment('a', 9), [
      limits('5'),
    ]);
    assert.ok(out.matched);
    assert.equal(out.rules[0]?.status, 'fail');
    assert.deepEqual(out.actions, ['Warn', 'Audit']);
  });

  test('missing params make expressions reading them fail (parameterNotFoundAction is not applied offline)', () => {
    const allow = binding({ paramRef: { name: 'absent', parameterNotFoundAction: 'Allow' } });
    const r = ruleOf(evaluate(vap(), [allow], deployment('a', 1), [limits('5')]));
    assert.equal(r?.status, 'error');
  });

  test('an expression that does not compile errors when evaluated', () => {
    const p = vap({ validations: [{ expression: 'object.spec.replicas <=' }] });
    const c = compileValidatingAdmissionPolicy(p, [binding()]);
    assert.ok(c.ok);
    assert.equal(c.warnings[0]?.code, 'cel/compile-error');
    const r = ruleOf(
      evaluateValidatingAdmissionPolicy(c.value, input(deployment('a', 1)), { ports: {} }, [limits('5')]),
    );
    assert.equal(r?.status, 'error');
    assert.match(r?.message ?? '', /compilation error/);
  });

  test('Kyverno libraries and the authorizer are not available to a VAP', () => {
    for (const expression of ["http.Get('x') != null", "authorizer.path('/x').check('get').allowed()"]) {
      const c = compileValidatingAdmissionPolicy(vap({ validations: [{ expression }] }), [binding()]);
      assert.ok(c.ok);
      assert.equal(c.warnings[0]?.code, 'cel/compile-error');
    }
  });

  test('auditAnnotations of a passing evaluation are returned', () => {
    const p = vap({
      auditAnnotations: [{ key: 'replicas', valueExpression: "'replicas=' + string(object.spec.replicas)" }],
    });
    const out = evaluate(p, [binding()], deployment('a', 2), [limits('5')]);
    assert.ok(out.matched);
    assert.deepEqual(out.evaluations[0]?.auditAnnotations, { 'replica-limit/replicas': 'replicas=2' });
  });

  test('params come from the admissionParams port when none are passed', () => {
    const c = compileValidatingAdmissionPolicy(vap(), [binding()]);
    assert.ok(c.ok);
    const ports = { admissionParams: { list: () => [limits('1')] } };
    assert.equal(
      ruleOf(evaluateValidatingAdmissionPolicy(c.value, input(deployment('a', 2)), { ports }))?.status,
      'fail',
    );
  });

  test('policy and binding documents are validated', () => {
    assert.ok(loadValidatingAdmissionPolicy(vap()).ok);
    assert.ok(loadValidatingAdmissionPolicyBinding(binding()).ok);
    assert.ok(!loadValidatingAdmissionPolicyBinding({ ...binding(), spec: { paramRef: { name: 'x' } } }).ok);
    assert.ok(!loadValidatingAdmissionPolicy({ ...vap(), apiVersion: 'policies.kyverno.io/v1' }).ok);
  });
});

describe('selectParams (Kyverno offline)', () => {
  const cm = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
  });
  const all = [
    cm('a', 'ns1', { t: 'p' }),
    cm('b', 'ns2', { t: 'p' }),
    cm('a', 'ns2'),
    { ...cm('s', 'ns1'), kind: 'Secret' },
  ];
  const kind = { apiVersion: 'v1', kind: 'ConfigMap' };
  const cases: [string, Parameters<typeof selectParams>[1], unknown][] = [
    ['by name: the first of that name, whatever its namespace', { name: 'a', namespace: 'ns2' }, all[0]],
    [
      'by selector: a list of every match, namespace ignored',
      { selector: { matchLabels: { t: 'p' } }, namespace: 'ns2' },
      { items: [all[0], all[1]] },
    ],
    [
      'by selector with one match: still a list',
      {
        selector: {
          matchLabels: { t: 'p' },
          matchExpressions: [{ key: 't', operator: 'In', values: ['p'] }],
        },
        namespace: 'x',
      },
      { items: [all[0], all[1]] },
    ],
    ['nothing found: null', { name: 'zzz' }, null],
    ['only the namespace: the first object there', { namespace: 'ns2' }, all[1]],
    ['other kinds are not params', { name: 's' }, null],
  ];
  for (const [name, ref, want] of cases) {
    test(name, () => assert.deepEqual(selectParams(kind, ref, all), want));
  }
  test('no paramKind or no paramRef: null', () => {
    assert.equal(selectParams(undefined, { name: 'a' }, all), null);
    assert.equal(selectParams(kind, undefined, all), null);
  });
});
