import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MatchResources, ResourceDescription, Rule } from '../kinds/cluster-policy/types.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Operation, RequestInfo } from '../request.js';
import type { MatchInput } from './match-input.js';
import { matchKindGate, resourcesMatch, ruleMatches } from './match-rule.js';

const pod = (meta: KubeObject['metadata'] = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod', ...meta },
});
const input = (resource: KubeObject, extra: Partial<MatchInput> = {}): MatchInput => ({
  resource,
  operation: 'CREATE' as Operation,
  ...extra,
});
const only = (resources: ResourceDescription): Rule => ({ name: 'r', match: { any: [{ resources }] } });

// kyverno.io "Selecting Resources": each attribute of a resource filter, ANDed; OR within lists.
describe('resource filter attributes', () => {
  const cases: { name: string; rd: ResourceDescription; in: MatchInput; want: boolean }[] = [
    { name: 'kind', rd: { kinds: ['Pod'] }, in: input(pod()), want: true },
    { name: 'kind mismatch', rd: { kinds: ['Deployment'] }, in: input(pod()), want: false },
    { name: 'kind list is OR', rd: { kinds: ['Deployment', 'Pod'] }, in: input(pod()), want: true },
    {
      name: 'GVK from apiVersion',
      rd: { kinds: ['apps/v1/Deployment'] },
      in: input({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }),
      want: true,
    },
    {
      name: 'kind without subresource vs subresource request',
      rd: { kinds: ['Pod'] },
      in: input(pod(), { subresource: 'exec', operation: 'CONNECT' }),
      want: false,
    },
    {
      name: 'Pod/exec',
      rd: { kinds: ['Pod/exec'] },
      in: input(pod(), { subresource: 'exec', operation: 'CONNECT' }),
      want: true,
    },
    {
      name: 'Pod matches ephemeralcontainers',
      rd: { kinds: ['Pod'] },
      in: input(pod(), { subresource: 'ephemeralcontainers', operation: 'UPDATE' }),
      want: true,
    },
    { name: 'names wildcard', rd: { kinds: ['Pod'], names: ['db-*', 'we?'] }, in: input(pod()), want: true },
    { name: 'names mismatch', rd: { kinds: ['Pod'], names: ['db-*'] }, in: input(pod()), want: false },
    { name: 'legacy name', rd: { kinds: ['Pod'], name: 'w*' }, in: input(pod()), want: true },
    {
      name: 'generateName fallback',
      rd: { kinds: ['Pod'], names: ['web-*'] },
      in: input(pod({ name: '', generateName: 'web-' })),
      want: true,
    },
    {
      name: 'namespaces wildcard',
      rd: { kinds: ['Pod'], namespaces: ['pr*'] },
      in: input(pod()),
      want: true,
    },
    {
      name: 'namespaces mismatch',
      rd: { kinds: ['Pod'], namespaces: ['dev'] },
      in: input(pod()),
      want: false,
    },
    {
      name: 'Namespace object compares its own name',
      rd: { kinds: ['Namespace'], namespaces: ['team-*'] },
      in: input({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
      want: true,
    },
    {
      name: 'annotations wildcard',
      rd: { kinds: ['Pod'], annotations: { 'owner.io/*': 'team-?' } },
      in: input(pod({ annotations: { 'owner.io/name': 'team-a' } })),
      want: true,
    },
    {
      name: 'annotations missing',
      rd: { kinds: ['Pod'], annotations: { owner: '*' } },
      in: input(pod()),
      want: false,
    },
    {
      name: 'selector',
      rd: { kinds: ['Pod'], selector: { matchLabels: { app: 'web' } } },
      in: input(pod({ labels: { app: 'web' } })),
      want: true,
    },
    {
      name: 'selector mismatch',
      rd: { kinds: ['Pod'], selector: { matchLabels: { app: 'db' } } },
      in: input(pod({ labels: { app: 'web' } })),
      want: false,
    },
    {
      name: 'namespaceSelector',
      rd: { kinds: ['Pod'], namespaceSelector: { matchLabels: { env: 'prod' } } },
      in: input(pod(), { namespaceLabels: { env: 'prod' } }),
      want: true,
    },
    {
      name: 'namespaceSelector without labels = empty set',
      rd: { kinds: ['Pod'], namespaceSelector: { matchLabels: { env: 'prod' } } },
      in: input(pod()),
      want: false,
    },
    {
      name: 'namespaceSelector NotIn without labels',
      rd: {
        kinds: ['Pod'],
        namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      },
      in: input(pod()),
      want: true,
    },
    {
      name: 'namespaceSelector never matches Namespace',
      rd: { kinds: ['Namespace'], namespaceSelector: {} },
      in: input({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { namespaceLabels: {} }),
      want: false,
    },
    {
      name: 'operations',
      rd: { kinds: ['Pod'], operations: ['CREATE', 'UPDATE'] },
      in: input(pod()),
      want: true,
    },
    {
      name: 'operations mismatch',
      rd: { kinds: ['Pod'], operations: ['DELETE'] },
      in: input(pod()),
      want: false,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(ruleMatches(only(c.rd), c.in), c.want));
});

describe('any / all / legacy / exclude', () => {
  const podKinds = { resources: { kinds: ['Pod'] } };
  const inProd = { resources: { namespaces: ['prod'] } };
  const inDev = { resources: { namespaces: ['dev'] } };
  const cases: { name: string; rule: Rule; want: boolean }[] = [
    {
      name: 'any: one filter suffices',
      rule: { name: 'r', match: { any: [{ resources: { kinds: ['Deployment'] } }, podKinds] } },
      want: true,
    },
    {
      name: 'all: every filter must match',
      rule: { name: 'r', match: { all: [podKinds, inDev] } },
      want: false,
    },
    { name: 'all: both match', rule: { name: 'r', match: { all: [podKinds, inProd] } }, want: true },
    { name: 'legacy resources', rule: { name: 'r', match: { resources: { kinds: ['Pod'] } } }, want: true },
    { name: 'empty match never matches', rule: { name: 'r', match: {} }, want: false },
    { name: 'empty filter in all fails', rule: { name: 'r', match: { all: [podKinds, {}] } }, want: false },
    {
      name: 'exclude.any: one filter excludes',
      rule: { name: 'r', match: { any: [podKinds] }, exclude: { any: [inDev, inProd] } },
      want: false,
    },
    {
      name: 'exclude.any: no filter matches',
      rule: { name: 'r', match: { any: [podKinds] }, exclude: { any: [inDev] } },
      want: true,
    },
    {
      name: 'exclude.all: only some match → kept',
      rule: { name: 'r', match: { any: [podKinds] }, exclude: { all: [inProd, inDev] } },
      want: true,
    },
    {
      name: 'exclude.all: all match → excluded',
      rule: { name: 'r', match: { any: [podKinds] }, exclude: { all: [inProd, podKinds] } },
      want: false,
    },
    {
      name: 'legacy exclude',
      rule: {
        name: 'r',
        match: { resources: { kinds: ['Pod'] } },
        exclude: { resources: { namespaces: ['prod'] } },
      },
      want: false,
    },
    {
      name: 'empty exclude filter excludes nothing',
      rule: { name: 'r', match: { any: [podKinds] }, exclude: { any: [{}] } },
      want: true,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(ruleMatches(c.rule, input(pod())), c.want));
});

describe('robustness', () => {
  test('numeric YAML scalars in names/namespaces do not throw', () => {
    const rule = {
      name: 'r',
      match: {
        any: [
          {
            resources: {
              kinds: ['Pod'],
              names: [2024] as unknown as string[],
              namespaces: [7] as unknown as string[],
            },
          },
        ],
      },
    };
    assert.equal(ruleMatches(rule, input(pod({ name: '2024', namespace: '7' }))), true);
  });
});

describe('Policy namespace scoping', () => {
  const rule = only({ kinds: ['Pod'] });
  test('same namespace', () =>
    assert.equal(ruleMatches(rule, input(pod(), { policyNamespace: 'prod' })), true));
  test('other namespace', () =>
    assert.equal(ruleMatches(rule, input(pod(), { policyNamespace: 'dev' })), false));
  test('cluster-scoped resource', () =>
    assert.equal(
      ruleMatches(
        only({ kinds: ['*'] }),
        input({ kind: 'Node', apiVersion: 'v1', metadata: { name: 'n' } }, { policyNamespace: 'dev' }),
      ),
      false,
    ));
});

describe('subjects, roles, clusterRoles', () => {
  const alice: RequestInfo = {
    userInfo: { username: 'alice', groups: ['devs', 'system:authenticated'] },
    roles: ['prod:viewer'],
    clusterRoles: ['cluster-admin'],
  };
  const sa: RequestInfo = {
    userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: [] },
    roles: [],
    clusterRoles: [],
  };
  const withUser = (m: MatchResources): Rule => ({ name: 'r', match: m });
  const cases: { name: string; rule: Rule; info?: RequestInfo; want: boolean }[] = [
    {
      name: 'User wildcard',
      rule: withUser({
        any: [{ subjects: [{ kind: 'User', name: 'ali*' }], resources: { kinds: ['Pod'] } }],
      }),
      info: alice,
      want: true,
    },
    {
      name: 'User mismatch',
      rule: withUser({ any: [{ subjects: [{ kind: 'User', name: 'bob' }], resources: { kinds: ['Pod'] } }] }),
      info: alice,
      want: false,
    },
    {
      name: 'Group',
      rule: withUser({ any: [{ subjects: [{ kind: 'Group', name: 'dev?' }] }] }),
      info: alice,
      want: true,
    },
    {
      name: 'ServiceAccount',
      rule: withUser({
        any: [{ subjects: [{ kind: 'ServiceAccount', name: '*', namespace: 'kube-system' }] }],
      }),
      info: sa,
      want: true,
    },
    {
      name: 'ServiceAccount other namespace',
      rule: withUser({ any: [{ subjects: [{ kind: 'ServiceAccount', name: '*', namespace: 'default' }] }] }),
      info: sa,
      want: false,
    },
    {
      name: 'any subject in the list',
      rule: withUser({
        any: [
          {
            subjects: [
              { kind: 'User', name: 'bob' },
              { kind: 'Group', name: 'devs' },
            ],
          },
        ],
      }),
      info: alice,
      want: true,
    },
    {
      name: 'roles',
      rule: withUser({ any: [{ roles: ['prod:viewer'], resources: { kinds: ['Pod'] } }] }),
      info: alice,
      want: true,
    },
    {
      name: 'clusterRoles exact only',
      rule: withUser({ any: [{ clusterRoles: ['cluster-*'] }] }),
      info: alice,
      want: false,
    },
    {
      name: 'no admission info: subjects ignored on match',
      rule: withUser({ any: [{ subjects: [{ kind: 'User', name: 'bob' }], resources: { kinds: ['Pod'] } }] }),
      want: true,
    },
    {
      name: 'no admission info: subjects-only filter is empty',
      rule: withUser({ any: [{ subjects: [{ kind: 'User', name: 'bob' }] }] }),
      want: false,
    },
    {
      name: 'exclude by user',
      rule: {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        exclude: { any: [{ subjects: [{ kind: 'User', name: 'alice' }] }] },
      },
      info: alice,
      want: false,
    },
    {
      name: 'exclude by user without admission info keeps',
      rule: {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        exclude: { any: [{ subjects: [{ kind: 'User', name: 'alice' }] }] },
      },
      want: true,
    },
    {
      name: 'exclude by clusterRole',
      rule: {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        exclude: { any: [{ clusterRoles: ['cluster-admin'] }] },
      },
      info: alice,
      want: false,
    },
  ];
  for (const c of cases) {
    test(c.name, () =>
      assert.equal(ruleMatches(c.rule, input(pod(), c.info ? { requestInfo: c.info } : {})), c.want),
    );
  }
});

describe('resourcesMatch modes', () => {
  test('exception mode has no legacy form', () =>
    assert.equal(resourcesMatch({ resources: { kinds: ['Pod'] } }, input(pod()), 'exception'), false));
  test('exception mode checks subjects without admission info', () =>
    assert.equal(
      resourcesMatch(
        { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'x' }] }] },
        input(pod()),
        'exception',
      ),
      false,
    ));
  test('exception mode: namespaceSelector skipped for Namespace objects', () =>
    assert.equal(
      resourcesMatch(
        { any: [{ resources: { kinds: ['Namespace'], namespaceSelector: { matchLabels: { a: 'b' } } } }] },
        input({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }),
        'exception',
      ),
      true,
    ));
});

