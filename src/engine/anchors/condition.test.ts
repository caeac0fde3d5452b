// kyverno.io "Validate Rules" → Anchors → Conditional anchor `(key)`, plus Kyverno's conditionAnchorHandler.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePattern } from '../pattern/validate-pattern.js';
import { validateConditionAnchor } from './condition.js';
import type { ValidateElement } from './handler.js';

// Docs: "If an image tag is `latest`, imagePullPolicy cannot be `Always`" style rule.
const latestPolicy = { spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: '!Always' }] } };
const pod = (...c: { image: string; imagePullPolicy: string }[]) => ({ spec: { containers: c } });

const cases = [
  {
    name: 'condition met, sibling ok → pass',
    resource: pod({ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' }),
    want: 'pass',
  },
  {
    name: 'condition met, sibling violates → fail',
    resource: pod({ image: 'nginx:latest', imagePullPolicy: 'Always' }),
    want: 'fail',
  },
  {
    name: 'condition not met in the only container → skip',
    resource: pod({ image: 'nginx:1.2', imagePullPolicy: 'Always' }),
    want: 'skip',
  },
  {
    name: 'one container applies and passes, the other is skipped → pass',
    resource: pod(
      { image: 'nginx:1.2', imagePullPolicy: 'Always' },
      { image: 'a:latest', imagePullPolicy: 'Never' },
    ),
    want: 'pass',
  },
  {
    name: 'one container applies and fails → fail',
    resource: pod(
      { image: 'nginx:1.2', imagePullPolicy: 'Always' },
      { image: 'a:latest', imagePullPolicy: 'Always' },
    ),
    want: 'fail',
  },
] as const;

describe('conditional anchor (key)', () => {
  for (const c of cases)
    test(c.name, () => assert.equal(validatePattern(c.resource, latestPolicy).status, c.want));

  test('absent key at the root skips with Kyverno’s message', () => {
    assert.deepEqual(validatePattern({ spec: {} }, { spec: { '(hostNetwork)': true, hostPort: 0 } }), {
      status: 'skip',
      message: "conditional anchor mismatch: conditional anchor key doesn't exist in the resource",
    });
  });

  test('a failure under a met condition reports its own path', () => {
    assert.deepEqual(validatePattern(pod({ image: 'x:latest', imagePullPolicy: 'Always' }), latestPolicy), {
      status: 'fail',
      path: '/spec/containers/0/imagePullPolicy/',
      message: "resource value 'Always' does not match '!Always' at path /spec/containers/0/imagePullPolicy/",
    });
  });

  test('a nested conditional miss is wrapped once more by the outer conditional anchor', () => {
    const out = validatePattern({ spec: { containers: [] } }, { '(spec)': { '(volumes)': [{ name: '*' }] } });
    assert.deepEqual(out, {
      status: 'skip',
      message:
        "conditional anchor mismatch: conditional anchor mismatch: conditional anchor key doesn't exist in the resource",
    });
  });

  test('once a sibling condition fails, ordinary failures of later anchors are ignored (skip)', () => {
    const pattern = { spec: { volumes: [{ '(name)': '!cache', '=(emptyDir)': { sizeLimit: '?*' } }] } };
    assert.equal(
      validatePattern({ spec: { volumes: [{ name: 'cache', emptyDir: {} }] } }, pattern).status,
      'skip',
    );
    assert.equal(
      validatePattern({ spec: { volumes: [{ name: 'data', emptyDir: {} }] } }, pattern).status,
      'fail',
    );
  });

  test('handler: key present and matching → undefined; inner failure → conditional kind', () => {
    const ok: ValidateElement = () => undefined;
    const bad: ValidateElement = (_r, _p, at) => ({ kind: 'plain', path: at, message: 'nope' });
    const base = { key: 'k', pattern: 'v', resource: { k: 'v' }, path: '/a/' };
    assert.equal(validateConditionAnchor({ ...base, validate: ok }), undefined);
    assert.deepEqual(validateConditionAnchor({ ...base, validate: bad }), {
      kind: 'conditional',
      path: '/a/k/',
      message: 'conditional anchor mismatch: nope',
    });
  });
});
