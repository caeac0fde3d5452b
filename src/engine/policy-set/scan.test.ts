// scan: background evaluation of existing objects (reference §9.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scan } from './admit.js';
import { clusterPolicy, mutatingPolicy, pod, podRule, setOf, validatingPolicy } from './testdata/policies.js';

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
    const out = await scan(set, pod('a'), runtime);
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
    const drifted = await scan(set, pod('a'), runtime);
    assert.deepEqual(
      drifted.map((r) => [r.response.rules[0]?.status, r.response.rules[0]?.message]),
      [['fail', 'mutation is not applied']],
    );
    const applied = await scan(set, pod('a', 'default', { a: 'b' }), runtime);
    assert.equal(applied[0]?.response.rules[0]?.status, 'pass');
  });
});
