// Kubernetes ValidatingAdmissionPolicy matchConstraints
// (kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#matching-requests-matchconstraints)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import { isClusterScopedKind, resourceForKind, splitApiVersion } from '../../model/resource-kinds.js';
import {
  type AdmissionAttributes,
  isSingleRuleMatch,
  matchConstraints,
  resourceRuleMatches,
} from './match-constraints.js';
import type { MatchConstraints, ResourceRule } from './types.js';

function attrs(over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  const object: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'a' } } };
  return {
    group: '',
    version: 'v1',
    kind: 'Pod',
    resource: 'pods',
    subresource: '',
    namespace: 'default',
    name: 'p',
    operation: 'CREATE',
    object,
    oldObject: null,
    ...over,
  };
}

const podRule: ResourceRule = {
  apiGroups: [''],
  apiVersions: ['v1'],
  resources: ['pods'],
  operations: ['CREATE', 'UPDATE'],
};

describe('resourceRuleMatches', () => {
  const cases: { name: string; rule: ResourceRule; attr: Partial<AdmissionAttributes>; want: boolean }[] = [
    { name: 'exact pods rule', rule: podRule, attr: {}, want: true },
    { name: 'operation not listed', rule: podRule, attr: { operation: 'DELETE' }, want: false },
    {
      name: 'wildcard operation',
      rule: { ...podRule, operations: ['*'] },
      attr: { operation: 'DELETE' },
      want: true,
    },
    { name: 'no operations matches nothing', rule: { ...podRule, operations: [] }, attr: {}, want: false },
    { name: 'other group', rule: podRule, attr: { group: 'apps', resource: 'pods' }, want: false },
    {
      name: 'wildcard group/version/resource',
      rule: { apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*'] },
      attr: { group: 'apps', resource: 'deployments' },
      want: true,
    },
    {
      name: '`*` does not match subresources',
      rule: { ...podRule, resources: ['*'] },
      attr: { subresource: 'status' },
      want: false,
    },
    {
      name: '`*/*` matches subresources',
      rule: { ...podRule, resources: ['*/*'] },
      attr: { subresource: 'status' },
      want: true,
    },
    {
      name: 'pods/status exact',
      rule: { ...podRule, resources: ['pods/status'] },
      attr: { subresource: 'status' },
      want: true,
    },
    { name: 'pods does not match pods/status', rule: podRule, attr: { subresource: 'status' }, want: false },
    {
      name: 'pods/* matches any pod subresource',
      rule: { ...podRule, resources: ['pods/*'] },
      attr: { subresource: 'log' },
      want: true,
    },
    {
      name: '*/scale matches deployments/scale',
      rule: { apiGroups: ['*'], apiVersions: ['*'], resources: ['*/scale'], operations: ['*'] },
      attr: { group: 'apps', resource: 'deployments', subresource: 'scale' },
      want: true,
    },
    {
      name: 'pods rules include ephemeralcontainers',
      rule: podRule,
      attr: { subresource: 'ephemeralcontainers' },
      want: true,
    },
    {
      name: 'scope Namespaced on namespaced object',
      rule: { ...podRule, scope: 'Namespaced' },
      attr: {},
      want: true,
    },
    {
      name: 'scope Cluster on namespaced object',
      rule: { ...podRule, scope: 'Cluster' },
      attr: {},
      want: false,
    },
    {
      name: 'scope Cluster on Namespace object',
      rule: {
        apiGroups: [''],
        apiVersions: ['v1'],
        resources: ['namespaces'],
        operations: ['*'],
        scope: 'Cluster',
      },
      attr: { resource: 'namespaces', namespace: 'x' },
      want: true,
    },
    {
      name: 'resourceNames match the name',
      rule: { ...podRule, resourceNames: ['p'] },
      attr: {},
      want: true,
    },
    {
      name: 'resourceNames exclude other names',
      rule: { ...podRule, resourceNames: ['q'] },
      attr: {},
      want: false,
    },
    {
      name: 'resourceNames match a generateName prefix',
      rule: { ...podRule, resourceNames: ['web-'] },
      attr: { name: '', object: { metadata: { generateName: 'web-abc' } } },
      want: true,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(resourceRuleMatches(c.rule, attrs(c.attr)), c.want));
});

describe('matchConstraints', () => {
  const base: MatchConstraints = { resourceRules: [podRule] };
  test('undefined constraints match nothing', () => {
    assert.equal(matchConstraints(undefined, attrs()).matches, false);
  });
  test('no resourceRules matches everything', () => {
    assert.equal(matchConstraints({}, attrs()).matches, true);
  });
  test('excludeResourceRules win over resourceRules', () => {
    const c: MatchConstraints = { ...base, excludeResourceRules: [{ ...podRule, resourceNames: ['p'] }] };
    assert.equal(matchConstraints(c, attrs()).matches, false);
    assert.equal(matchConstraints(c, attrs({ name: 'q' })).matches, true);
  });
  test('objectSelector against object labels, or oldObject labels', () => {
    const c: MatchConstraints = { ...base, objectSelector: { matchLabels: { app: 'b' } } };
    assert.equal(matchConstraints(c, attrs()).matches, false);
    const old: KubeObject = { metadata: { labels: { app: 'b' } } };
    assert.equal(matchConstraints(c, attrs({ operation: 'UPDATE', oldObject: old })).matches, true);
  });
  test('namespaceSelector uses the namespace object labels', () => {
    const c: MatchConstraints = { ...base, namespaceSelector: { matchLabels: { env: 'prod' } } };
    const ns = (labels: Record<string, string>): KubeObject => ({
      kind: 'Namespace',
      metadata: { name: 'default', labels },
    });
    assert.equal(matchConstraints(c, attrs(), ns({ env: 'prod' })).matches, true);
    assert.equal(matchConstraints(c, attrs(), ns({ env: 'dev' })).matches, false);
  });
  test('without a namespace object, only kubernetes.io/metadata.name is known', () => {
    const byName: MatchConstraints = {
      ...base,
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
    };
    assert.equal(matchConstraints(byName, attrs()).matches, true);
    const byEnv: MatchConstraints = { ...base, namespaceSelector: { matchLabels: { env: 'prod' } } };
    assert.equal(matchConstraints(byEnv, attrs()).matches, false);
  });
  test('cluster-scoped objects are never exempted by namespaceSelector', () => {
    const c: MatchConstraints = {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['nodes'], operations: ['*'] }],
      namespaceSelector: { matchLabels: { env: 'prod' } },
    };
    assert.equal(
      matchConstraints(c, attrs({ resource: 'nodes', kind: 'Node', namespace: '' })).matches,
      true,
    );
  });
  test('a Namespace request is selected by its own labels', () => {
    const c: MatchConstraints = {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: ['*'] }],
      namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
    };
    const object: KubeObject = { kind: 'Namespace', metadata: { name: 'x', labels: { team: 'a' } } };
    assert.equal(
      matchConstraints(c, attrs({ resource: 'namespaces', namespace: 'x', name: 'x', object })).matches,
      true,
    );
  });
  test('a namespace object with another name is a matching error', () => {
    const c: MatchConstraints = { ...base, namespaceSelector: { matchLabels: { env: 'prod' } } };
    const other: KubeObject = { kind: 'Namespace', metadata: { name: 'other' } };
    const out = matchConstraints(c, attrs(), other);
    assert.equal(out.matches, false);
    assert.match(out.error ?? '', /not found/);
  });
  test('isSingleRuleMatch', () => {
    assert.equal(isSingleRuleMatch(base), true);
    assert.equal(isSingleRuleMatch({ ...base, namespaceSelector: {} }), true);
    assert.equal(isSingleRuleMatch({ ...base, objectSelector: { matchLabels: { a: 'b' } } }), false);
    assert.equal(isSingleRuleMatch({ resourceRules: [podRule, podRule] }), false);
    assert.equal(isSingleRuleMatch({ resourceRules: [{ ...podRule, resourceNames: ['x'] }] }), false);
    assert.equal(isSingleRuleMatch(undefined), false);
  });
});

describe('resource kinds', () => {
  const cases = [
    ['Pod', 'pods'],
    ['Ingress', 'ingresses'],
    ['NetworkPolicy', 'networkpolicies'],
    ['Endpoints', 'endpoints'],
    ['MyWidget', 'mywidgets'],
    ['Policy', 'policies'],
    ['Gateway', 'gateways'],
  ] as const;
  for (const [kind, plural] of cases)
    test(`${kind} → ${plural}`, () => assert.equal(resourceForKind(kind), plural));
  test('scope', () => {
    assert.equal(isClusterScopedKind('Namespace'), true);
    assert.equal(isClusterScopedKind('ClusterRole'), true);
    assert.equal(isClusterScopedKind('Pod'), false);
    assert.equal(isClusterScopedKind('MyWidget'), false);
  });
  test('splitApiVersion', () => {
    assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
    assert.deepEqual(splitApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  });
});
