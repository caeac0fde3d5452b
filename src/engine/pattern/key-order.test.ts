// Kyverno validateMap / getSortedNestedAnchorResource key order (pkg/engine/validate/utils.go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderPatternKeys } from './key-order.js';

test('anchors first (sorted), then global and nested-anchor keys (reverse sorted), then plain keys', () => {
  const pattern = {
    zeta: 1,
    alpha: 1,
    'X(neg)': 1,
    '(cond)': 1,
    '=(eq)': 1,
    '^(ex)': [{}],
    '<(glob)': 1,
    nestedA: { '(x)': 1 },
    nestedB: [{ '<(y)': 1 }],
    '+(add)': 1,
  };
  assert.deepEqual(orderPatternKeys(pattern), {
    anchors: ['(cond)', '=(eq)', 'X(neg)', '^(ex)'],
    others: ['nestedB', 'nestedA', '<(glob)', '+(add)', 'alpha', 'zeta'],
  });
});
