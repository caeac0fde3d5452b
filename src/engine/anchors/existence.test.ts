// kyverno.io "Validate Rules" → Anchors → Existence anchor `^(key)`: at least one element matches.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePattern } from '../pattern/validate-pattern.js';

// Docs example: at least one container must use the image nginx:latest.
const pattern = { spec: { '^(containers)': [{ image: 'nginx:latest' }] } };
const pod = (...images: string[]) => ({ spec: { containers: images.map((image) => ({ image })) } });

const cases = [
  { name: 'one matching container → pass', resource: pod('busybox', 'nginx:latest'), want: 'pass' },
  { name: 'no matching container → fail', resource: pod('busybox', 'nginx:1.2'), want: 'fail' },
  { name: 'key absent → pass', resource: { spec: {} }, want: 'pass' },
  { name: 'empty list → fail', resource: { spec: { containers: [] } }, want: 'fail' },
  {
    name: 'value not a list → fail',
    resource: { spec: { containers: { image: 'nginx:latest' } } },
    want: 'fail',
  },
] as const;

describe('existence anchor ^(key)', () => {
  for (const c of cases)
    test(c.name, () => assert.equal(validatePattern(c.resource, pattern).status, c.want));

  test('failure path and message', () => {
    assert.deepEqual(validatePattern(pod('busybox'), pattern), {
      status: 'fail',
      path: '/spec/containers/',
      message: 'existence anchor validation failed at path /spec/containers/',
    });
  });

  test('non-list resource message', () => {
    assert.deepEqual(validatePattern({ spec: { containers: 'x' } }, pattern), {
      status: 'fail',
      path: '/spec/containers/',
      message:
        'invalid resource type string: Existence ^ () anchor can be used only on list/array type resource',
    });
  });

  test('every pattern element needs its own match', () => {
    const two = { spec: { '^(containers)': [{ image: 'nginx*' }, { image: 'busybox*' }] } };
    assert.equal(validatePattern(pod('nginx:1', 'busybox:2'), two).status, 'pass');
    assert.equal(validatePattern(pod('nginx:1', 'nginx:2'), two).status, 'fail');
  });

  test('TestValidateMapElement_TwoElementsInArrayOnePass', () => {
    const p = { '^(list)': [{ '(name)': 'nirmata-*', object: [{ '(key1)': 'value*', key2: 'value*' }] }] };
    const r = {
      list: [
        { name: 'nirmata-1', object: [{ key1: 'value1', key2: 'value2' }] },
        { name: 'nirmata-1', object: [{ key1: 'not_value', key2: 'not_value' }] },
      ],
    };
    assert.equal(validatePattern(r, p).status, 'pass');
  });

  test('pattern value that is not a list is a failure at the anchor path', () => {
    const out = validatePattern(pod('a'), { spec: { '^(containers)': { image: 'a' } } });
    assert.equal(out.status, 'fail');
  });
});
