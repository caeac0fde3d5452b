import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorKindOf, checkPatternAnchors, VALIDATE_ANCHORS } from './anchor-check.js';

// kyverno.io/docs/policy-types/cluster-policy/validate#anchors
test('anchorKindOf', () => {
  for (const [key, want] of [
    ['(name)', 'condition'],
    ['<(name)', 'global'],
    ['=(name)', 'equality'],
    ['^(containers)', 'existence'],
    ['X(hostPath)', 'negation'],
    ['+(label)', 'add-if-not-present'],
    ['name', undefined],
    ['()', undefined],
    ['X()', undefined],
    ['ab(c)', undefined],
    ['Y(c)', undefined],
  ] as const) {
    assert.equal(anchorKindOf(key), want, key);
  }
});

test('validate patterns reject add-if-not-present anywhere in the tree', () => {
  const d = checkPatternAnchors({ spec: { containers: [{ '+(image)': 'x' }] } }, VALIDATE_ANCHORS, [
    'pattern',
  ]);
  assert.deepEqual(
    d.map((x) => [x.code, x.path]),
    [['policy/invalid-anchor', ['pattern', 'spec', 'containers', 0, '+(image)']]],
  );
});

test('existence anchor needs a non-empty list', () => {
  const paths = (p: unknown) => checkPatternAnchors(p, VALIDATE_ANCHORS, []).map((d) => d.path);
  assert.deepEqual(paths({ '^(containers)': [{ name: '*' }] }), []);
  assert.deepEqual(paths({ '^(containers)': [] }), [['^(containers)']]);
  assert.deepEqual(paths({ '^(containers)': { name: '*' } }), [['^(containers)']]);
});

test('all validate anchors are accepted', () => {
  const pattern = { '(a)': 1, '<(b)': 2, '=(c)': 3, 'X(d)': null, spec: { '^(e)': [{ f: 1 }] } };
  assert.deepEqual(checkPatternAnchors(pattern, VALIDATE_ANCHORS, []), []);
});

test('malformed range operators in string values are invalid values, not anchors', () => {
  const d = checkPatternAnchors({ '=(replicas)': '1!-', memory: '10-', ok: '1-10' }, VALIDATE_ANCHORS, ['p']);
  assert.deepEqual(
    d.map((x) => [x.code, x.path]),
    [
      ['policy/invalid-value', ['p', '=(replicas)']],
      ['policy/invalid-value', ['p', 'memory']],
    ],
  );
});
