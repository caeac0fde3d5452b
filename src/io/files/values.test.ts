import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeVariableValues, namespaceLabels, parseSetPairs, type ValuesSpec } from './values.js';

// kyverno.io/docs/kyverno-cli/usage/apply — "values file" precedence
const spec: ValuesSpec = {
  globalValues: { 'request.operation': 'UPDATE', env: 'global', region: 'eu' },
  policies: [
    {
      name: 'cm-policy',
      resources: [{ name: 'pod-a', values: { env: 'per-resource' } }],
      rules: [
        { name: 'check', values: { 'dictionary.data.env': 'prod' }, foreachValues: { element: [1, 2] } },
      ],
    },
  ],
  namespaceSelector: [{ name: 'team-a', labels: { tier: 'gold' } }],
};

describe('computeVariableValues', () => {
  const cases = [
    {
      name: 'global values apply to any policy',
      policy: 'other',
      resource: 'pod-a',
      set: {},
      want: { env: 'global', region: 'eu' },
    },
    {
      name: 'per-resource values override global ones',
      policy: 'cm-policy',
      resource: 'pod-a',
      set: {},
      want: { env: 'per-resource' },
    },
    {
      name: 'per-resource values need the resource name',
      policy: 'cm-policy',
      resource: 'pod-b',
      set: {},
      want: { env: 'global' },
    },
    {
      name: '--set wins over everything',
      policy: 'cm-policy',
      resource: 'pod-a',
      set: { env: 'cli' },
      want: { env: 'cli' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const v = computeVariableValues(spec, c.set, c.policy, c.resource);
      for (const [k, want] of Object.entries(c.want)) assert.equal(v.global[k], want);
    });
  }

  test('rule values and foreach values are keyed by rule name for the named policy only', () => {
    const v = computeVariableValues(spec, {}, 'cm-policy', 'x');
    assert.deepEqual(v.rules, { check: { 'dictionary.data.env': 'prod' } });
    assert.deepEqual(v.foreachValues, { check: { element: [1, 2] } });
    assert.deepEqual(computeVariableValues(spec, {}, 'other', 'x').rules, {});
  });

  test('request.operation defaults to CREATE', () => {
    assert.equal(computeVariableValues(undefined, {}, 'p', 'r').global['request.operation'], 'CREATE');
    assert.equal(computeVariableValues(spec, {}, 'p', 'r').global['request.operation'], 'UPDATE');
  });
});

describe('namespaceLabels', () => {
  test('labels come from namespaceSelector by namespace name', () => {
    assert.deepEqual(namespaceLabels(spec, 'team-a'), { tier: 'gold' });
    assert.equal(namespaceLabels(spec, 'team-b'), undefined);
  });
  test('full Namespace objects also give labels', () => {
    assert.deepEqual(
      namespaceLabels({ namespaces: [{ metadata: { name: 'ns', labels: { a: 'b' } } }] }, 'ns'),
      { a: 'b' },
    );
  });
});

describe('parseSetPairs', () => {
  test('splits comma-separated key=value pairs, values stay strings', () => {
    assert.deepEqual(parseSetPairs(['a=1,b=x', 'c=']).values, { a: '1', b: 'x', c: '' });
  });
  test('a variable under request.object is ignored with a warning, as Kyverno ignores it', () => {
    const out = parseSetPairs(['request.object.metadata.name=x,a=1']);
    assert.deepEqual(out.values, { a: '1' });
    assert.equal(out.issues[0]?.severity, 'warning');
  });
  test('a pair without = is a values/invalid diagnostic', () => {
    assert.equal(parseSetPairs(['novalue']).issues[0]?.code, 'values/invalid');
  });
});