// The kind gate lets evaluation skip a rule before matching: whenever it names kinds, a resource of
// any other kind must not match, whatever the rest of the block says; with wildcards it names none.
describe('matchKindGate', () => {
  const blocks: { name: string; match: MatchResources | undefined; gate: string[] | undefined }[] = [
    { name: 'any, one kind', match: { any: [{ resources: { kinds: ['Pod'] } }] }, gate: ['Pod'] },
    {
      name: 'any, versioned and subresource selectors',
      match: { any: [{ resources: { kinds: ['v1/Pod', 'apps/v1/Deployment/scale', 'Pod.status'] } }] },
      gate: ['Pod', 'Deployment'],
    },
    {
      name: 'any, several filters',
      match: {
        any: [{ resources: { kinds: ['Pod'], namespaces: ['a'] } }, { resources: { kinds: ['Job'] } }],
      },
      gate: ['Pod', 'Job'],
    },
    {
      name: 'all, kinds in each filter',
      match: {
        all: [{ resources: { kinds: ['Pod'] } }, { resources: { kinds: ['Pod', 'Job'], names: ['w*'] } }],
      },
      gate: ['Pod', 'Job'],
    },
    { name: 'legacy resources form', match: { resources: { kinds: ['CronJob'] } }, gate: ['CronJob'] },
    {
      name: 'a filter without kinds',
      match: { any: [{ resources: { kinds: ['Pod'] } }, { subjects: [] }] },
      gate: undefined,
    },
    {
      name: 'an empty kinds list',
      match: { any: [{ resources: { kinds: [], names: ['x'] } }] },
      gate: undefined,
    },
    { name: 'a wildcard kind', match: { any: [{ resources: { kinds: ['*'] } }] }, gate: undefined },
    { name: 'a wildcard in a kind', match: { any: [{ resources: { kinds: ['Po?'] } }] }, gate: undefined },
    { name: '*/* selector', match: { any: [{ resources: { kinds: ['*/*'] } }] }, gate: undefined },
    { name: 'no match block', match: undefined, gate: undefined },
    {
      name: 'empty any falls back to all',
      match: { any: [], all: [{ resources: { kinds: ['Job'] } }] },
      gate: ['Job'],
    },
  ];
  const resources: { resource: KubeObject; extra?: Partial<MatchInput> }[] = [
    { resource: pod() },
    { resource: pod({ name: 'w1', namespace: 'a' }) },
    {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' } },
      extra: { subresource: 'scale' },
    },
    { resource: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' } } },
    { resource: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'w2' } } },
    { resource: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' } } },
    { resource: { metadata: { name: 'kindless' } } },
    // The request names another kind than the object's (resourceKind wins, as in the matcher).
    { resource: pod(), extra: { resourceKind: { group: 'batch', version: 'v1', kind: 'Job' } } },
  ];

  for (const b of blocks) {
    test(b.name, () => {
      const gate = matchKindGate(b.match);
      assert.deepEqual(gate === undefined ? undefined : [...gate].sort(), b.gate?.slice().sort());
      if (gate === undefined) return;
      for (const { resource, extra } of resources) {
        const i = input(resource, extra);
        const kind = i.resourceKind?.kind ?? resource.kind ?? '';
        const rule: Rule = b.match !== undefined ? { name: 'r', match: b.match } : { name: 'r' };
        if (!gate.has(kind)) assert.equal(ruleMatches(rule, i), false, `${b.name}: ${kind}`);
      }
    });
  }

  test('a gate that admits the kind leaves the answer to the matcher', () => {
    const match: MatchResources = { any: [{ resources: { kinds: ['Pod'], namespaces: ['other'] } }] };
    assert.ok(matchKindGate(match)?.has('Pod'));
    assert.equal(ruleMatches({ name: 'r', match }, input(pod())), false);
    assert.equal(ruleMatches({ name: 'r', match }, input(pod({ namespace: 'other' }))), true);
  });
});
