import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuthorizationAttributes, Authorizer, Ports } from '../../ports.js';
import { compileCel } from '../compile.js';
import { CelAuthorizer } from './authz.js';

/** Records every question; allows `get` on configmaps and reading `/healthz`, fails on `escalate`. */
function recordingAuthorizer(): { port: Authorizer; seen: AuthorizationAttributes[] } {
  const seen: AuthorizationAttributes[] = [];
  return {
    seen,
    port: {
      authorize(a) {
        seen.push(a);
        if (a.verb === 'escalate') throw new Error('webhook authorizer unreachable');
        if (a.resourceRequest && a.resource === 'configmaps' && a.verb === 'get') {
          return { decision: 'allow', reason: 'rbac: allowed by role reader' };
        }
        if (!a.resourceRequest && a.path === '/healthz') return { decision: 'allow', reason: '' };
        return { decision: 'deny', reason: 'no rule matched' };
      },
    },
  };
}

/** The request's user, checking with the evaluation's `port` (the activation carries it). */
const alice = (port: Authorizer | undefined) =>
  new CelAuthorizer(
    'alice',
    ['devs'],
    { group: 'apps', resource: 'deployments', namespace: 'team-a', name: 'web' },
    port,
  );

function run(expression: string, ports: Ports): unknown {
  return compileCel(expression, { variables: ['authorizer'], kind: 'validating' }).evaluate(
    { authorizer: alice(ports.authorizer) },
    { ports },
  );
}

describe('authorizer library', () => {
  const cases: { name: string; expr: string; want: unknown }[] = [
    {
      name: 'a resource check the port allows',
      expr: "authorizer.group('').resource('configmaps').namespace('team-a').name('cfg').check('get').allowed()",
      want: true,
    },
    {
      name: 'the reason of an allowed check',
      expr: "authorizer.group('').resource('configmaps').check('get').reason()",
      want: 'rbac: allowed by role reader',
    },
    {
      name: 'a denied verb',
      expr: "authorizer.group('').resource('configmaps').check('delete').allowed()",
      want: false,
    },
    {
      name: 'a non-resource path check',
      expr: "authorizer.path('/healthz').check('get').allowed()",
      want: true,
    },
    {
      name: 'a failing authorizer is errored() with its message',
      expr: "[authorizer.group('rbac.authorization.k8s.io').resource('roles').check('escalate')].map(d, [d.allowed(), d.errored(), d.error()])",
      want: [[false, true, 'webhook authorizer unreachable']],
    },
    {
      name: 'a decision without error',
      expr: "authorizer.group('').resource('pods').check('list').errored()",
      want: false,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(run(c.expr, { authorizer: recordingAuthorizer().port }), c.want);
    });
  }

  test('the port receives every attribute the check was built with', () => {
    const { port, seen } = recordingAuthorizer();
    run(
      "authorizer.group('apps').resource('deployments').subresource('scale').namespace('ns1').name('web').fieldSelector('spec.x=y').labelSelector('a=b').check('update').allowed()",
      { authorizer: port },
    );
    assert.deepEqual(seen[0], {
      user: 'alice',
      groups: ['devs'],
      verb: 'update',
      resourceRequest: true,
      apiGroup: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'ns1',
      name: 'web',
      fieldSelector: 'spec.x=y',
      labelSelector: 'a=b',
    });
  });

  test('serviceAccount checks for the service account and its groups', () => {
    const { port, seen } = recordingAuthorizer();
    run("authorizer.serviceAccount('kube-system', 'builder').path('/metrics').check('get').allowed()", {
      authorizer: port,
    });
    assert.deepEqual(seen[0], {
      user: 'system:serviceaccount:kube-system:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
      verb: 'get',
      resourceRequest: false,
      path: '/metrics',
    });
  });

  test('requestResource is preset with the request resource', () => {
    const { port, seen } = recordingAuthorizer();
    run("authorizer.requestResource.check('patch').allowed()", { authorizer: port });
    assert.deepEqual(seen[0], {
      user: 'alice',
      groups: ['devs'],
      verb: 'patch',
      resourceRequest: true,
      apiGroup: 'apps',
      resource: 'deployments',
      namespace: 'team-a',
      name: 'web',
    });
  });

  test('without an authorizer port a check errors and is not allowed', () => {
    assert.deepEqual(run("[authorizer.path('/x').check('get')].map(d, [d.allowed(), d.errored()])", {}), [
      [false, true],
    ]);
  });

  test('group() must be followed by resource()', () => {
    assert.throws(() =>
      compileCel("authorizer.group('apps').check('get')", { variables: ['authorizer'], kind: 'validating' }),
    );
  });
});
