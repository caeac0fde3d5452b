import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import { loadDeletingPolicy } from '../cel-shared/load-cel-kinds.js';
import { cronScheduleProblem } from './cron-schedule.js';
import { compileDeletingPolicy, type DeletingPolicy, evaluateDeletingPolicy } from './deleting-policy.js';

// The kyverno.io DeletingPolicy example: delete Pods labelled env=test.
const dpol: DeletingPolicy = {
  apiVersion: 'policies.kyverno.io/v1beta1',
  kind: 'DeletingPolicy',
  metadata: { name: 'cleanup-test-pods' },
  spec: {
    schedule: '*/5 * * * *',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] },
    variables: [{ name: 'env', expression: "object.metadata.?labels.env.orValue('')" }],
    conditions: [{ name: 'is-test', expression: "variables.env == 'test'" }],
  },
};

const pod = (name: string, env: string, kind = 'Pod'): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: 'default', labels: { env } },
});

function evaluate(p: DeletingPolicy, o: KubeObject) {
  const c = compileDeletingPolicy(p);
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  const resource = o.kind === 'Pod' ? 'pods' : 'configmaps';
  return evaluateDeletingPolicy(
    c.value,
    {
      group: '',
      version: 'v1',
      kind: o.kind ?? '',
      resource,
      subresource: '',
      namespace: 'default',
      name: o.metadata?.name ?? '',
      object: o,
      oldObject: null,
    },
    null,
    { ports: {} },
  );
}

describe('DeletingPolicy', () => {
  test('conditions decide: pass "resource matched" / fail "resource did not match"', () => {
    assert.deepEqual(
      [evaluate(dpol, pod('a', 'test'))?.status, evaluate(dpol, pod('a', 'test'))?.message],
      ['pass', 'resource matched'],
    );
    assert.deepEqual(
      [evaluate(dpol, pod('b', 'prod'))?.status, evaluate(dpol, pod('b', 'prod'))?.message],
      ['fail', 'resource did not match'],
    );
  });

  // Kyverno's CLI (apply --resource) gives no row to a resource matchConstraints do not select,
  // and does not check a namespaced policy's namespace: undefined is "no row".
  const { matchConstraints: _unused, ...unconstrained } = dpol.spec;
  const nsd: DeletingPolicy = {
    ...dpol,
    kind: 'NamespacedDeletingPolicy',
    metadata: { name: 'n', namespace: 'test' },
  };
  const rows: [string, DeletingPolicy, KubeObject, string | undefined][] = [
    ['a selected kind, conditions hold', dpol, pod('a', 'test'), 'pass'],
    ['a selected kind, conditions fail', dpol, pod('b', 'prod'), 'fail'],
    ['a kind outside matchConstraints', dpol, pod('c', 'test', 'ConfigMap'), undefined],
    ['no matchConstraints', { ...dpol, spec: unconstrained }, pod('d', 'test'), undefined],
    ['a namespaced policy, an object of another namespace', nsd, pod('e', 'test'), 'pass'],
  ];
  for (const [what, p, o, status] of rows)
    test(`row or none: ${what}`, () => assert.equal(evaluate(p, o)?.status, status));

  test('a condition error is an error result', () => {
    const bad = {
      ...dpol,
      spec: { ...dpol.spec, conditions: [{ name: 'x', expression: 'object.spec.nope' }] },
    };
    assert.equal(evaluate(bad, pod('a', 'test'))?.status, 'error');
  });

  test('a JSON payload without apiVersion/kind is judged by the conditions alone', () => {
    // Kyverno's CLI runs DeletingPolicies on test `jsonPayloads` this way.
    const json = (env: string): KubeObject => ({ metadata: { name: 'doc', labels: { env } } });
    const { matchConstraints: _, ...spec } = dpol.spec;
    for (const p of [dpol, { ...dpol, spec }]) {
      assert.equal(evaluate(p, json('test'))?.status, 'pass');
      assert.equal(evaluate(p, json('prod'))?.status, 'fail');
    }
  });
});

describe('cron schedule', () => {
  const valid = [
    '*/5 * * * *',
    '0 0 * * 0',
    '0 12 1-15/2 JAN-MAR MON,FRI',
    '@daily',
    '@every 1h30m',
    'CRON_TZ=UTC 0 1 * * *',
    '0 0 ? * *',
  ];
  for (const s of valid) test(`valid: ${s}`, () => assert.equal(cronScheduleProblem(s), undefined));
  const invalid: [string, RegExp][] = [
    ['61 * * * *', /minute value 61 out of range/],
    ['* * * *', /expected exactly 5 fields/],
    ['@fortnightly', /unrecognized descriptor/],
    ['5-1 * * * *', /beginning of range/],
    ['*/0 * * * *', /step/],
    ['0 0 * FOO *', /failed to parse month/],
  ];
  for (const [s, re] of invalid) test(`invalid: ${s}`, () => assert.match(cronScheduleProblem(s) ?? '', re));

  test('loadDeletingPolicy reports a bad schedule at spec.schedule', () => {
    const r = loadDeletingPolicy({ ...dpol, spec: { ...dpol.spec, schedule: 'every day' } });
    assert.ok(!r.ok);
    assert.deepEqual(r.issues[0]?.path, ['spec', 'schedule']);
    assert.ok(loadDeletingPolicy(dpol).ok);
  });
});
