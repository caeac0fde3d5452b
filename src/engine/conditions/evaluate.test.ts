// kyverno.io/docs/writing-policies/preconditions ("Any and All Statements", "Adding custom
// messages") and Kyverno pkg/engine/variables/evaluate.go (kyverno-reference §2.3, §3.4).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonContext } from '../context/json-context.js';
import type { Conditions } from '../kinds/cluster-policy/types.js';
import { ConditionError, evaluateConditions } from './evaluate.js';

// The Deployment of the docs example.
const labels = { app: 'busybox', color: 'red', animal: 'cow', food: 'pizza', car: 'jeep', env: 'qa' };
const ctx = () =>
  new JsonContext({
    request: { operation: 'CREATE', object: { kind: 'Deployment', metadata: { name: 'busybox', labels } } },
    serviceAccountName: 'build-base',
  });

const anyBlock = [
  { key: "{{ request.object.metadata.labels.color || '' }}", operator: 'Equals', value: 'blue' },
  { key: "{{ request.object.metadata.labels.app || '' }}", operator: 'Equals', value: 'busybox' },
];

describe('evaluateConditions', () => {
  const cases: { name: string; conditions: Conditions | undefined; met: boolean }[] = [
    { name: 'absent conditions are met', conditions: undefined, met: true },
    { name: 'docs: any (color=blue OR app=busybox)', conditions: { any: anyBlock }, met: true },
    {
      name: 'docs: any plus all (animal=cow AND env=qa)',
      conditions: {
        any: anyBlock,
        all: [
          { key: "{{ request.object.metadata.labels.animal || '' }}", operator: 'Equals', value: 'cow' },
          { key: "{{ request.object.metadata.labels.env || '' }}", operator: 'Equals', value: 'qa' },
        ],
      },
      met: true,
    },
    {
      name: 'all fails when one condition is false',
      conditions: {
        any: anyBlock,
        all: [{ key: '{{ request.object.metadata.labels.env }}', operator: 'Equals', value: 'prod' }],
      },
      met: false,
    },
    { name: 'empty any list is false (any tested for presence)', conditions: { any: [] }, met: false },
    { name: 'empty all list is true', conditions: { all: [] }, met: true },
    {
      name: 'legacy list = all',
      conditions: [
        { key: '{{ serviceAccountName }}', operator: 'AnyIn', value: ['build-default', 'build-base'] },
      ],
      met: true,
    },
    {
      name: 'operator names are case-insensitive',
      conditions: { all: [{ key: 'a', operator: 'eQuAlS', value: 'a' }] },
      met: true,
    },
    {
      name: 'value is substituted too',
      conditions: {
        all: [{ key: 'busybox', operator: 'Equals', value: '{{ request.object.metadata.name }}' }],
      },
      met: true,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(evaluateConditions(c.conditions, ctx()).met, c.met));

  test('messages: failing all-condition message (docs "Adding custom messages")', () => {
    const result = evaluateConditions(
      {
        all: [
          {
            key: '{{ request.object.metadata.labels.food }}',
            operator: 'Equals',
            value: 'cheese',
            message: 'My favorite food is cheese.',
          },
          { key: 'x', operator: 'Equals', value: 'x', message: 'never reached' },
        ],
      },
      ctx(),
    );
    assert.deepEqual(result, {
      met: false,
      messages: ['My favorite food is cheese.'],
      message: 'My favorite food is cheese.',
    });
  });

  test('messages: every failing any-condition joined with "; "', () => {
    const result = evaluateConditions(
      {
        any: [
          { key: 'a', operator: 'Equals', value: 'b', message: 'first' },
          { key: 'a', operator: 'Equals', value: 'c' },
          { key: 'a', operator: 'Equals', value: 'd', message: 'third' },
        ],
      },
      ctx(),
    );
    assert.equal(result.message, 'first; third');
  });

  test('messages when met are those of the true conditions (deny)', () => {
    const result = evaluateConditions(
      {
        any: [{ key: 'a', operator: 'Equals', value: 'a', message: 'matched' }],
        all: [{ key: 1, operator: 'Equals', value: 1, message: 'one' }],
      },
      ctx(),
    );
    assert.deepEqual(result.messages, ['matched', 'one']);
  });

  test('legacy list joins messages with ";"', () => {
    const result = evaluateConditions(
      [
        { key: 'a', operator: 'Equals', value: 'a', message: 'm1' },
        { key: 'b', operator: 'Equals', value: 'b', message: 'm2' },
      ],
      ctx(),
    );
    assert.equal(result.message, 'm1;m2');
  });

  test('any short-circuits at the first true condition (later errors are not reached)', () => {
    const result = evaluateConditions(
      {
        any: [
          { key: 'a', operator: 'Equals', value: 'a' },
          { key: '{{ missing.key }}', operator: 'Equals', value: 'x' },
        ],
      },
      ctx(),
    );
    assert.equal(result.met, true);
  });

  test('missing key is an error with Kyverno message chain', () => {
    assert.throws(
      () =>
        evaluateConditions(
          { all: [{ key: '{{ request.object.spec.priorityClassName }}', operator: 'Equals', value: 'x' }] },
          ctx(),
        ),
      (e: unknown) =>
        e instanceof ConditionError &&
        e.message ===
          'failed to substitute variables in condition key: failed to resolve request.object.spec.priorityClassName at path : JMESPath query failed: Unknown key "spec" in path',
    );
  });

  test('error in value', () => {
    assert.throws(
      () => evaluateConditions({ all: [{ key: 'x', operator: 'Equals', value: '{{ nope }}' }] }, ctx()),
      /^ConditionError: failed to substitute variables in condition value: failed to resolve nope at path : /,
    );
  });

  test('unknown operator is an error', () => {
    assert.throws(
      () => evaluateConditions({ all: [{ key: 'x', operator: 'Matches', value: 'x' }] }, ctx()),
      (e: unknown) =>
        e instanceof ConditionError &&
        e.message === 'failed to create handler for condition operator: %!w(<nil>)',
    );
  });

  test('DELETE reads request.oldObject', () => {
    const del = new JsonContext({
      request: { operation: 'DELETE', object: null, oldObject: { metadata: { name: 'old' } } },
    });
    const result = evaluateConditions(
      { all: [{ key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'old' }] },
      del,
    );
    assert.equal(result.met, true);
  });
});

test('no conditions (absent or null) answer met with no message, as one frozen value', () => {
  for (const conditions of [undefined, null]) {
    const r = evaluateConditions(conditions as unknown as Conditions | undefined, ctx());
    assert.deepEqual({ ...r }, { met: true, messages: [], message: '' });
    assert.ok(
      Object.isFrozen(r) && Object.isFrozen(r.messages),
      'shared by every rule: nobody may change it',
    );
  }
});
