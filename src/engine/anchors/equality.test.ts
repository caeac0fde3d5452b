// kyverno.io "Validate Rules" → Anchors → Equality anchor `=(key)`: "if present, must match".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePattern } from '../pattern/validate-pattern.js';

// Docs example: if a hostPath volume is used, its path must not be the docker socket.
const pattern = { spec: { '=(volumes)': [{ '=(hostPath)': { path: '!/var/run/docker.sock' } }] } };

const cases = [
  { name: 'no volumes → pass', resource: { spec: {} }, want: 'pass' },
  {
    name: 'volumes without hostPath → pass',
    resource: { spec: { volumes: [{ name: 'a', emptyDir: {} }] } },
    want: 'pass',
  },
  {
    name: 'hostPath with another path → pass',
    resource: { spec: { volumes: [{ hostPath: { path: '/data' } }] } },
    want: 'pass',
  },
  {
    name: 'hostPath to the socket → fail',
    resource: { spec: { volumes: [{ hostPath: { path: '/var/run/docker.sock' } }] } },
    want: 'fail',
  },
  { name: 'present but wrong shape → fail', resource: { spec: { volumes: 'none' } }, want: 'fail' },
] as const;

describe('equality anchor =(key)', () => {
  for (const c of cases)
    test(c.name, () => assert.equal(validatePattern(c.resource, pattern).status, c.want));

  test('the failure path uses the plain key', () => {
    const out = validatePattern(
      { spec: { volumes: [{ hostPath: { path: '/var/run/docker.sock' } }] } },
      pattern,
    );
    assert.equal(out.status === 'fail' ? out.path : '', '/spec/volumes/0/hostPath/path/');
  });

  test('a present null value is validated (null pattern accepts it, "?*" does not)', () => {
    assert.equal(validatePattern({ a: null }, { '=(a)': null }).status, 'pass');
    assert.equal(validatePattern({ a: null }, { '=(a)': '?*' }).status, 'fail');
  });

  test('an all-skipped equality array is ignored when another anchor applied (Kyverno test-46)', () => {
    const p = {
      spec: {
        '=(initContainers)': [{ '(name)': '!istio-init', '=(securityContext)': { '=(runAsUser)': '>0' } }],
        '=(containers)': [{ '=(securityContext)': { '=(runAsUser)': '>0' } }],
      },
    };
    const r = {
      spec: {
        initContainers: [{ name: 'istio-init', securityContext: { runAsUser: 0 } }],
        containers: [{ securityContext: { runAsUser: 1000 } }],
      },
    };
    assert.equal(validatePattern(r, p).status, 'pass');
  });
});
