import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../model/kube-object.js';
import {
  type CompiledCleanupPolicy,
  cleanupCandidateMatches,
  cleanupConditionsMet,
  compileCleanupPolicy,
  loadCleanupContext,
} from './cleanup-policy.js';

const policy = (spec: Record<string, unknown>, kind = 'ClusterCleanupPolicy', namespace?: string) => ({
  apiVersion: 'kyverno.io/v2',
  kind,
  metadata: { name: 'p', ...(namespace !== undefined ? { namespace } : {}) },
  spec: { schedule: '*/1 * * * *', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...spec },
});

const compiled = (doc: unknown): CompiledCleanupPolicy => {
  const r = compileCleanupPolicy(doc);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.value;
};

const pod = (name: string, ns: string, labels: Record<string, string> = {}, image = 'nginx'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image }] },
});

describe('cleanup policies', () => {
  test('kinds come from match any/all', () => {
    const c = compiled(
      policy({
        match: {
          any: [{ resources: { kinds: ['Pod', 'apps/v1/Deployment'] } }, { resources: { kinds: ['Pod'] } }],
        },
      }),
    );
    assert.deepEqual(c.kinds, ['Pod', 'apps/v1/Deployment']);
  });

  test('a bad schedule or shape is a diagnostic at its field', () => {
    const r = compileCleanupPolicy(policy({ schedule: 'often' }));
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0]?.path, ['spec', 'schedule']);
    assert.ok(!compileCleanupPolicy({ ...policy({}), spec: { schedule: '* * * * *' } }).ok);
  });

  test('match, exclude and namespaceSelector select candidates', () => {
    const c = compiled(
      policy({
        match: {
          any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { team: 'a' } } } }],
        },
        exclude: { any: [{ resources: { selector: { matchLabels: { keep: 'yes' } } } }] },
      }),
    );
    assert.equal(cleanupCandidateMatches(c, pod('a', 'x'), { team: 'a' }), true);
    assert.equal(cleanupCandidateMatches(c, pod('a', 'x'), { team: 'b' }), false);
    assert.equal(cleanupCandidateMatches(c, pod('a', 'x', { keep: 'yes' }), { team: 'a' }), false);
    assert.equal(
      cleanupCandidateMatches(c, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, {}),
      false,
    );
  });

  test('a CleanupPolicy never selects outside its namespace', () => {
    const c = compiled(policy({}, 'CleanupPolicy', 'team'));
    assert.equal(c.namespace, 'team');
    assert.equal(cleanupCandidateMatches(c, pod('a', 'team'), {}), true);
    assert.equal(cleanupCandidateMatches(c, pod('a', 'other'), {}), false);
  });

  test('conditions see target, request.namespace, images and context entries', () => {
    const c = compiled(
      policy({
        context: [{ name: 'limit', variable: { value: 'nginx' } }],
        conditions: {
          all: [
            { key: "{{ target.metadata.labels.env || '' }}", operator: 'Equals', value: 'test' },
            { key: '{{ request.namespace }}', operator: 'Equals', value: 'ns' },
            { key: '{{ images.containers.c.name }}', operator: 'Equals', value: '{{ limit }}' },
          ],
        },
      }),
    );
    const ctx = loadCleanupContext(c, {});
    assert.ok(ctx.ok);
    assert.deepEqual(cleanupConditionsMet(c, ctx.root, pod('a', 'ns', { env: 'test' })), { met: true });
    assert.deepEqual(cleanupConditionsMet(c, ctx.root, pod('a', 'ns', { env: 'prod' })), { met: false });
    assert.deepEqual(cleanupConditionsMet(c, ctx.root, pod('a', 'ns', { env: 'test' }, 'redis')), {
      met: false,
    });
  });

  test('an unresolvable variable is an error, not a match', () => {
    const c = compiled(
      policy({ conditions: { any: [{ key: '{{ nope.x }}', operator: 'Equals', value: 1 }] } }),
    );
    const v = cleanupConditionsMet(c, {}, pod('a', 'ns'));
    assert.ok('error' in v);
  });
});
