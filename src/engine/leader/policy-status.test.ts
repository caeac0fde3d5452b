import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { policyStatus, ruleCount, sameJson, setCondition } from './policy-status.js';

const T0 = '2026-12-06T10:00:00Z';
const T1 = '2026-12-06T11:00:00Z';

const clusterPolicy = (status?: unknown) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { generation: 3 },
  spec: {
    rules: [
      { name: 'a', validate: {} },
      { name: 'b', mutate: {} },
      { name: 'autogen-a', validate: {} },
    ],
  },
  ...(status !== undefined ? { status } : {}),
});

const vpol = (spec: Record<string, unknown> = {}, status?: unknown) => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { generation: 1 },
  spec,
  ...(status !== undefined ? { status } : {}),
});

describe('policyStatus: ClusterPolicy/Policy', () => {
  test('compiled and registered: Ready True, Succeeded, "Ready", with rule counts', () => {
    const s = policyStatus({
      policy: clusterPolicy(),
      outcome: { compiled: true, registered: true },
      now: T0,
    });
    assert.deepEqual(s, {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: 'Ready',
          observedGeneration: 3,
          lastTransitionTime: T0,
        },
      ],
      rulecount: { validate: 1, generate: 0, mutate: 1, verifyimages: 0 },
    });
  });

  test('not compiled: Ready False, Failed, the diagnostics as the message', () => {
    const s = policyStatus({
      policy: clusterPolicy(),
      outcome: { compiled: false, diagnostics: ['spec.rules[0].validate: bad', 'spec.rules[1]: worse'] },
      now: T0,
    });
    const [c] = s.conditions as { status: string; reason: string; message: string }[];
    assert.deepEqual(
      [c?.status, c?.reason, c?.message],
      ['False', 'Failed', 'spec.rules[0].validate: bad\nspec.rules[1]: worse'],
    );
  });

  test('compiled but not registered: Not Ready with the reason', () => {
    const s = policyStatus({
      policy: clusterPolicy(),
      outcome: { compiled: true, registered: { reason: 'unknown kinds Widget' } },
      now: T0,
    });
    assert.equal((s.conditions as { message: string }[])[0]?.message, 'Not Ready: unknown kinds Widget');
  });

  test('an unchanged outcome keeps the transition time (and equals the stored status); a change moves it', () => {
    const first = policyStatus({
      policy: clusterPolicy(),
      outcome: { compiled: true, registered: true },
      now: T0,
    });
    const again = policyStatus({
      policy: clusterPolicy(first),
      outcome: { compiled: true, registered: true },
      now: T1,
    });
    assert.ok(sameJson(first, again));
    const failed = policyStatus({
      policy: clusterPolicy(first),
      outcome: { compiled: false, diagnostics: ['x'] },
      now: T1,
    });
    assert.equal((failed.conditions as { lastTransitionTime: string }[])[0]?.lastTransitionTime, T1);
  });

  test('the deprecated ready field is dropped, other status fields kept', () => {
    const s = policyStatus({
      policy: clusterPolicy({ ready: true, autogen: { rules: [] } }),
      outcome: { compiled: true, registered: true },
      now: T0,
    });
    assert.equal('ready' in s, false);
    assert.deepEqual(s.autogen, { rules: [] });
  });
});

describe('policyStatus: policies.kyverno.io kinds', () => {
  test('registered, background on with permissions: both conditions True, ready', () => {
    const s = policyStatus({
      policy: vpol(),
      outcome: { compiled: true, registered: true },
      rbac: { needed: true, missing: [] },
      now: T0,
    });
    const cs = s.conditionStatus as {
      ready: boolean;
      conditions: { type: string; status: string; message: string; reason: string }[];
    };
    assert.equal(cs.ready, true);
    assert.deepEqual(
      cs.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['WebhookConfigured', 'True', 'Succeeded', 'Webhook configured.'],
        ['RBACPermissionsGranted', 'True', 'Succeeded', 'Policy is ready for reporting.'],
      ],
    );
  });

  test('missing permissions: RBACPermissionsGranted False and not ready', () => {
    const s = policyStatus({
      policy: vpol(),
      outcome: { compiled: true, registered: true },
      rbac: { needed: true, missing: ['list /v1, Resource=pods'] },
      now: T0,
    });
    const cs = s.conditionStatus as { ready: boolean; conditions: { type: string; status: string }[] };
    assert.equal(cs.ready, false);
    assert.equal(cs.conditions[1]?.status, 'False');
  });

  test('not compiled: WebhookConfigured False, the diagnostics in the message', () => {
    const s = policyStatus({
      policy: vpol(),
      outcome: { compiled: false, diagnostics: ['spec.validations[0].expression: bad'] },
      now: T0,
    });
    const cs = s.conditionStatus as {
      ready: boolean;
      message: string;
      conditions: { type: string; status: string }[];
    };
    assert.equal(cs.ready, false);
    assert.equal(cs.conditions[0]?.status, 'False');
    assert.equal(cs.message, 'spec.validations[0].expression: bad');
  });

  test('admission disabled: no WebhookConfigured condition', () => {
    const s = policyStatus({
      policy: vpol({ evaluation: { admission: { enabled: false } } }),
      outcome: { compiled: true, registered: true },
      now: T0,
    });
    const cs = s.conditionStatus as { conditions: { type: string }[] };
    assert.deepEqual(
      cs.conditions.map((c) => c.type),
      ['RBACPermissionsGranted'],
    );
  });
});

describe('setCondition and ruleCount', () => {
  test('a new type is appended; the same status keeps its time', () => {
    const one = setCondition([], { type: 'A', status: 'True', reason: 'r', message: 'm' }, T0);
    const two = setCondition(one, { type: 'B', status: 'False', reason: 'r', message: 'm' }, T1);
    assert.deepEqual(
      two.map((c) => c.type),
      ['A', 'B'],
    );
    assert.equal(
      setCondition(two, { type: 'A', status: 'True', reason: 'r', message: 'n' }, T1)[0]?.lastTransitionTime,
      T0,
    );
  });

  test('ruleCount leaves autogen rules out', () => {
    assert.deepEqual(ruleCount(clusterPolicy().spec), {
      validate: 1,
      generate: 0,
      mutate: 1,
      verifyimages: 0,
    });
  });
});
