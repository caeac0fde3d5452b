import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderPatternKeys } from './key-order.js';
import { type MapPlan, PatternPlans, type PlannedKey, planMap } from './map-plan.js';
import { validatePattern } from './validate-pattern.js';
import { expandMetadataWildcards, mayExpandMetadataWildcards } from './wildcard-keys.js';

describe('planMap', () => {
  const pattern = {
    spec: { '=(hostPID)': false },
    '(name)': 'web-*',
    '<(kind)': 'Pod',
    X_ignored: 1,
    '^(items)': [{ a: 1 }],
    'X(hostIPC)': 'null',
    metadata: { labels: { app: '?*' } },
  };

  test('keeps the key order of orderPatternKeys, with each anchor parsed', () => {
    const plan = planMap(pattern);
    const order = orderPatternKeys(pattern);
    assert.deepEqual(
      plan.anchors.map((k) => k.key),
      order.anchors,
    );
    assert.deepEqual(
      plan.others.map((k) => k.key),
      order.others,
    );
    assert.deepEqual(plan.anchors.find((k) => k.key === '(name)')?.anchor, {
      modifier: 'condition',
      key: 'name',
    });
    assert.equal(plan.others.find((k) => k.key === 'spec')?.anchor, undefined);
  });

  test('records the condition, existence and negation anchors', () => {
    assert.deepEqual(
      planMap(pattern).recorded.map((k) => k.key),
      ['(name)', '^(items)', 'X(hostIPC)'],
    );
  });
});

describe('PatternPlans', () => {
  test('keeps the plans of the maps it was given and plans others for the call', () => {
    const plans = new PatternPlans();
    const inner = { image: 'nginx' };
    const pattern = { spec: { containers: [inner] } };
    plans.add(pattern);
    assert.equal(plans.of(inner), plans.of(inner));
    const other = { a: 1 };
    assert.notEqual(plans.of(other), plans.of(other));
  });

  test('validating with kept plans answers as without them', () => {
    const plans = new PatternPlans();
    const pattern = { spec: { '=(securityContext)': { '=(privileged)': 'false' } } };
    plans.add(pattern);
    for (const resource of [{ spec: {} }, { spec: { securityContext: { privileged: true } } }])
      assert.deepEqual(validatePattern(resource, pattern, plans), validatePattern(resource, pattern));
  });
});

describe('mayExpandMetadataWildcards', () => {
  const resource = { metadata: { labels: { 'app.kubernetes.io/name': 'x' }, annotations: { a: 'b' } } };
  const rows: [string, Record<string, unknown>, boolean][] = [
    ['no metadata', { spec: {} }, false],
    ['plain string labels', { metadata: { labels: { app: '?*' } } }, false],
    ['a wildcard label key', { metadata: { labels: { 'app.kubernetes.io/*': '?*' } } }, true],
    ['an anchored wildcard annotation key', { metadata: { '=(annotations)': { '=(a*)': 'b' } } }, true],
    ['a label that is not a string', { metadata: { labels: { app: 1 } } }, true],
  ];
  for (const [name, pattern, want] of rows)
    test(name, () => {
      assert.equal(mayExpandMetadataWildcards(pattern), want);
      // When it says no, expanding against a resource gives an equal map.
      if (!want) assert.deepEqual(expandMetadataWildcards(pattern, resource), pattern);
    });
});

// A plan without the value plans its keys keep once walked.
const shape = (plan: MapPlan) => {
  const keys = (list: readonly PlannedKey[]) => list.map((k) => ({ key: k.key, anchor: k.anchor }));
  return {
    anchors: keys(plan.anchors),
    others: keys(plan.others),
    recorded: keys(plan.recorded),
    expandsMetadata: plan.expandsMetadata,
  };
};

describe('PatternPlans.expanded (metadata wildcard expansions kept by resource keys)', () => {
  const apparmor = {
    '=(metadata)': {
      '=(annotations)': {
        '=(container.apparmor.security.beta.kubernetes.io/*)': 'runtime/default | localhost/*',
      },
    },
  };
  const labelled = {
    metadata: { labels: { 'app.kubernetes.io/*': '?*', team: '?*' }, annotations: { 'a/*': 'x' } },
    spec: { '=(hostPID)': 'false' },
  };
  const pod = (
    labels: Record<string, unknown> | undefined,
    annotations: Record<string, unknown> | undefined,
  ) => ({
    metadata: {
      name: 'p',
      ...(labels !== undefined ? { labels } : {}),
      ...(annotations !== undefined ? { annotations } : {}),
    },
    spec: {},
  });
  const resources = [
    pod(undefined, undefined),
    pod({ team: 'a' }, undefined),
    pod({ 'app.kubernetes.io/name': 'web', team: 'a' }, { 'a/b': 'x' }),
    pod({ 'app.kubernetes.io/name': 'web', team: 'a' }, { 'a/b': 'y' }), // same keys, other values
    pod({ 'app.kubernetes.io/x': 1, 'app.kubernetes.io/y': 'v' }, { 'a/c': 'x', 'a/b': 'x' }),
    pod({}, { 'container.apparmor.security.beta.kubernetes.io/nginx': 'unconfined' }),
    pod({}, { 'container.apparmor.security.beta.kubernetes.io/nginx': 'runtime/default' }),
    pod({}, { 'container.apparmor.security.beta.kubernetes.io/side': 'localhost/p', other: 'x' }),
    { metadata: null },
    { metadata: 'text' },
    {},
  ];

  test('the expansion and its plan are those made afresh, for every resource, checked twice', () => {
    const plans = new PatternPlans();
    plans.add(apparmor);
    plans.add(labelled);
    for (let round = 0; round < 2; round++)
      for (const pattern of [apparmor, labelled])
        for (const resource of resources) {
          const e = plans.expanded(pattern, resource);
          const fresh = expandMetadataWildcards(pattern, resource);
          assert.deepEqual(e.pattern, fresh);
          assert.deepEqual(shape(e.plan), shape(planMap(fresh)));
          // And a whole check gives what a check with no kept plans gives.
          assert.deepEqual(validatePattern(resource, pattern, plans), validatePattern(resource, pattern));
        }
  });

  test('resources with the same keys share one expansion; a pattern that stays the same is given back', () => {
    const plans = new PatternPlans();
    const a = plans.expanded(labelled, resources[2] as Record<string, unknown>);
    const b = plans.expanded(labelled, resources[3] as Record<string, unknown>);
    assert.equal(a.pattern, b.pattern);
    assert.notEqual(a.pattern, labelled);
    const none = plans.expanded(labelled, resources[0] as Record<string, unknown>);
    assert.equal(none.pattern, labelled);
  });

  test('more key sets than are kept: each answer is still the fresh expansion', () => {
    const plans = new PatternPlans();
    for (let i = 0; i < 40; i++) {
      const resource = pod(
        {},
        { [`container.apparmor.security.beta.kubernetes.io/c${i}`]: i % 2 ? 'x' : 'runtime/default' },
      );
      assert.deepEqual(
        plans.expanded(apparmor, resource).pattern,
        expandMetadataWildcards(apparmor, resource),
      );
      assert.deepEqual(validatePattern(resource, apparmor, plans), validatePattern(resource, apparmor));
    }
  });
});
