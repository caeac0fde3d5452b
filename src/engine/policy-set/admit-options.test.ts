// admit's options for webhook endpoints: phases, a policy selection (failure-policy buckets, named
// policies), per-policy timing; and the traits every set policy carries (reference §9.1).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admit } from './admit.js';
import { requestForObject } from './request.js';
import { clusterPolicy, pod, podRule, setOf, validatingPolicy } from './testdata/policies.js';
import type { CompiledSetPolicy } from './types.js';

const requireTeam = (name: string, failurePolicy: 'Fail' | 'Ignore') =>
  clusterPolicy(name, {
    validationFailureAction: 'Enforce',
    failurePolicy,
    background: false,
    rules: [
      {
        name: 'team',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } },
      },
    ],
  });
const addOwner = clusterPolicy('add-owner', {
  rules: [
    {
      name: 'owner',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'x' } } } },
    },
  ],
});
const noLatest = validatingPolicy('no-latest', {
  failurePolicy: 'Ignore',
  validationActions: ['Deny'],
  matchConstraints: podRule(),
  validations: [{ expression: "!object.spec.containers.exists(c, c.image.endsWith(':latest'))" }],
});

const set = setOf(requireTeam('team-fail', 'Fail'), requireTeam('team-ignore', 'Ignore'), addOwner, noLatest);
const run = (options: Parameters<typeof admit>[3]) =>
  admit(set, requestForObject(pod('a')), { ports: {} }, options);

describe('admit options', () => {
  test('every set policy carries its failure policy and background mode', () => {
    const traits = Object.fromEntries(set.policies.map((p) => [p.ref.name, p.traits]));
    assert.deepEqual(traits['team-fail'], { failurePolicy: 'Fail', background: false });
    assert.deepEqual(traits['team-ignore'], { failurePolicy: 'Ignore', background: false });
    assert.deepEqual(traits['add-owner'], { failurePolicy: 'Fail', background: true });
    assert.deepEqual(traits['no-latest'], { failurePolicy: 'Ignore', background: true });
  });

  test('phases: the mutating phases patch and never validate', async () => {
    const outcome = await run({ phases: ['legacy', 'mutating-admission', 'mutating'] });
    assert.equal(outcome.allowed, true);
    assert.deepEqual(
      outcome.responses.map((r) => r.policy.name),
      ['add-owner'],
    );
    assert.deepEqual(outcome.patch, [{ op: 'add', path: '/metadata/labels', value: { owner: 'x' } }]);
  });

  test('phases: the validating phase alone leaves the object as it came', async () => {
    const outcome = await run({ phases: ['validating'] });
    assert.equal(outcome.allowed, false);
    assert.deepEqual(outcome.patch, []);
    assert.ok(!outcome.responses.some((r) => r.policy.name === 'add-owner'));
  });

  test('select: only the chosen bucket decides', async () => {
    const fail = (p: CompiledSetPolicy) => p.kind === 'cluster-policy' && p.traits.failurePolicy === 'Fail';
    const outcome = await run({ phases: ['validating'], select: fail });
    assert.deepEqual(
      outcome.enforcedFailures.map((f) => f.policy.name),
      ['team-fail'],
    );
    const none = await run({ select: () => false });
    assert.equal(none.allowed, true);
    assert.deepEqual(none.responses, []);
  });

  test('select: answers are memoised per selecting function', async () => {
    let calls = 0;
    const counting = (p: CompiledSetPolicy) => {
      calls++;
      return p.ref.name === 'no-latest';
    };
    await run({ select: counting });
    const first = calls;
    await run({ select: counting });
    assert.equal(calls, first);
  });

  test('timer: every result carries its policy duration, and the outcome is unchanged', async () => {
    let t = 0;
    const timer = () => (t += 2);
    const timed = await run({ timer });
    const plain = await run({});
    assert.ok(timed.responses.length > 0);
    for (const r of timed.responses) assert.equal(r.durationMs, 2);
    const strip = (o: typeof plain) => ({
      ...o,
      responses: o.responses.map(({ durationMs: _d, ...r }) => r),
    });
    assert.deepEqual(strip(timed), strip(plain));
  });
});

describe('generate rules matching DELETE', () => {
  const onDelete = clusterPolicy('on-delete', {
    rules: [
      {
        name: 'leave-note',
        match: { any: [{ resources: { kinds: ['Pod'], operations: ['DELETE'] } }] },
        generate: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: '{{request.object.metadata.name}}-gone',
          namespace: '{{request.object.metadata.namespace}}',
          data: { data: { pod: '{{request.object.metadata.name}}' } },
        },
      },
    ],
  });
  const deleted = { ...pod('a'), metadata: { ...pod('a').metadata, uid: 'pod-uid' } };
  const admitDelete = (object: typeof deleted | null) =>
    admit(
      setOf(onDelete),
      { ...requestForObject(deleted, 'DELETE'), object },
      { ports: {} },
      { phases: ['legacy-generate'] },
    );

  test('admission fails the rule (no new object): the controller is left to generate', async () => {
    const outcome = await admitDelete(null);
    assert.deepEqual(
      outcome.responses.flatMap((r) => r.response.rules.map((x) => x.status)),
      ['fail'],
    );
    assert.equal(outcome.generated.length, 0);
  });

  test('the controller, passing the deleted trigger as the object, generates from it', async () => {
    const outcome = await admitDelete(deleted);
    const made = outcome.generated[0]?.object;
    assert.equal(made?.metadata?.name, 'a-gone');
    assert.deepEqual((made as { data?: unknown } | undefined)?.data, { pod: 'a' });
    assert.equal(made?.metadata?.labels?.['generate.kyverno.io/trigger-uid'], 'pod-uid');
  });
});
