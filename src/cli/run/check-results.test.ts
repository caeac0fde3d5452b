import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject, PolicyRef, PolicyResult, RuleResult, RuleStatus } from '../../engine/index.js';
import type { TestResultRow } from '../../io/files/test-suite.js';
import { checkResults, lookupRuleResponses, selectResources } from './check-results.js';

function compiled(name: string, annotations: Record<string, string> = {}): PolicyRef {
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name, annotations };
}
function rule(name: string, status: RuleStatus): RuleResult {
  return { name, type: 'Validation', status, message: `${name} ${status}` };
}
function resp(policy: PolicyRef, resource: KubeObject, rules: RuleResult[]): PolicyResult {
  const response = {
    policyKey: policy.name,
    policyName: policy.name,
    policyKind: 'ClusterPolicy',
    resource,
    patchedResource: resource,
    rules,
    validationFailureAction: 'Audit' as const,
  };
  return { policy, response, ruleActions: undefined, failurePolicy: 'Fail' };
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

describe('checkResults: patched and generated resources (§8.3)', () => {
  const p = compiled('p');
  const a = pod('a');
  const patched: KubeObject = { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } };
  const mutateResp = (rr: RuleResult, patchedResource = patched): PolicyResult => {
    const r = resp(p, a, [rr]);
    return { ...r, response: { ...r.response, patchedResource } };
  };
  const mutated: RuleResult = { name: 'r', type: 'Mutation', status: 'pass', message: 'mutated Pod/a' };
  const files: Record<string, KubeObject[]> = {
    'good.yaml': [patched],
    'bad.yaml': [{ ...a, metadata: { ...a.metadata, labels: { x: 'z' } } }],
    'other.yaml': [pod('zzz')],
  };
  const load = (f: string) =>
    files[f] !== undefined ? { objects: files[f] } : { error: `open ${f}: no such file` };
  const run = (r: Partial<TestResultRow>, er = mutateResp(mutated)) =>
    checkResults([row({ resources: ['a'], ...r })], () => new Map([[key(a), [er]]]), load);

  test('matching patched resource → Pass / Ok', () => {
    assert.deepEqual(
      run({ patchedResources: 'good.yaml' }).rows.map((x) => x.reason),
      ['Ok'],
    );
  });
  test('differing patched resource → Fail / Resource diff whatever the result', () => {
    const r = run({ patchedResources: 'bad.yaml' });
    assert.deepEqual([r.rows[0]?.result, r.rows[0]?.reason], ['Fail', 'Resource diff']);
    assert.match(r.rows[0]?.message ?? '', /x: z/);
  });
  test('unreadable file → Fail / Resource error', () => {
    assert.equal(run({ patchedResources: 'missing.yaml' }).rows[0]?.reason, 'Resource error');
  });
  test('resource absent from the file → no row; with failOnMissingResources → Resource error', () => {
    assert.equal(run({ patchedResources: 'other.yaml' }).rows.length, 0);
    assert.equal(
      run({ patchedResources: 'other.yaml', failOnMissingResources: true }).rows[0]?.reason,
      'Resource error',
    );
  });
  test('mutate-existing: patched targets are compared too', () => {
    const target = pod('t');
    const withTarget: RuleResult = { ...mutated, patchedTargets: [{ ...target, spec: { x: 1 } }] };
    files['targets.yaml'] = [patched, target];
    assert.equal(
      run({ patchedResources: 'targets.yaml' }, mutateResp(withTarget)).rows[0]?.reason,
      'Resource diff',
    );
    files['targets.yaml'] = [patched, { ...target, spec: { x: 1 } }];
    assert.equal(run({ patchedResources: 'targets.yaml' }, mutateResp(withTarget)).rows[0]?.reason, 'Ok');
  });
  test('generated resources match any document of generatedResource(s)', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'default' },
      data: { k: 'v' },
    };
    const gen: RuleResult = {
      name: 'r',
      type: 'Generation',
      status: 'pass',
      message: '',
      generatedResources: [cm],
    };
    files['gen.yaml'] = [pod('x'), cm];
    files['gen-bad.yaml'] = [{ ...cm, data: { k: 'other' } }];
    assert.equal(run({ generatedResources: ['gen.yaml'] }, mutateResp(gen, a)).rows[0]?.reason, 'Ok');
    assert.equal(
      run({ generatedResource: 'gen-bad.yaml' }, mutateResp(gen, a)).rows[0]?.reason,
      'Resource diff',
    );
    const none: RuleResult = { ...gen, generatedResources: [] };
    assert.equal(run({ generatedResource: 'gen-bad.yaml' }, mutateResp(none, a)).rows[0]?.reason, 'Ok');
  });
});
