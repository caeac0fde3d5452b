import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderPatternKeys } from './key-order.js';
import { PatternPlans, planMap } from './map-plan.js';
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
