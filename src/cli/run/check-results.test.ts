import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompiledPolicy, KubeObject, RuleResult, RuleStatus } from '../../engine/index.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { checkResults, lookupRuleResponses, selectResources } from './check-results.js';
import type { EngineResponse } from './evaluate-resources.js';

function compiled(name: string, annotations: Record<string, string> = {}): CompiledPolicy {
  return {
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name, annotations },
      spec: { rules: [] },
    },
    key: name,
    rules: [],
  };
}
function rule(name: string, status: RuleStatus): RuleResult {
  return { name, type: 'Validation', status, message: `${name} ${status}` };
}
function resp(policy: CompiledPolicy, resource: KubeObject, rules: RuleResult[]): EngineResponse {
  return {
    compiled: policy,
    resource,
    response: {
      policyKey: policy.key,
      policyName: policy.key,
      policyKind: 'ClusterPolicy',
      resource,
      patchedResource: resource,
      rules,
      validationFailureAction: 'Audit',
    },
  };
}
const pod = (name: string, ns = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
});
const key = (o: KubeObject): string => `v1,Pod,${o.metadata?.namespace},${o.metadata?.name}`;
const row = (r: Partial<TestResultRow>): TestResultRow => ({
  policy: 'p',
  rule: 'r',
  kind: 'Pod',
  result: 'pass',
  ...r,
});

describe('selectResources', () => {
  const keys = ['v1,Pod,default,a', 'v1,Pod,team,a', 'v1,Pod,default,b'];
  test('a bare name matches in every namespace', () =>
    assert.deepEqual(selectResources(row({ resources: ['a'] }), keys), [keys[0], keys[1]]));
  test('ns/name matches one', () =>
    assert.deepEqual(selectResources(row({ resources: ['team/a'] }), keys), [keys[1]]));
  test('quirk: names matching nothing select every resource', () =>
    assert.deepEqual(selectResources(row({ resources: ['zzz'] }), keys), keys));
  test('resourceSpecs compare group/version, namespace and name', () => {
    assert.deepEqual(
      selectResources(
        row({ resources: [], resourceSpecs: [{ version: 'v1', namespace: 'default', name: 'b' }] }),
        keys,
      ),
      [keys[2]],
    );
  });
});

test('rule names also match autogen- and autogen-cronjob- variants', () => {
  const rules = [
    rule('r', 'pass'),
    rule('autogen-r', 'fail'),
    rule('autogen-cronjob-r', 'pass'),
    rule('other', 'pass'),
  ];
  assert.deepEqual(
    lookupRuleResponses(row({}), rules).map((r) => r.name),
    ['r', 'autogen-r', 'autogen-cronjob-r'],
  );
});

describe('checkResults (kyverno test contract)', () => {
  const p = compiled('p');
  const a = pod('a');
  const b = pod('b');
  const responses = new Map([
    [key(a), [resp(p, a, [rule('r', 'fail')])]],
    [key(b), [resp(p, b, [])]],
  ]);
  const check = (rows: TestResultRow[]) => checkResults(rows, () => responses);

  test('matching expectation → Pass / Ok', () => {
    const r = check([row({ resources: ['a'], result: 'fail' })]);
    assert.deepEqual(
      [r.rows[0]?.result, r.rows[0]?.reason, r.counts],
      ['Pass', 'Ok', { pass: 1, fail: 0, skip: 0 }],
    );
  });
  test('mismatch → Fail / Want x, got y (also when fail was expected)', () => {
    const r = check([row({ resources: ['a'], result: 'pass' })]);
    assert.deepEqual([r.rows[0]?.result, r.rows[0]?.reason], ['Fail', 'Want pass, got fail']);
    const r2 = checkResults(
      [row({ resources: ['a'], result: 'fail' })],
      () => new Map([[key(a), [resp(p, a, [rule('r', 'pass')])]]]),
    );
    assert.deepEqual([r2.rows[0]?.result, r2.counts.fail], ['Fail', 1]);
  });
  test('quirk: a response without the rule → Pass / Excluded, counted as skip', () => {
    const r = check([row({ resources: ['b'], result: 'fail' })]);
    assert.deepEqual(
      [r.rows[0]?.result, r.rows[0]?.reason, r.counts],
      ['Pass', 'Excluded', { pass: 0, fail: 0, skip: 1 }],
    );
  });
  test('no response of the policy → Fail / Not found', () => {
    const r = check([row({ policy: 'typo', resources: ['a'] })]);
    assert.deepEqual([r.rows[0]?.result, r.rows[0]?.reason], ['Fail', 'Not found']);
  });
  test('a namespaced policy name ns/name compares the name only', () => {
    const r = check([row({ policy: 'team/p', resources: ['a'], result: 'fail' })]);
    assert.equal(r.rows[0]?.reason, 'Ok');
  });
  test('expected skip that matches counts as skip', () => {
    const r = checkResults(
      [row({ resources: ['a'], result: 'skip' })],
      () => new Map([[key(a), [resp(p, a, [rule('r', 'skip')])]]]),
    );
    assert.deepEqual(r.counts, { pass: 0, fail: 0, skip: 1 });
  });
  test('scored: "false" policies report fail as warn', () => {
    const unscored = compiled('p', { 'policies.kyverno.io/scored': 'false' });
    const r = checkResults(
      [row({ resources: ['a'], result: 'warn' })],
      () => new Map([[key(a), [resp(unscored, a, [rule('r', 'fail')])]]]),
    );
    assert.equal(r.rows[0]?.reason, 'Ok');
  });
});
