import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { MatchInput } from '../../match/match-input.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { RequestInfo } from '../../request.js';
import type { PolicyException } from '../cluster-policy/types.js';
import { exceptionApplies, exceptionCoversRule, policyKeyOf } from './match-exception.js';

// kyverno.io "Policy Exceptions": the delta exception example.
const delta = parse(`
apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: delta-exception
  namespace: delta
spec:
  exceptions:
  - policyName: disallow-host-namespaces
    ruleNames:
    - host-namespaces
    - autogen-host-namespaces
  match:
    any:
    - resources:
        kinds:
        - Pod
        - Deployment
        namespaces:
        - delta
        names:
        - important-tool*
`) as PolicyException;

const obj = (kind: string, name: string, namespace: string, apiVersion = 'v1'): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});
const input = (resource: KubeObject, extra: Partial<MatchInput> = {}): MatchInput => ({
  resource,
  operation: 'CREATE',
  ...extra,
});

describe('exceptionApplies (docs example)', () => {
  const cases: { name: string; policy: string; rule: string; res: KubeObject; want: boolean }[] = [
    {
      name: 'pod in delta',
      policy: 'disallow-host-namespaces',
      rule: 'host-namespaces',
      res: obj('Pod', 'important-tool-1', 'delta'),
      want: true,
    },
    {
      name: 'deployment via autogen rule',
      policy: 'disallow-host-namespaces',
      rule: 'autogen-host-namespaces',
      res: obj('Deployment', 'important-tool', 'delta', 'apps/v1'),
      want: true,
    },
    {
      name: 'cronjob rule not listed',
      policy: 'disallow-host-namespaces',
      rule: 'autogen-cronjob-host-namespaces',
      res: obj('Pod', 'important-tool', 'delta'),
      want: false,
    },
    {
      name: 'other namespace',
      policy: 'disallow-host-namespaces',
      rule: 'host-namespaces',
      res: obj('Pod', 'important-tool', 'other'),
      want: false,
    },
    {
      name: 'other name',
      policy: 'disallow-host-namespaces',
      rule: 'host-namespaces',
      res: obj('Pod', 'tool', 'delta'),
      want: false,
    },
    {
      name: 'other kind',
      policy: 'disallow-host-namespaces',
      rule: 'host-namespaces',
      res: obj('StatefulSet', 'important-tool', 'delta', 'apps/v1'),
      want: false,
    },
    {
      name: 'other policy',
      policy: 'disallow-privileged',
      rule: 'host-namespaces',
      res: obj('Pod', 'important-tool', 'delta'),
      want: false,
    },
    {
      name: 'policyName is not a wildcard',
      policy: 'disallow-host-namespaces-2',
      rule: 'host-namespaces',
      res: obj('Pod', 'important-tool', 'delta'),
      want: false,
    },
  ];
  for (const c of cases)
    test(c.name, () => assert.equal(exceptionApplies(delta, c.policy, c.rule, input(c.res)), c.want));
});

const make = (spec: Partial<PolicyException['spec']>): PolicyException => ({
  apiVersion: 'kyverno.io/v2',
  kind: 'PolicyException',
  metadata: { name: 'e', namespace: 'kyverno' },
  spec: {
    exceptions: [{ policyName: 'p', ruleNames: ['*'] }],
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    ...spec,
  },
});
const pod = obj('Pod', 'web', 'prod');

