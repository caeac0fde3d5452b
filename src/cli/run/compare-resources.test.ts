import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../engine/index.js';
import {
  compareGeneratedResources,
  compareResources,
  findExpected,
  fixupGenerateLabels,
  lineDiff,
  tidy,
} from './compare-resources.js';

const pod = (extra: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', ...(labels !== undefined ? { labels } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra },
});

describe('tidy', () => {
  test('drops nulls, empty maps and empty lists recursively', () => {
    assert.deepEqual(tidy({ a: null, b: {}, c: [], d: { e: { f: [] } }, g: [null, 1, {}], h: 0, i: '' }), {
      g: [1],
      h: 0,
      i: '',
    });
  });
  test('an all-empty document tidies to undefined', () => assert.equal(tidy({ a: { b: [] } }), undefined));
});

describe('fixupGenerateLabels', () => {
  test('drops generate.kyverno.io labels and forces managed-by', () => {
    const out = fixupGenerateLabels(pod({}, { 'generate.kyverno.io/policy-name': 'x', app: 'a' }));
    assert.deepEqual(out.metadata?.labels, { 'app.kubernetes.io/managed-by': 'kyverno', app: 'a' });
  });
});

describe('compareResources', () => {
  const cases: { name: string; expected: KubeObject; actual: KubeObject; equal: boolean }[] = [
    { name: 'identical', expected: pod(), actual: pod(), equal: true },
    {
      name: 'empty fields on one side are ignored',
      expected: pod({ volumes: [] }),
      actual: pod({ x: null }),
      equal: true,
    },
    {
      name: 'managed-by label difference is ignored',
      expected: pod({}, { 'app.kubernetes.io/managed-by': 'helm' }),
      actual: pod(),
      equal: true,
    },
    { name: 'a real label difference counts', expected: pod({}, { app: 'a' }), actual: pod(), equal: false },
    {
      name: 'an extra field in the actual object counts',
      expected: pod(),
      actual: pod({ dnsPolicy: 'None' }),
      equal: false,
    },
    { name: 'list order counts', expected: pod({ l: [1, 2] }), actual: pod({ l: [2, 1] }), equal: false },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(compareResources(c.expected, c.actual).equal, c.equal));
  }
  test('the diff names the differing lines', () => {
    const r = compareResources(pod(), pod({ dnsPolicy: 'None' }));
    assert.match(r.diff, /^\+ {3}dnsPolicy: None$/m);
  });
  test('generated variant ignores generate labels and a filled default namespace', () => {
    const expected: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', namespace: 'default' },
    };
    const actual: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', labels: { 'generate.kyverno.io/rule-name': 'r' } },
    };
    assert.equal(compareGeneratedResources(expected, actual).equal, true);
  });
});

describe('findExpected', () => {
  test('picks by apiVersion, kind, namespace and name', () => {
    const a = { ...pod(), metadata: { name: 'a', namespace: 'default' } };
    const b = { ...pod(), metadata: { name: 'b' } };
    assert.equal(findExpected([a, b], { ...pod(), metadata: { name: 'b', namespace: 'default' } }), b);
    assert.equal(findExpected([a, b], { ...pod(), apiVersion: 'v2', metadata: { name: 'a' } }), undefined);
  });
});

describe('lineDiff', () => {
  test('marks removed and added lines', () =>
    assert.equal(lineDiff('a\nb\nc', 'a\nx\nc'), '  a\n+ x\n- b\n  c'));
});
