// Kyverno's events for policy outcomes: which are emitted for a blocked or an allowed request and
// for a scan, on which object, with Kyverno's messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyResult, RuleResult } from '../../engine/index.js';
import { admissionEvents, cleanupEvent, generatedEvents, scanEvents } from './policy-events.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team-a', uid: 'u-1' },
};

function result(
  rules: Partial<RuleResult>[],
  action: 'Enforce' | 'Audit' = 'Enforce',
  resource: Record<string, unknown> = pod,
): PolicyResult {
  return {
    policy: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'require-labels' },
    ruleActions: undefined,
    failurePolicy: 'Fail',
    response: {
      policyKey: 'require-labels',
      policyName: 'require-labels',
      policyKind: 'ClusterPolicy',
      resource,
      patchedResource: resource,
      validationFailureAction: action,
      rules: rules.map((r) => ({ name: 'check', type: 'Validation', status: 'pass', message: '', ...r })),
    },
  } as PolicyResult;
}

describe('admission events', () => {
  test('blocked: each Enforce failure on the policy, marked blocked; nothing on the resource', () => {
    const events = admissionEvents(
      [
        result([
          { status: 'fail', message: 'label app is required' },
          { name: 'other', status: 'pass' },
        ]),
        result([{ status: 'fail', message: 'audit only' }], 'Audit'),
      ],
      true,
    );
    assert.equal(events.length, 1);
    const e = events[0];
    assert.equal(e?.reason, 'PolicyViolation');
    assert.equal(e?.action, 'Resource Blocked');
    assert.equal(e?.source, 'kyverno-admission');
    assert.deepEqual(e?.regarding, {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      name: 'require-labels',
    });
    assert.equal(e?.related?.name, 'web');
    assert.equal(e?.message, 'Pod team-a/web: [check] fail (blocked); label app is required');
  });

  test('allowed: each failure on the policy and on the resource; a passing policy is PolicyApplied', () => {
    const events = admissionEvents(
      [result([{ status: 'fail', message: 'label app is required' }], 'Audit'), result([{ status: 'pass' }])],
      false,
    );
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.kind, e.action, e.message]),
      [
        [
          'PolicyViolation',
          'ClusterPolicy',
          'Resource Passed',
          'Pod team-a/web: [check] fail; label app is required',
        ],
        [
          'PolicyViolation',
          'Pod',
          'Resource Passed',
          'policy require-labels/check fail: label app is required',
        ],
        ['PolicyApplied', 'ClusterPolicy', 'Resource Passed', 'Pod team-a/web: pass'],
      ],
    );
  });

  test('a rule skipped by exceptions: PolicySkipped on the exception and on the policy', () => {
    const events = admissionEvents([result([{ status: 'skip', exceptions: ['team-a/allow-web'] }])], false);
    assert.deepEqual(
      events.map((e) => [e.reason, e.regarding.kind, e.regarding.namespace ?? '', e.regarding.name]),
      [
        ['PolicySkipped', 'PolicyException', 'team-a', 'allow-web'],
        ['PolicySkipped', 'ClusterPolicy', '', 'require-labels'],
      ],
    );
  });

  test('a resource without a name yet (generateName) has no events', () => {
    const unnamed = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-', namespace: 'a' } };
    assert.deepEqual(admissionEvents([result([{ status: 'fail' }], 'Enforce', unnamed)], true), []);
  });
});

describe('scan, generate and cleanup events', () => {
  test('a scan’s failure is on the resource and on the policy, from kyverno-scan', () => {
    const events = scanEvents([result([{ status: 'fail', message: 'no' }], 'Audit')]);
    assert.deepEqual(
      events.map((e) => [e.source, e.reason, e.regarding.kind]),
      [
        ['kyverno-scan', 'PolicyViolation', 'Pod'],
        ['kyverno-scan', 'PolicyViolation', 'ClusterPolicy'],
      ],
    );
  });

  test('a generated object: on the object and on the policy, PolicyApplied', () => {
    const np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'n' },
    };
    const [onObject, onPolicy] = generatedEvents(
      { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'default-deny' },
      'deny-all',
      np,
    );
    assert.equal(
      onObject?.message,
      'Created NetworkPolicy deny as a result of applying policy default-deny/deny-all',
    );
    assert.equal(onPolicy?.action, 'Resource Generated');
    assert.equal(onPolicy?.source, 'kyverno-generate');
  });

  test('a cleanup deletion and a failed one, in Kyverno’s words', () => {
    const policy = {
      apiVersion: 'kyverno.io/v2',
      kind: 'ClusterCleanupPolicy',
      name: 'old-pods',
      uid: 'p-1',
    };
    const ok = cleanupEvent(policy, pod, undefined);
    assert.equal(ok.message, 'successfully cleaned up the target resource Pod/team-a/web');
    assert.equal(ok.reason, 'PolicyApplied');
    assert.equal(ok.action, 'Resource Cleaned Up');
    assert.equal(ok.regarding.uid, 'p-1');
    const failed = cleanupEvent(policy, pod, 'forbidden', true);
    assert.equal(failed.reason, 'PolicyError');
    assert.equal(failed.message, 'failed to delete the target resource Pod/team-a/web: forbidden');
  });
});
