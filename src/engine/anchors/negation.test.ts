// kyverno.io "Validate Rules" → Anchors → Negation anchor `X(key)`: the key must not exist.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePattern } from '../pattern/validate-pattern.js';
import { validateNegationAnchor } from './negation.js';

// Docs / pod-security disallow-host-path: spec.=(volumes)[*].X(hostPath): "null"
const pattern = { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } };

const cases = [
  { name: 'absent key passes', resource: { spec: { volumes: [{ name: 'a', emptyDir: {} }] } }, want: 'pass' },
  {
    name: 'present key fails',
    resource: { spec: { volumes: [{ name: 'a', hostPath: { path: '/' } }] } },
    want: 'fail',
  },
  {
    name: 'a present null value still fails',
    resource: { spec: { volumes: [{ hostPath: null }] } },
    want: 'fail',
  },
  { name: 'no volumes passes', resource: { spec: {} }, want: 'pass' },
  {
    name: 'second volume with hostPath fails',
    resource: { spec: { volumes: [{ name: 'a' }, { hostPath: {} }] } },
    want: 'fail',
  },
] as const;

describe('negation anchor X(key)', () => {
  for (const c of cases)
    test(c.name, () => assert.equal(validatePattern(c.resource, pattern).status, c.want));

  test('fail path and Kyverno’s negation message', () => {
    assert.deepEqual(validatePattern({ spec: { volumes: [{ name: 'a' }, { hostPath: {} }] } }, pattern), {
      status: 'fail',
      path: '/spec/volumes/1/hostPath/',
      message: 'negation anchor matched in resource: /spec/volumes/1/hostPath/ is not allowed',
    });
  });

  test('the pattern value is ignored', () => {
    assert.equal(validatePattern({ a: 1 }, { 'X(b)': { anything: 'here' } }).status, 'pass');
  });

  test('handler never calls validate', () => {
    const out = validateNegationAnchor({
      key: 'k',
      pattern: 'null',
      resource: { k: 1 },
      path: '/',
      validate: () => assert.fail('should not validate the value'),
    });
    assert.equal(out?.kind, 'negation');
  });
});
