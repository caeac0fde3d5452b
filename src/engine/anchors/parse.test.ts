// Anchor key syntax (Kyverno pkg/engine/anchor/anchor.go Parse) and policy-time checks
// (pkg/policy/common/validate_pattern.go ValidatePattern).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AnchorModifier, anchorKey, findInvalidAnchors, parseAnchor } from './parse.js';

describe('parseAnchor', () => {
  const rows: [string, ReturnType<typeof parseAnchor>][] = [
    ['(name)', { modifier: 'condition', key: 'name' }],
    ['<(image)', { modifier: 'global', key: 'image' }],
    ['=(volumes)', { modifier: 'equality', key: 'volumes' }],
    ['X(hostPath)', { modifier: 'negation', key: 'hostPath' }],
    ['^(containers)', { modifier: 'existence', key: 'containers' }],
    ['+(app)', { modifier: 'add-if-not-present', key: 'app' }],
    ['(app.kubernetes.io/name)', { modifier: 'condition', key: 'app.kubernetes.io/name' }],
    ['((a))', { modifier: 'condition', key: '(a)' }],
    ['name', undefined],
    ['()', undefined],
    ['=()', undefined],
    ['Y(x)', undefined],
    ['=x)', undefined],
    ['(x', undefined],
    ['x(y)', undefined],
  ];
  for (const [key, want] of rows)
    test(`parseAnchor(${JSON.stringify(key)})`, () => assert.deepEqual(parseAnchor(key), want));

  test('anchorKey round-trips', () => {
    for (const m of [
      'condition',
      'global',
      'equality',
      'negation',
      'existence',
      'add-if-not-present',
    ] as const) {
      assert.deepEqual(parseAnchor(anchorKey(m, 'k')), { modifier: m, key: 'k' });
    }
  });
});

describe('findInvalidAnchors', () => {
  const validate: AnchorModifier[] = ['condition', 'global', 'equality', 'negation', 'existence'];

  test('a valid pattern has no problems', () => {
    const p = {
      spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }], '^(containers)': [{ image: 'a' }], '(x)': '<(y)' },
    };
    assert.deepEqual(findInvalidAnchors(p, validate), []);
  });

  test('add-if-not-present is unsupported in validate patterns', () => {
    assert.deepEqual(findInvalidAnchors({ metadata: { labels: { '+(app)': 'x' } } }, validate), [
      { path: ['metadata', 'labels', '+(app)'], message: 'unsupported anchor +(app)' },
    ]);
  });

  test('existence anchor values must be non-empty lists', () => {
    assert.deepEqual(findInvalidAnchors({ spec: { '^(a)': { b: 1 }, '^(c)': [] } }, validate), [
      { path: ['spec', '^(a)'], message: 'existence anchor should have value of type list' },
      { path: ['spec', '^(c)'], message: 'existence anchor: should have atleast one value' },
    ]);
  });

  test('paths go through arrays', () => {
    assert.deepEqual(findInvalidAnchors({ a: [{ b: 1 }, { '+(c)': 1 }] }, validate), [
      { path: ['a', 1, '+(c)'], message: 'unsupported anchor +(c)' },
    ]);
  });

  test('malformed range operators in string values', () => {
    assert.deepEqual(
      findInvalidAnchors({ a: '!-5', b: '10!-', c: '10-', d: '1Gi-', e: 'nginx-', f: '1-10' }, validate),
      [
        { path: ['a'], message: "invalid operator syntax in pattern '!-5': !- requires range format" },
        { path: ['b'], message: "invalid operator syntax in pattern '10!-': !- requires range format" },
        { path: ['c'], message: "invalid range operator syntax in pattern '10-'" },
        { path: ['d'], message: "invalid range operator syntax in pattern '1Gi-'" },
      ],
    );
  });
});
