// The compiled pass check against the walker: a pattern planned with its policy answers through the
// check first; every answer must be the walker's (same outcome, path and message), over a table of
// patterns and resources chosen at the check's edges (absent, null and typed values, `*`, arrays of
// maps and of scalars) and the conditional-anchor table, which the check leaves to the walker.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PatternPlans } from './map-plan.js';
import { compileQuickPass } from './quick-pass.js';
import { CONDITIONAL_CASES } from './testdata/conditional-cases.js';
import { quickPasses, validatePattern } from './validate-pattern.js';

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const compiled: unknown[] = [
  { spec: { '=(hostPID)': 'false', '=(hostIPC)': 'false', '=(hostNetwork)': 'false' } },
  { spec: { containers: [{ '=(securityContext)': { '=(privileged)': 'false' } }] } },
  { spec: { containers: [{ securityContext: { allowPrivilegeEscalation: 'false' } }] } },
  { spec: { '=(ephemeralContainers)': [{ '=(ports)': [{ '=(hostPort)': 0 }] }] } },
  { spec: { '=(securityContext)': { '=(seccompProfile)': { '=(type)': 'RuntimeDefault | Localhost' } } } },
  { metadata: { labels: { app: '?*' } } },
  { metadata: { name: '*' } },
  { '=(name)': '*' },
  { spec: { k: ['a*'] } },
  { spec: { '=(k)': ['a*'] } },
  { spec: { replicas: '>1', n: 5, b: true, x: null } },
  { spec: { '=(x)': null } },
  'false',
  [{ a: 1 }],
  { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } },
  // A negation anchor's value is never read, even one the check could not compile.
  { spec: { 'X(k)': [['x']], '=(x)': null, c: 1 } },
  { 'X(spec)': null },
];
const walkerOnly: unknown[] = [
  { spec: { 'X(k)': 1, '(c)': 1 } },
  { spec: { 'X(k)': 1, '^(c)': [{ a: 1 }] } },
  { spec: { '(c)': 1, b: 2 } },
  { spec: { '^(k)': [{ a: 1 }] } },
  { spec: { '<(k)': 1 } },
  { spec: { '+(k)': 1 } },
  { spec: { k: [] } },
  { spec: { k: [['x']] } },
  { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/*': 'runtime/default' } } },
];
const resources: unknown[] = [
  {},
  { spec: {} },
  { spec: null },
  { spec: 'x' },
  { spec: { hostPID: false } },
  { spec: { hostPID: true, hostIPC: false } },
  { spec: { hostPID: 'false' } },
  { spec: { hostNetwork: null } },
  { spec: { containers: [{ securityContext: { privileged: false, allowPrivilegeEscalation: false } }] } },
  { spec: { containers: [{ securityContext: { privileged: true } }] } },
  { spec: { containers: [{}, { securityContext: null }] } },
  { spec: { containers: [] } },
  { spec: { containers: 'x' } },
  { spec: { containers: [null] } },
  { spec: { containers: ['x'] } },
  { spec: { volumes: [{ hostPath: { path: '/' } }, { emptyDir: {} }] } },
  { spec: { volumes: [{ emptyDir: {} }, { hostPath: null }] } },
  { spec: { volumes: [{ emptyDir: {} }, { configMap: { name: 'x' } }] } },
  { spec: { volumes: [{ emptyDir: {} }, 'x'] } },
  { spec: { volumes: null } },
  { spec: { k: null, c: 1 } },
  { spec: { c: 1, x: null } },
  { spec: { c: 2, x: null } },
  { spec: { ephemeralContainers: [{ ports: [{ hostPort: 0 }, {}] }] } },
  { spec: { ephemeralContainers: [{ ports: [{ hostPort: 80 }] }] } },
  { spec: { ephemeralContainers: [{ ports: null }] } },
  { spec: { securityContext: { seccompProfile: { type: 'Localhost' } } } },
  { spec: { securityContext: { seccompProfile: { type: 'Unconfined' } } } },
  { spec: { securityContext: { seccompProfile: null } } },
  { metadata: { labels: { app: 'web' } } },
  { metadata: { labels: { app: '' } } },
  { metadata: { labels: null } },
  { metadata: { name: null } },
  { metadata: { name: 'web' } },
  { name: '' },
  { name: null },
  { spec: { k: ['ab', 'ac'] } },
  { spec: { k: ['ab', 'b'] } },
  { spec: { k: 'ab' } },
  { spec: { k: [] } },
  { spec: { k: [['x']] } },
  { spec: { replicas: 2, n: 5, b: true, x: null } },
  { spec: { replicas: '2', n: 5, b: true } },
  { spec: { replicas: 2, n: '5', b: true, x: null } },
  { spec: { replicas: 2, n: 5.0, b: 'true', x: null } },
  { spec: { x: 'y' } },
  { spec: { x: false } },
  { spec: { k: false } },
  { spec: { replicas: 2, n: 5, b: false, x: null } },
  { spec: { containers: [{ securityContext: { allowPrivilegeEscalation: true, privileged: false } }] } },
  { spec: { c: 1, b: 2 } },
  { spec: { c: 2, b: 3 } },
  { spec: { '+(k)': 1, k: 1 } },
  { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default' } } },
  [{ a: 1 }, { a: 2 }],
  [{ a: 1 }],
  'false',
  false,
  null,
];

/** validatePattern with the compiled check asked first, and without it. */
function both(resource: unknown, pattern: unknown, plans: PatternPlans) {
  const quick = validatePattern(resource, pattern, plans);
  quickPasses.enabled = false;
  try {
    return { quick, walked: validatePattern(resource, pattern, plans) };
  } finally {
    quickPasses.enabled = true;
  }
}

describe('compiled pass checks', () => {
  test('compile the patterns of plain keys, equality anchors, arrays of maps or scalars, and scalars only', () => {
    const plans = new PatternPlans();
    for (const p of [...compiled, ...walkerOnly]) plans.add(p);
    for (const p of compiled)
      assert.notEqual(
        compileQuickPass(p, (m) => plans.of(m)),
        undefined,
        JSON.stringify(p),
      );
    for (const p of walkerOnly)
      assert.equal(
        compileQuickPass(p, (m) => plans.of(m)),
        undefined,
        JSON.stringify(p),
      );
    // A pattern not planned with its policy (a substituted one) is walked.
    assert.equal(plans.quickPass({ spec: { '=(hostPID)': 'false' } }), undefined);
  });

  test('answer as the walker does, for every pattern of the table against every resource, twice', () => {
    const plans = new PatternPlans();
    const patterns = [...compiled, ...walkerOnly, ...CONDITIONAL_CASES.map((c) => json(c.pattern))];
    const all = [...resources, ...CONDITIONAL_CASES.map((c) => json(c.resource))];
    for (const p of patterns) plans.add(p);
    let passed = 0;
    let walked = 0;
    for (let round = 0; round < 2; round++)
      for (const pattern of patterns)
        for (const resource of all) {
          const check = plans.quickPass(pattern);
          const answer = both(resource, pattern, plans);
          assert.deepEqual(
            answer.quick,
            answer.walked,
            `${JSON.stringify(pattern)} on ${JSON.stringify(resource)}`,
          );
          if (check?.(resource) === true) passed++;
          else if (check !== undefined && answer.walked.status !== 'pass') walked++;
        }
    // Both sides are exercised: passes answered by the check, failures the check left to the walker.
    assert.ok(passed > 100, `only ${passed} passes answered by compiled checks`);
    assert.ok(walked > 200, `only ${walked} failures left to the walker`);
  });

  test('a check says pass only where the walker passes', () => {
    const plans = new PatternPlans();
    for (const p of compiled) plans.add(p);
    for (const pattern of compiled)
      for (const resource of resources) {
        if (plans.quickPass(pattern)?.(resource) !== true) continue;
        quickPasses.enabled = false;
        try {
          assert.deepEqual(validatePattern(resource, pattern, plans), { status: 'pass' });
        } finally {
          quickPasses.enabled = true;
        }
      }
  });
});
