import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Binding, type BindingSubject, type BindingUser, roleRefs } from './role-refs.js';

const rb = (ns: string, kind: string, name: string, subjects: readonly BindingSubject[]): Binding => ({
  metadata: { namespace: ns },
  roleRef: { kind, name },
  subjects,
});
const crb = (name: string, subjects: readonly BindingSubject[]): Binding => ({
  roleRef: { kind: 'ClusterRole', name },
  subjects,
});

const ROLE_BINDINGS: Binding[] = [
  rb('team-a', 'Role', 'editor', [{ kind: 'User', name: 'alice' }]),
  rb('team-a', 'Role', 'viewer', [{ kind: 'Group', name: 'devs' }]),
  rb('team-a', 'ClusterRole', 'admin', [{ kind: 'User', name: 'alice' }]),
  rb('team-b', 'ClusterRole', 'view', [{ kind: 'User', name: 'alice' }]),
  rb('team-b', 'Role', 'deployer', [{ kind: 'ServiceAccount', name: 'ci' }]),
  rb('team-b', 'Role', 'other-ns-sa', [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }]),
  rb('team-b', 'Role', 'editor', [{ kind: 'User', name: 'alice' }]),
];
const CLUSTER_ROLE_BINDINGS: Binding[] = [
  crb('cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
  crb('auditor', [
    { kind: 'User', name: 'bob' },
    { kind: 'Group', name: 'devs' },
  ]),
  { roleRef: { kind: 'Role', name: 'ignored' }, subjects: [{ kind: 'User', name: 'alice' }] },
];

const cases: { name: string; user: BindingUser; ns: string; roles: string[]; clusterRoles: string[] }[] = [
  {
    name: 'a user: Roles of every namespace, ClusterRoles bound by RoleBinding only in the request namespace',
    user: { username: 'alice' },
    ns: 'team-a',
    roles: ['team-a:editor', 'team-b:editor'],
    clusterRoles: ['admin'],
  },
  {
    name: 'the same user in another namespace',
    user: { username: 'alice' },
    ns: 'team-b',
    roles: ['team-a:editor', 'team-b:editor'],
    clusterRoles: ['view'],
  },
  {
    name: 'a group binds Roles and ClusterRoles',
    user: { username: 'carol', groups: ['devs'] },
    ns: '',
    roles: ['team-a:viewer'],
    clusterRoles: ['auditor'],
  },
  {
    name: 'a service account subject without namespace takes the binding namespace',
    user: { username: 'system:serviceaccount:team-b:ci' },
    ns: 'team-b',
    roles: ['team-b:deployer'],
    clusterRoles: [],
  },
  {
    name: 'a service account subject with a namespace names that namespace',
    user: { username: 'system:serviceaccount:tools:ci' },
    ns: 'team-b',
    roles: ['team-b:other-ns-sa'],
    clusterRoles: [],
  },
  {
    name: 'a user bound to nothing',
    user: { username: 'mallory', groups: ['system:authenticated'] },
    ns: 'team-a',
    roles: [],
    clusterRoles: [],
  },
  {
    name: 'system:masters',
    user: { username: 'admin', groups: ['system:masters'] },
    ns: '',
    roles: [],
    clusterRoles: ['cluster-admin'],
  },
];

for (const c of cases) {
  test(`roleRefs: ${c.name}`, () => {
    assert.deepEqual(roleRefs(ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS, c.user, c.ns), {
      roles: c.roles,
      clusterRoles: c.clusterRoles,
    });
  });
}

test('roleRefs: duplicates collapse and the lists are sorted', () => {
  const twice = [
    crb('b', [{ kind: 'User', name: 'u' }]),
    crb('a', [{ kind: 'User', name: 'u' }]),
    crb('b', [{ kind: 'User', name: 'u' }]),
  ];
  assert.deepEqual(roleRefs([], twice, { username: 'u' }, '').clusterRoles, ['a', 'b']);
});
