// Failure paths of validate.pattern as field paths, so the CLI can point at the offending line.
// kyverno.io/docs/policy-types/cluster-policy/validate ("Patterns"): failures read `failed at path /spec/...`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonContext } from '../../../context/json-context.js';
import type { Rule } from '../types.js';
import { kyvernoPathToFieldPath, validateWithAnyPattern, validateWithPattern } from './pattern.js';

describe('kyvernoPathToFieldPath', () => {
  const pod = {
    metadata: { labels: { 'app.kubernetes.io/name': 'web', team: 'a' } },
    spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
  };
  const cases = [
    { path: '/spec/containers/0/image/', want: ['spec', 'containers', 0, 'image'] },
    { path: '/metadata/labels/team/', want: ['metadata', 'labels', 'team'] },
    {
      name: 'a key holding / is rejoined',
      path: '/metadata/labels/app.kubernetes.io/name/',
      want: ['metadata', 'labels', 'app.kubernetes.io/name'],
    },
    {
      name: 'missing keys stay split',
      path: '/metadata/annotations/a/b/',
      want: ['metadata', 'annotations', 'a', 'b'],
    },
    { path: '/', want: [] },
  ];
  for (const c of cases)
    test(c.name ?? c.path, () => assert.deepEqual(kyvernoPathToFieldPath(c.path, pod), c.want));
});

// The conversion as first written (longest joined key found by shrinking), as the reference.
function referencePath(kyvernoPath: string, resource: unknown): (string | number)[] {
  const segs = kyvernoPath.split('/').filter((s) => s !== '');
  const out: (string | number)[] = [];
  let node: unknown = resource;
  for (let i = 0; i < segs.length; ) {
    if (Array.isArray(node) && /^\d+$/.test(segs[i] ?? '')) {
      const n = Number(segs[i]);
      out.push(n);
      node = node[n];
      i++;
      continue;
    }
    const map = typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
    let j = segs.length;
    while (j > i + 1 && (map === undefined || !Object.hasOwn(map, segs.slice(i, j).join('/')))) j--;
    const key = segs.slice(i, j).join('/');
    out.push(key);
    node = map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
    i = j;
  }
  return out;
}

describe('kyvernoPathToFieldPath against the reference', () => {
  const resource = {
    metadata: {
      labels: { a: 'x', 'a/b': 'y', 'a/b/c': 'z', 'x.io/k/v': '1' },
      annotations: { 'container.apparmor.security.beta.kubernetes.io/nginx': 'u' },
    },
    spec: {
      containers: [{ name: 'c', ports: [{ hostPort: 1 }], '0': 'zero' }],
      '12': { '3': [] },
      'q/0': ['w'],
    },
  };
  const paths = [
    '/',
    '',
    '/metadata/labels/a/',
    '/metadata/labels/a/b/',
    '/metadata/labels/a/b/c/',
    '/metadata/labels/a/b/c/d/',
    '/metadata/labels/x.io/k/v/',
    '/metadata/labels/x.io/k/',
    '/metadata/annotations/container.apparmor.security.beta.kubernetes.io/nginx/',
    '/spec/containers/0/ports/0/hostPort/',
    '/spec/containers/0/0/',
    '/spec/containers/00/name/',
    '/spec/containers/1/name/',
    '/spec/containers/x/',
    '/spec/12/3/0/',
    '/spec/q/0/0/',
    '/nothing/here/at/all/',
    '//spec//containers//0//',
  ];
  for (const path of paths)
    test(path === '' ? '(empty)' : path, () =>
      assert.deepEqual(kyvernoPathToFieldPath(path, resource), referencePath(path, resource)),
    );
});

describe('pattern failures carry the path', () => {
  const rule = { name: 'check', validate: { message: 'no latest' } } as unknown as Rule;
  const resource = {
    spec: {
      containers: [
        { name: 'ok', image: 'nginx:1' },
        { name: 'bad', image: 'nginx:latest' },
      ],
    },
  };
  const target = {
    rule,
    ctx: new JsonContext({ request: { object: resource } }),
    resource,
    operation: 'CREATE',
  };

  test('pattern', () => {
    const r = validateWithPattern({ spec: { containers: [{ image: '!*:latest' }] } }, target);
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.path, ['spec', 'containers', 1, 'image']);
    // ruleResult's keys then the path: JSON outputs write the result in this order.
    assert.deepEqual(Object.keys(r), ['name', 'type', 'status', 'message', 'path']);
  });
  test('anyPattern reports the first failing pattern', () => {
    const r = validateWithAnyPattern(
      [{ spec: { containers: [{ image: '!*:latest' }] } }, { spec: { containers: [{ name: 'x*' }] } }],
      target,
    );
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.path, ['spec', 'containers', 1, 'image']);
    assert.deepEqual(Object.keys(r), ['name', 'type', 'status', 'message', 'path']);
    assert.match(r.message, /rule check\[0\] failed at path \/spec\/containers\/1\/image\//);
  });
  test('a pass has no path', () => {
    assert.equal(validateWithPattern({ spec: { containers: [{ image: '?*' }] } }, target).path, undefined);
  });
});
