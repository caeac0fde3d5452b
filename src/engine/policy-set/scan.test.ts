// scan: background evaluation of existing objects (reference §9.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scan } from './admit.js';
import { KIND_TABLE } from './kinds.js';
import {
  clusterPolicy,
  type Doc,
  mutatingPolicy,
  pod,
  podRule,
  setOf,
  validatingPolicy,
} from './testdata/policies.js';

const requireTeam = (name: string, background?: boolean) =>
  clusterPolicy(name, {
    ...(background !== undefined ? { background } : {}),
    rules: [
      {
        name: 'team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { message: 'team', pattern: { metadata: { labels: { team: '?*' } } } },
      },
      {
        name: 'owner',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'x' } } } },
      },
    ],
  });
const vpol = (name: string, enabled?: boolean) =>
  validatingPolicy(name, {
    matchConstraints: podRule(),
    ...(enabled !== undefined ? { evaluation: { background: { enabled } } } : {}),
    validations: [{ expression: 'true' }],
  });
const runtime = { ports: {} };

describe('scan', () => {
  test('only policies with background enabled (the default) answer; legacy mutate rules are not run', async () => {
    const set = setOf(
      requireTeam('bg'),
      requireTeam('no-bg', false),
      vpol('vpol-bg'),
      vpol('vpol-no-bg', false),
    );
    const { results: out } = await scan(set, pod('a'), runtime);
    assert.deepEqual(
      out.map((r) => [r.policy.name, r.response.rules.map((x) => [x.name, x.status])]),
      [
        ['bg', [['team', 'fail']]],
        ['vpol-bg', [['', 'pass']]],
      ],
    );
  });
  test('MutatingPolicies report drift', async () => {
    const set = setOf(
      mutatingPolicy('add-label', {
        matchConstraints: podRule(),
        autogen: { podControllers: { controllers: [] } },
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}' },
          },
        ],
      }),
    );
    const { results: drifted } = await scan(set, pod('a'), runtime);
    assert.deepEqual(
      drifted.map((r) => [r.response.rules[0]?.status, r.response.rules[0]?.message]),
      [['fail', 'mutation is not applied']],
    );
    const { results: applied } = await scan(set, pod('a', 'default', { a: 'b' }), runtime);
    assert.equal(applied[0]?.response.rules[0]?.status, 'pass');
  });

  const doc = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown>) =>
    ({ apiVersion, kind, metadata: { name }, spec }) as Doc;
  const vap = doc('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'vap', {
    matchConstraints: podRule(),
    validations: [{ expression: 'has(object.metadata.labels)', message: 'labels are required' }],
  });
  const map = doc('admissionregistration.k8s.io/v1beta1', 'MutatingAdmissionPolicy', 'map', {
    matchConstraints: podRule(),
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}' },
      },
    ],
  });
  const gpol = doc('policies.kyverno.io/v1beta1', 'GeneratingPolicy', 'gpol', {
    matchConstraints: podRule(),
    generate: [{ expression: 'generator.Apply(object.metadata.namespace, [])' }],
  });
  const dpol = doc('policies.kyverno.io/v1beta1', 'DeletingPolicy', 'dpol', {
    schedule: '*/5 * * * *',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] },
    conditions: [{ name: 'always', expression: 'true' }],
  });

  test('ValidatingAdmissionPolicies are scanned (their results go to background reports)', async () => {
    const { results, skipped } = await scan(setOf(vap), pod('a'), runtime);
    assert.deepEqual(
      results.map((r) => [r.policy.kind, r.response.rules[0]?.status, r.response.rules[0]?.message]),
      [['ValidatingAdmissionPolicy', 'fail', 'labels are required']],
    );
    assert.deepEqual(skipped, []);
  });

  test('no policy that may match is left out silently: each skipped one comes with its reason', async () => {
    const set = setOf(requireTeam('no-bg', false), vpol('vpol-no-bg', false), map, gpol, dpol);
    const { results, skipped } = await scan(set, pod('a'), runtime);
    assert.deepEqual(results, []);
    const reasons = Object.fromEntries(skipped.map((s) => [s.policy.name, s.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), ['dpol', 'gpol', 'map', 'no-bg', 'vpol-no-bg']);
    assert.match(reasons['no-bg'] ?? '', /spec\.background is false/);
    assert.match(reasons['vpol-no-bg'] ?? '', /evaluation\.background\.enabled is false/);
    assert.match(reasons.map ?? '', /MutatingAdmissionPolicies are not background-scanned/);
    assert.match(reasons.gpol ?? '', /GeneratingPolicies produce no validation report/);
    assert.match(reasons.dpol ?? '', /DeletingPolicies run on their schedule/);
  });

  test('a legacy policy with only mutate rules is skipped with its reason', async () => {
    const mutateOnly = clusterPolicy('mutate-only', {
      rules: [
        {
          name: 'owner',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'x' } } } },
        },
      ],
    });
    const { skipped } = await scan(setOf(mutateOnly), pod('a'), runtime);
    assert.match(skipped[0]?.reason ?? '', /no validate or verifyImages rule/);
  });

  test('policies that cannot match the object are neither scanned nor listed', async () => {
    const { results, skipped } = await scan(setOf(gpol, dpol), { ...pod('a'), kind: 'ConfigMap' }, runtime);
    assert.deepEqual([results.length, skipped.length], [0, 0]);
  });

  test('every kind of the table says which of its policies scans skip', () => {
    for (const entry of KIND_TABLE) assert.equal(typeof entry.scanSkip, 'function', entry.name);
  });
});
