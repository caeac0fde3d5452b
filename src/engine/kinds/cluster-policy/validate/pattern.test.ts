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
  });
  test('anyPattern reports the first failing pattern', () => {
    const r = validateWithAnyPattern(
      [{ spec: { containers: [{ image: '!*:latest' }] } }, { spec: { containers: [{ name: 'x*' }] } }],
      target,
    );
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.path, ['spec', 'containers', 1, 'image']);
  });
  test('a pass has no path', () => {
    assert.equal(validateWithPattern({ spec: { containers: [{ image: '?*' }] } }, target).path, undefined);
  });
});
