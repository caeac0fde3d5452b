import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompileMemo } from '../compile-memo.js';
import { gvkOf, kindListContains, kindsMatch, parseKindSelector } from './kind-selector.js';

// Kyverno pkg/utils/kube/kind_test.go TestParseKindSelector
const parseCases: [string, [string, string, string, string]][] = [
  ['*', ['*', '*', '*', '']],
  ['*.*', ['*', '*', '*', '*']],
  ['*/*', ['*', '*', '*', '*']],
  ['Pod', ['*', '*', 'Pod', '']],
  ['v1/Pod', ['*', 'v1', 'Pod', '']],
  ['batch/*/CronJob', ['batch', '*', 'CronJob', '']],
  ['storage.k8s.io/v1/CSIDriver', ['storage.k8s.io', 'v1', 'CSIDriver', '']],
  ['tekton.dev/v1beta1/TaskRun/status', ['tekton.dev', 'v1beta1', 'TaskRun', 'status']],
  ['v1/Pod.status', ['*', 'v1', 'Pod', 'status']],
  ['v1/Pod/status', ['*', 'v1', 'Pod', 'status']],
  ['Pod.status', ['*', '*', 'Pod', 'status']],
  ['Pod/status', ['*', '*', 'Pod', 'status']],
  ['apps/v1/Deployment/scale', ['apps', 'v1', 'Deployment', 'scale']],
  ['v1/ReplicationController/scale', ['*', 'v1', 'ReplicationController', 'scale']],
  ['*/ReplicationController/scale', ['*', '*', 'ReplicationController', 'scale']],
  ['*/Deployment/scale', ['*', '*', 'Deployment', 'scale']],
  ['*/Deployment.scale', ['*', '*', 'Deployment', 'scale']],
  ['apps/v1/Deployment.scale', ['apps', 'v1', 'Deployment', 'scale']],
  ['*/scale', ['*', '*', '*', 'scale']],
  ['Pod/*', ['*', '*', 'Pod', '*']],
  ['*/*/*', ['*', '*', '*', '*']],
  ['*/*/*/*', ['*', '*', '*', '*']],
  ['*/*/*/*/*', ['', '', '', '']],
  ['v10beta12/Foo', ['*', 'v10beta12', 'Foo', '']],
];

describe('parseKindSelector (ParseKindSelector table)', () => {
  for (const [input, [group, version, kind, subresource]] of parseCases) {
    test(input, () => assert.deepEqual(parseKindSelector(input), { group, version, kind, subresource }));
  }
});

const pod = { group: '', version: 'v1', kind: 'Pod' };
// Kyverno pkg/utils/match/kind_test.go Test_CheckKind
const checkCases: {
  kinds: string[];
  gvk: { group: string; version: string; kind: string };
  sub: string;
  eph: boolean;
  want: boolean;
}[] = [
  { kinds: ['*'], gvk: { group: '', version: 'v1', kind: 'Deployment' }, sub: '', eph: false, want: true },
  { kinds: ['Pod'], gvk: pod, sub: '', eph: false, want: true },
  { kinds: ['v1/Pod'], gvk: pod, sub: '', eph: false, want: true },
  {
    kinds: ['tekton.dev/v1beta1/TaskRun'],
    gvk: { group: 'tekton.dev', version: 'v1beta1', kind: 'TaskRun' },
    sub: '',
    eph: false,
    want: true,
  },
  {
    kinds: ['tekton.dev/*/TaskRun'],
    gvk: { group: 'tekton.dev', version: 'v1alpha1', kind: 'TaskRun' },
    sub: '',
    eph: false,
    want: true,
  },
  { kinds: ['v1/Pod'], gvk: pod, sub: 'status', eph: false, want: false },
  { kinds: ['v1/Pod'], gvk: pod, sub: 'ephemeralcontainers', eph: true, want: true },
  { kinds: ['v1/Pod'], gvk: pod, sub: 'ephemeralcontainers', eph: false, want: false },
  {
    kinds: ['postgresdb'],
    gvk: { group: 'acid.zalan.do', version: 'v1', kind: 'postgresdb' },
    sub: '',
    eph: false,
    want: true,
  },
  {
    kinds: ['Postgresdb'],
    gvk: { group: 'acid.zalan.do', version: 'v1', kind: 'postgresdb' },
    sub: '',
    eph: false,
    want: false,
  },
  {
    kinds: ['networking.k8s.io/v1/NetworkPolicy/status'],
    gvk: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
    sub: 'status',
    eph: false,
    want: true,
  },
  { kinds: ['v1/Pod.status'], gvk: pod, sub: 'status', eph: false, want: true },
  { kinds: ['*/Pod.eviction'], gvk: pod, sub: 'eviction', eph: false, want: true },
  { kinds: ['v1alpha1/Pod.eviction'], gvk: pod, sub: 'eviction', eph: false, want: false },
  { kinds: ['*/*'], gvk: pod, sub: 'exec', eph: false, want: true },
  { kinds: ['*'], gvk: pod, sub: 'exec', eph: false, want: false },
  { kinds: ['Pod/exec'], gvk: pod, sub: 'exec', eph: false, want: true },
  {
    kinds: ['apps/v1/Deployment'],
    gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
    sub: '',
    eph: false,
    want: true,
  },
  {
    kinds: ['apps/v1/Deployment'],
    gvk: { group: 'extensions', version: 'v1beta1', kind: 'Deployment' },
    sub: '',
    eph: false,
    want: false,
  },
  {
    kinds: ['Config*'],
    gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
    sub: '',
    eph: false,
    want: true,
  },
];

describe('kindsMatch (CheckKind table)', () => {
  for (const c of checkCases) {
    test(`${c.kinds.join(',')} vs ${c.gvk.group}/${c.gvk.version}/${c.gvk.kind}${c.sub ? `/${c.sub}` : ''}`, () =>
      assert.equal(kindsMatch(c.kinds, c.gvk, c.sub, c.eph), c.want));
  }
});

describe('gvkOf', () => {
  test('core group', () => assert.deepEqual(gvkOf('v1', 'Pod'), { group: '', version: 'v1', kind: 'Pod' }));
  test('named group', () =>
    assert.deepEqual(gvkOf('apps/v1', 'Deployment'), { group: 'apps', version: 'v1', kind: 'Deployment' }));
  test('missing apiVersion', () =>
    assert.deepEqual(gvkOf(undefined, 'X'), { group: '', version: '', kind: 'X' }));
});

describe('kindListContains (ContainsKind)', () => {
  const cases: [string[], boolean][] = [
    [['Pod'], true],
    [['v1/Pod'], true],
    [['Pod/exec'], true],
    [['Pod.status'], true],
    [['Deployment', 'Job'], false],
    [['*'], false],
  ];
  for (const [list, want] of cases)
    test(list.join(','), () => assert.equal(kindListContains(list, 'Pod'), want));
});

describe('kind selectors kept by a memo', () => {
  test('repeated parses give the same selector; different strings stay apart', () => {
    const memo = new CompileMemo();
    const first = memo.kindSelector('apps/v1/Deployment/scale');
    assert.equal(memo.kindSelector('apps/v1/Deployment/scale'), first);
    assert.deepEqual(first, { group: 'apps', version: 'v1', kind: 'Deployment', subresource: 'scale' });
    assert.deepEqual(memo.kindSelector('Pod.status'), {
      group: '*',
      version: '*',
      kind: 'Pod',
      subresource: 'status',
    });
  });
});