describe('exception rule and policy names', () => {
  test('ruleNames wildcard', () =>
    assert.equal(
      exceptionCoversRule(
        make({ exceptions: [{ policyName: 'p', ruleNames: ['check-*'] }] }),
        'p',
        'check-a',
      ),
      true,
    ));
  test('ruleNames ? wildcard', () =>
    assert.equal(
      exceptionCoversRule(make({ exceptions: [{ policyName: 'p', ruleNames: ['r?'] }] }), 'p', 'r10'),
      false,
    ));
  test('autogen rules need their own entry (or a wildcard)', () => {
    const e = make({ exceptions: [{ policyName: 'p', ruleNames: ['*host-namespaces'] }] });
    assert.equal(exceptionCoversRule(e, 'p', 'autogen-cronjob-host-namespaces'), true);
    assert.equal(
      exceptionCoversRule(
        make({ exceptions: [{ policyName: 'p', ruleNames: ['host-namespaces'] }] }),
        'p',
        'autogen-host-namespaces',
      ),
      false,
    );
  });
  test('namespaced Policy key', () =>
    assert.equal(policyKeyOf({ kind: 'Policy', metadata: { name: 'p', namespace: 'team' } }), 'team/p'));
  test('ClusterPolicy key', () =>
    assert.equal(policyKeyOf({ kind: 'ClusterPolicy', metadata: { name: 'p' } }), 'p'));
  test('Policy exception must use ns/name', () => {
    const e = make({ exceptions: [{ policyName: 'team/p', ruleNames: ['*'] }] });
    assert.equal(exceptionApplies(e, 'team/p', 'r', input(pod)), true);
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod)), false);
  });
});

describe('exception spec.match', () => {
  const admin: RequestInfo = {
    userInfo: { username: 'admin', groups: ['ops'] },
    roles: [],
    clusterRoles: [],
  };
  test('all: every filter must match', () =>
    assert.equal(
      exceptionApplies(
        make({ match: { all: [{ resources: { kinds: ['Pod'] } }, { resources: { namespaces: ['dev'] } }] } }),
        'p',
        'r',
        input(pod),
      ),
      false,
    ));
  test('empty match applies to nothing', () =>
    assert.equal(exceptionApplies(make({ match: {} }), 'p', 'r', input(pod)), false));
  test('operations scope the exception', () => {
    const e = make({ match: { any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] } });
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod)), false);
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod, { operation: 'UPDATE' })), true);
  });
  test('subjects', () => {
    const e = make({
      match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'Group', name: 'ops' }] }] },
    });
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod, { requestInfo: admin })), true);
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod)), false);
  });
  test('namespaceSelector', () => {
    const e = make({
      match: {
        any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { tier: 'sandbox' } } } }],
      },
    });
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod, { namespaceLabels: { tier: 'sandbox' } })), true);
    assert.equal(exceptionApplies(e, 'p', 'r', input(pod, { namespaceLabels: { tier: 'prod' } })), false);
  });
  test('selector on labels', () => {
    const e = make({
      match: { any: [{ resources: { kinds: ['Pod'], selector: { matchLabels: { exempt: 'true' } } } }] },
    });
    assert.equal(
      exceptionApplies(e, 'p', 'r', input({ ...pod, metadata: { name: 'a', labels: { exempt: 'true' } } })),
      true,
    );
  });
  test('Pod kind also covers ephemeralcontainers', () =>
    assert.equal(
      exceptionApplies(
        make({}),
        'p',
        'r',
        input(pod, { subresource: 'ephemeralcontainers', operation: 'UPDATE' }),
      ),
      true,
    ));
});

describe('matchingExceptions without an exception naming the rule', () => {
  test('answers an empty list from no source, an empty list, and an index without the policy', async () => {
    const { matchingExceptions } = await import('./rule-exceptions.js');
    const { indexExceptions } = await import('./exception-index.js');
    const { JsonContext } = await import('../../context/json-context.js');
    const other = {
      apiVersion: 'kyverno.io/v2',
      kind: 'PolicyException',
      metadata: { name: 'other', namespace: 'ns' },
      spec: {
        exceptions: [{ policyName: 'elsewhere', ruleNames: ['r'] }],
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
      },
    } as unknown as Parameters<typeof indexExceptions>[0][number];
    const input: MatchInput = { resource: { kind: 'Pod', metadata: { name: 'p' } }, operation: 'CREATE' };
    for (const source of [undefined, [], [other], indexExceptions([other])]) {
      const found = matchingExceptions(source, 'policy', 'r', input, new JsonContext({}), 'CREATE');
      assert.deepEqual(found, []);
    }
    // The same exception found when it names the policy (the empty answers are not a constant).
    const named = matchingExceptions(
      indexExceptions([other]),
      'elsewhere',
      'r',
      input,
      new JsonContext({}),
      'CREATE',
    );
    assert.deepEqual(named, [other]);
  });
});
