// `palisade test` / `apply` with GeneratingPolicy, ValidatingAdmissionPolicy (+ binding, params),
// DeletingPolicy and ImageValidatingPolicy suites under fixtures/cel-kinds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const FIX = 'test/cli/fixtures/cel-kinds';

function palisade(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
