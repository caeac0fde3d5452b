import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import type { EvaluationRequest } from '../../../request.js';
import { compilePolicy, evaluatePolicy } from '../evaluate-policy.js';
import type { KyvernoPolicy, Rule } from '../types.js';

function policy(rule: Partial<Rule>): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
  };
}

const pod = (spec: Record<string, unknown>, ns = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'pod', namespace: ns, labels: { app: 'web' } },
  spec,
});

function results(p: KyvernoPolicy, resource: KubeObject, extra: Partial<EvaluationRequest> = {}) {
  const compiled = compilePolicy(p);
  assert.ok(compiled.ok);
  const request: EvaluationRequest = { resource, operation: 'CREATE', ports: {}, ...extra };
  return evaluatePolicy(compiled.value, request).rules.map((r) => ({
    name: r.name,
    status: r.status,
    message: r.message,
  }));
}

const containers = [{ name: 'c', image: 'nginx:latest' }];

describe('validate.cel', () => {
  test('true passes with Kyverno pass message', () => {
    const p = policy({
      validate: { cel: { expressions: [{ expression: 'object.spec.containers.size() > 0' }] } },
    });
    assert.deepEqual(results(p, pod({ containers })), [
      { name: 'r', status: 'pass', message: "Validation rule 'r' passed." },
    ]);
  });

  test('false fails with the expression message, else the rule message, else failed expression', () => {
    const expr = "!object.spec.containers.exists(c, c.image.endsWith(':latest'))";
    const withMsg = policy({
      validate: { cel: { expressions: [{ expression: expr, message: ' no latest ' }] } },
    });
    assert.equal(results(withMsg, pod({ containers }))[0]?.message, 'no latest');
    const ruleMsg = policy({
      validate: { message: 'rule message', cel: { expressions: [{ expression: expr }] } },
    });
    assert.equal(results(ruleMsg, pod({ containers }))[0]?.message, 'rule message');
    const none = policy({ validate: { cel: { expressions: [{ expression: ` ${expr} ` }] } } });
    assert.deepEqual(results(none, pod({ containers }))[0], {
      name: 'r',
      status: 'fail',
      message: `failed expression: ${expr}`,
    });
  });

  test('messageExpression wins over message; a bad result falls back', () => {
    const p = policy({
      validate: {
        cel: {
          expressions: [
            {
              expression: 'false',
              message: 'static',
              messageExpression: "'pod ' + object.metadata.name + ' denied'",
            },
          ],
        },
      },
    });
    assert.equal(results(p, pod({ containers }))[0]?.message, 'pod pod denied');
    const bad = policy({
      validate: {
        cel: { expressions: [{ expression: 'false', message: 'static', messageExpression: "'a\\nb'" }] },
      },
    });
    assert.equal(results(bad, pod({ containers }))[0]?.message, 'static');
  });

  test('the first expression that is not true decides', () => {
    const p = policy({
      validate: {
        cel: {
          expressions: [
            { expression: 'true' },
            { expression: 'false', message: 'second' },
            { expression: 'false', message: 'third' },
          ],
        },
      },
    });
    assert.equal(results(p, pod({ containers }))[0]?.message, 'second');
  });

  test('an evaluation error denies with Kubernetes wording', () => {
    const p = policy({ validate: { cel: { expressions: [{ expression: 'object.spec.missing == 1' }] } } });
    assert.deepEqual(results(p, pod({ containers }))[0], {
      name: 'r',
      status: 'fail',
      message: "expression 'object.spec.missing == 1' resulted in error: no such key: missing",
    });
  });

  test('a compile error is a rule error naming the expression', () => {
    const p = policy({ validate: { cel: { expressions: [{ expression: 'object.spec.(' }] } } });
    const [r] = results(p, pod({ containers }));
    assert.equal(r?.status, 'error');
    assert.match(r?.message ?? '', /failed to compile CEL expression 'object\.spec\.\('/);
    const notBool = policy({ validate: { cel: { expressions: [{ expression: "'x'" }] } } });
    assert.match(results(notBool, pod({ containers }))[0]?.message ?? '', /must evaluate to a bool/);
  });

  test('variables are lazy, ordered and may refer to earlier ones', () => {
    const p = policy({
      validate: {
        cel: {
          variables: [
            { name: 'images', expression: 'object.spec.containers.map(c, c.image)' },
            { name: 'latest', expression: "variables.images.filter(i, i.endsWith(':latest'))" },
            { name: 'boom', expression: 'object.spec.nope' },
          ],
          expressions: [
            {
              expression: 'size(variables.latest) == 0',
              messageExpression: "'latest: ' + variables.latest.join(',')",
            },
          ],
        },
      },
    });
    assert.deepEqual(results(p, pod({ containers }))[0], {
      name: 'r',
      status: 'fail',
      message: 'latest: nginx:latest',
    });
  });

  test('celPreconditions: any false skips, all true runs the validation', () => {
    const rule = (expr: string): Partial<Rule> => ({
      celPreconditions: [
        { name: 'ns', expression: "object.metadata.namespace == 'prod'" },
        { name: 'x', expression: expr },
      ],
      validate: { cel: { expressions: [{ expression: 'false', message: 'denied' }] } },
    });
    assert.deepEqual(results(policy(rule('true')), pod({ containers }, 'dev'))[0], {
      name: 'r',
      status: 'skip',
      message: 'cel preconditions not met',
    });
    assert.equal(results(policy(rule('true')), pod({ containers }, 'prod'))[0]?.status, 'fail');
  });

  test('request, namespaceObject and oldObject are bound as in a VAP', () => {
    const p = policy({
      validate: {
        cel: {
          expressions: [
            {
              expression:
                "request.operation == 'UPDATE' && request.kind.kind == 'Pod' && request.resource.resource == 'pods' && request.userInfo.username == 'alice' && namespaceObject.metadata.name == 'default' && oldObject.metadata.labels.app == 'old'",
            },
          ],
        },
      },
    });
    const old = {
      ...pod({ containers }),
      metadata: { name: 'pod', namespace: 'default', labels: { app: 'old' } },
    };
    const [r] = results(p, pod({ containers }), {
      operation: 'UPDATE',
      oldResource: old,
      requestInfo: { userInfo: { username: 'alice' }, roles: [], clusterRoles: [] },
    });
    assert.equal(r?.status, 'pass', r?.message);
  });

  test('namespaceObject comes from the cluster port when it knows the namespace', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { team: 'a' } } };
    const p = policy({
      validate: { cel: { expressions: [{ expression: "namespaceObject.metadata.labels.team == 'a'" }] } },
    });
    const ports = { cluster: { get: () => ns, list: () => [ns] } };
    assert.equal(results(p, pod({ containers }), { ports })[0]?.status, 'pass');
  });

  test('params from paramKind/paramRef: each param is evaluated; none found with Deny is an error', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'limits', namespace: 'default' },
      data: { max: '1' },
    };
    const cel = {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' as const },
      expressions: [{ expression: 'size(object.spec.containers) <= int(params.data.max)' }],
    };
    const ports = {
      cluster: {
        get: (_a: string, _k: string, _n: string | undefined, name: string) =>
          name === 'limits' ? cm : undefined,
        list: () => [cm],
      },
    };
    assert.equal(results(policy({ validate: { cel } }), pod({ containers }), { ports })[0]?.status, 'pass');
    assert.equal(
      results(policy({ validate: { cel } }), pod({ containers: [...containers, ...containers] }), {
        ports,
      })[0]?.status,
      'fail',
    );
    const missing = { ...cel, paramRef: { name: 'nope', parameterNotFoundAction: 'Deny' as const } };
    assert.match(
      results(policy({ validate: { cel: missing } }), pod({ containers }), { ports })[0]?.message ?? '',
      /error in parameterized resource/,
    );
  });

  test('autogen rewrites validate.cel for pod controllers', () => {
    const p: KyvernoPolicy = {
      ...policy({
        validate: {
          cel: {
            expressions: [{ expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))" }],
          },
        },
      }),
    };
    const deploy: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { template: { spec: { containers } } },
    };
    const [r] = results(p, deploy);
    assert.equal(r?.name, 'autogen-r');
    assert.equal(r?.status, 'fail');
  });

  test('authorizer checks carry the requesting user, its groups and the request resource', () => {
    const asked: unknown[] = [];
    const ports = {
      authorizer: {
        authorize: (a: unknown) => {
          asked.push(a);
          return { decision: 'allow' as const, reason: '' };
        },
      },
    };
    const p = policy({
      validate: {
        cel: { expressions: [{ expression: "authorizer.requestResource.check('update').allowed()" }] },
      },
    });
    const requestInfo = { roles: [], clusterRoles: [], userInfo: { username: 'alice', groups: ['devs'] } };
    assert.equal(results(p, pod({ containers }), { ports, requestInfo })[0]?.status, 'pass');
    assert.deepEqual(asked, [
      {
        user: 'alice',
        groups: ['devs'],
        verb: 'update',
        resourceRequest: true,
        apiGroup: '',
        resource: 'pods',
        namespace: 'default',
        name: 'pod',
      },
    ]);
  });
});
