// Kyverno's resourceFilters and user exclusions (reference §9.5; pkg/config/config.go ToFilter,
// IsExcluded; charts/kyverno values.yaml defaults).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RESOURCE_FILTERS, isFilteredRequest, parseResourceFilters } from './resource-filters.js';
import {
  DEFAULT_EXCLUDE_GROUPS,
  isExcludedUser,
  parseExclusionList,
  userExclusions,
} from './user-exclusions.js';

const defaults = parseResourceFilters(DEFAULT_RESOURCE_FILTERS);
const req = (
  kind: string,
  namespace: string,
  name: string,
  extra: { group?: string; sub?: string } = {},
) => ({
  kind: { group: extra.group ?? '', version: 'v1', kind },
  namespace,
  name,
  ...(extra.sub !== undefined ? { subResource: extra.sub } : {}),
});

describe('resource filters', () => {
  test('parses every default entry', () => {
    assert.equal(defaults.length, 17);
    assert.deepEqual(defaults[0], {
      group: '*',
      version: '*',
      kind: 'Event',
      subresource: '',
      namespace: '*',
      name: '*',
    });
    assert.deepEqual(defaults[1], {
      group: '*',
      version: '*',
      kind: '*',
      subresource: '*',
      namespace: 'kube-system',
      name: '*',
    });
  });
  const cases = [
    { name: 'an Event anywhere', r: req('Event', 'default', 'e'), want: true },
    { name: 'a Pod in kube-system', r: req('Pod', 'kube-system', 'p'), want: true },
    {
      name: 'a Pod subresource in kube-system',
      r: req('Pod', 'kube-system', 'p', { sub: 'status' }),
      want: true,
    },
    { name: 'a Pod in default', r: req('Pod', 'default', 'p'), want: false },
    { name: 'the kube-system Namespace itself', r: req('Namespace', '', 'kube-system'), want: true },
    { name: 'another Namespace', r: req('Namespace', '', 'team-a'), want: false },
    { name: 'a Node and its status', r: req('Node', '', 'n1', { sub: 'status' }), want: true },
    { name: 'a ReplicaSet', r: req('ReplicaSet', 'default', 'rs', { group: 'apps' }), want: true },
    { name: 'a Deployment', r: req('Deployment', 'default', 'd', { group: 'apps' }), want: false },
    { name: 'a Pod binding', r: req('Pod', 'default', 'p', { sub: 'binding' }), want: true },
    { name: "Kyverno's own UpdateRequest", r: req('UpdateRequest', 'kyverno', 'ur'), want: true },
  ];
  for (const c of cases)
    test(`${c.name}: ${c.want ? 'filtered' : 'evaluated'}`, () =>
      assert.equal(isFilteredRequest(defaults, c.r), c.want));

  test('an empty filter list filters only Kyverno kinds', () => {
    assert.equal(isFilteredRequest([], req('Event', 'default', 'e')), false);
    assert.equal(isFilteredRequest(parseResourceFilters(''), req('Pod', 'kube-system', 'p')), false);
  });
  test('two-part and one-part entries match the empty name and namespace', () => {
    const f = parseResourceFilters('[ConfigMap,team-a][Secret]');
    assert.equal(isFilteredRequest(f, req('ConfigMap', 'team-a', '')), true);
    assert.equal(isFilteredRequest(f, req('ConfigMap', 'team-a', 'cm')), false);
    assert.equal(isFilteredRequest(f, req('Secret', '', '')), true);
  });
  test('an entry of more than three parts is skipped', () => {
    assert.deepEqual(parseResourceFilters('[a,b,c,d]'), []);
  });
});

describe('user exclusions', () => {
  const user = (username: string, groups: string[] = []) => ({
    username,
    groups,
    roles: [],
    clusterRoles: [],
  });
  test('the default excludes kubelets by group', () => {
    const ex = userExclusions({ excludeGroups: DEFAULT_EXCLUDE_GROUPS });
    assert.equal(isExcludedUser(ex, user('system:node:n1', ['system:nodes', 'system:authenticated'])), true);
    assert.equal(isExcludedUser(ex, user('alice', ['system:authenticated'])), false);
  });
  test('wildcards and `!` re-inclusions', () => {
    const ex = userExclusions({
      excludeUsernames: 'system:serviceaccount:*, !system:serviceaccount:ci:deployer',
    });
    assert.equal(isExcludedUser(ex, user('system:serviceaccount:kube-system:x')), true);
    assert.equal(isExcludedUser(ex, user('system:serviceaccount:ci:deployer')), false);
  });
  test('lists split on commas, blanks and lone `!` dropped', () => {
    assert.deepEqual(parseExclusionList(' a, ,!b, ! ,c'), { exclude: ['a', 'c'], include: ['b'] });
  });
});
