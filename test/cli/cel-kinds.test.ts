// `palisade test` / `apply` with GeneratingPolicy, ValidatingAdmissionPolicy (+ binding, params),
// DeletingPolicy and ImageValidatingPolicy suites under fixtures/cel-kinds.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { palisade, ROOT } from '../support/run-cli.js';

const FIX = 'test/cli/fixtures/cel-kinds';

describe('palisade test runs the rule-less CEL kinds', () => {
  const suites = [
    ['gpol-template', 2],
    ['vap', 6],
    ['dpol', 2],
    ['ivpol', 2],
  ] as const;
  for (const [suite, rows] of suites) {
    test(suite, () => {
      const r = palisade(['test', `${FIX}/${suite}`, '--detailed-results']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`Test Summary: ${rows} tests passed and 0 tests failed`));
    });
  }

  test('a generated resource that differs from generatedResource fails with a diff', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-gpol-'));
    const policy = resolve(ROOT, FIX, 'gpol-template/policy.yaml');
    const resources = resolve(ROOT, FIX, 'gpol-template/resources.yaml');
    writeFileSync(
      join(dir, 'generated.yaml'),
      'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: blue-quota\n  namespace: payments\nspec:\n  hard:\n    pods: "99"\n',
    );
    writeFileSync(
      join(dir, 'kyverno-test.yaml'),
      `apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\npolicies: [${policy}]\nresources: [${resources}]\nresults:\n  - policy: team-quota\n    kind: Namespace\n    resources: [payments]\n    result: pass\n    generatedResource: generated.yaml\n    isGeneratingPolicy: true\n`,
    );
    const r = palisade(['test', dir, '--detailed-results']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Resource diff/);
  });
});

describe('Kyverno CLI evaluation order and empty responses', () => {
  test('VAP, GeneratingPolicy and legacy generate see the MutatingPolicy patch; DeletingPolicy does not', () => {
    const r = palisade(['test', `${FIX}/order`, '--detailed-results']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Test Summary: 5 tests passed and 0 tests failed/);
    // An ImageValidatingPolicy that does not apply still answers, with no rule: the row is Excluded.
    assert.match(r.stdout, /pods-signed .*│ Pass +│ Excluded/);
  });
});

describe('JSON payloads (ValidatingPolicy spec.evaluation.mode: JSON)', () => {
  test('test jsonPayloads / jsonPayload rows select payloads by path', () => {
    const r = palisade(['test', `${FIX}/json-payloads`, '--detailed-results']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Test Summary: 6 tests passed and 0 tests failed/);
    assert.match(r.stdout, /unencrypted buckets: assets, backups/);
    assert.match(r.stdout, /rule is skipped due to policy exception: sandbox-plans/);
  });

  test('a Kubernetes-mode policy gives no response for a payload (row not found)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-json-'));
    const fix = resolve(ROOT, FIX, 'json-payloads');
    writeFileSync(
      join(dir, 'kyverno-test.yaml'),
      `apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\npolicies: [${fix}/policies.yaml]\njsonPayloads: [${fix}/plan-good.json]\nresults:\n  - policy: pods-only\n    kind: ""\n    result: pass\n`,
    );
    const r = palisade(['test', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /pods-only .*│ Fail +│ Not found/);
  });

  test('apply --json evaluates payloads; --json with --resource is a usage error', () => {
    const fix = `${FIX}/json-payloads`;
    const r = palisade([
      'apply',
      `${fix}/policies.yaml`,
      '--json',
      `${fix}/plan-bad.yaml`,
      '--json',
      `${fix}/plan-good.json`,
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /unencrypted buckets: assets, backups/);
    assert.match(r.stdout, /pass: 2, fail: 2/);
    const both = palisade([
      'apply',
      `${fix}/policies.yaml`,
      '--json',
      `${fix}/plan-bad.yaml`,
      '-r',
      `${FIX}/order/namespace.yaml`,
    ]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--json and --resource cannot be used together/);
  });

  test('a payload that is not an object is a load error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-json-'));
    writeFileSync(join(dir, 'list.json'), '[1, 2]');
    const r = palisade(['apply', `${FIX}/json-payloads/policies.yaml`, '--json', join(dir, 'list.json')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /must be a JSON object/);
  });
});

describe('palisade apply', () => {
  test('--parameter-resource feeds ValidatingAdmissionPolicy params', () => {
    const r = palisade([
      'apply',
      `${FIX}/vap/policy.yaml`,
      '--resource',
      `${FIX}/vap/resources.yaml`,
      '--parameter-resource',
      `${FIX}/vap/params.yaml`,
      '--detailed-results',
      '-t',
    ]);
    assert.match(r.stdout, /replicas must be at most 3/);
  });

  // Kyverno's CLI does not apply parameterNotFoundAction offline: `params` is null and reading it errors.
  test('without the param, expressions reading params error', () => {
    const r = palisade([
      'apply',
      `${FIX}/vap/policy.yaml`,
      '--resource',
      `${FIX}/vap/resources.yaml`,
      '-t',
      '--detailed-results',
    ]);
    assert.match(r.stdout, /resulted in error: no such key: data/);
  });

  test('a DeletingPolicy with a bad cron schedule is a diagnostic', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-dpol-'));
    const file = join(dir, 'dpol.yaml');
    writeFileSync(
      file,
      'apiVersion: policies.kyverno.io/v1beta1\nkind: DeletingPolicy\nmetadata:\n  name: bad\nspec:\n  schedule: "61 * * * *"\n  matchConstraints:\n    resourceRules:\n      - apiGroups: [""]\n        apiVersions: [v1]\n        resources: [pods]\n',
    );
    const r = palisade(['apply', file, '--resource', `${FIX}/dpol/resources.yaml`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid schedule "61 \* \* \* \*": minute value 61 out of range/);
  });
});

// Kyverno compiles `variables` as an object type whose fields are the declared variables, so a
// policy reading one that `spec.variables` does not declare fails to compile (apply stops with
// `failed to compile policy …`); Palisade rejects it at load, at the field's file and line.
describe('a CEL policy reading an undeclared variable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-undeclared-'));
  writeFileSync(
    join(dir, 'vpol.yaml'),
    [
      'apiVersion: policies.kyverno.io/v1',
      'kind: ValidatingPolicy',
      'metadata:',
      '  name: vp',
      'spec:',
      '  matchConstraints:',
      '    resourceRules:',
      '      - apiGroups: [""]',
      '        apiVersions: [v1]',
      '        operations: [CREATE]',
      '        resources: [pods]',
      '  variables:',
      '    - name: a',
      '      expression: object.metadata.name',
      '  validations:',
      "    - expression: variables.a == 'x' || variables.nope == 'y'",
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n',
  );
  writeFileSync(
    join(dir, 'kyverno-test.yaml'),
    'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\npolicies: [vpol.yaml]\nresources: [pod.yaml]\nresults:\n  - policy: vp\n    kind: Pod\n    resources: [p]\n    result: fail\n',
  );
  const where =
    /vpol\.yaml:16:50: cel\/compile-error: policy vp: spec\.validations\[0\]\.expression .*undefined field 'nope'/;

  test('apply: an input error at the field, no rows', () => {
    const r = palisade(['apply', join(dir, 'vpol.yaml'), '--resource', join(dir, 'pod.yaml')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, where);
  });

  test('test: the test cannot be loaded', () => {
    const r = palisade(['test', dir]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, where);
  });
});
