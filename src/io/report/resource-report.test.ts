import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyResult, RuleResult } from '../../engine/index.js';
import {
  buildResourceReport,
  keepTimestamps,
  reportedResource,
  reportResultsOf,
  resourceReportResult,
  sameResults,
} from './resource-report.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'apps', uid: 'u-1' },
};

function result(
  kind: string,
  rules: RuleResult[],
  annotations: Record<string, string> = {},
  namespace?: string,
): Pick<PolicyResult, 'policy' | 'response'> {
  return {
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind,
      name: 'p',
      ...(namespace ? { namespace } : {}),
      annotations,
    },
    response: {
      policyKey: namespace ? `${namespace}/p` : 'p',
      policyName: 'p',
      policyKind: kind,
      resource: pod,
      patchedResource: pod,
      rules,
      validationFailureAction: 'Audit',
    },
  };
}

const rule = (status: RuleResult['status'], extra: Partial<RuleResult> = {}): RuleResult => ({
  name: 'r',
  type: 'Validation',
  status,
  message: `msg ${status}`,
  ...extra,
});

describe('resourceReportResult', () => {
  const cases: {
    name: string;
    input: Pick<PolicyResult, 'policy' | 'response'>;
    expect: Record<string, unknown>;
  }[] = [
    {
      name: 'a ClusterPolicy pass: source kyverno, process background scan, scored',
      input: result('ClusterPolicy', [rule('pass')]),
      expect: { source: 'kyverno', policy: 'p', result: 'pass', scored: true, message: 'msg pass' },
    },
    {
      name: 'scored "false" turns a fail into warn',
      input: result('ClusterPolicy', [rule('fail')], { 'policies.kyverno.io/scored': 'false' }),
      expect: { result: 'warn', scored: false },
    },
    {
      name: 'severity and category come from the annotations; an unknown severity is left out',
      input: result('ClusterPolicy', [rule('fail')], {
        'policies.kyverno.io/severity': 'medium',
        'policies.kyverno.io/category': 'Pod Security',
      }),
      expect: { severity: 'medium', category: 'Pod Security' },
    },
    {
      name: 'a namespaced Policy is keyed ns/name',
      input: result('Policy', [rule('pass')], {}, 'apps'),
      expect: { policy: 'apps/p' },
    },
    {
      name: 'CEL kinds have their own source',
      input: result('ValidatingPolicy', [rule('fail', { name: '' })]),
      expect: { source: 'KyvernoValidatingPolicy', rule: '' },
    },
    {
      name: 'reportProperties override the message per result, and `message` overrides all',
      input: result('ClusterPolicy', [rule('fail', { properties: { failMessage: 'custom' } })]),
      expect: { message: 'custom' },
    },
    {
      name: 'exceptions and failed PSS controls become properties',
      input: result('ClusterPolicy', [
        rule('fail', {
          podSecurityChecks: [
            { id: 'privileged', allowed: false },
            { id: 'hostPorts', allowed: true },
          ],
        }),
      ]),
      expect: {},
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const got = resourceReportResult(
        c.input,
        c.input.response.rules[0] as RuleResult,
        'background scan',
        7,
      );
      for (const [k, v] of Object.entries(c.expect))
        assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
      assert.equal(got.properties?.process, 'background scan');
      assert.deepEqual(got.timestamp, { seconds: 7, nanos: 0 });
      assert.equal('resources' in got, false, 'the scope names the resource, not each result');
      if (c.expect.severity === undefined) assert.equal('severity' in got, false);
    });

  test('controls and exceptions', () => {
    const r = result('ClusterPolicy', [
      rule('fail', { podSecurityChecks: [{ id: 'privileged', allowed: false }] }),
      rule('skip', { name: 's', exceptions: ['ns/ex1', 'ns/ex2'] }),
    ]);
    const [fail, skip] = reportResultsOf([r], 'background scan', 1);
    assert.equal(fail?.properties?.controls, 'privileged');
    assert.equal(skip?.properties?.exceptions, 'ns/ex1,ns/ex2');
  });
});

describe('buildResourceReport', () => {
  test('a namespaced resource: PolicyReport named by uid, owned by the resource, sorted, summarized', () => {
    const res = reportedResource(pod);
    assert.ok(res);
    const results = reportResultsOf(
      [
        result('ClusterPolicy', [rule('fail', { name: 'b' }), rule('pass', { name: 'a' })]),
        result('ValidatingPolicy', [rule('pass', { name: '' })]),
      ],
      'background scan',
      1,
    );
    const report = buildResourceReport('wgpolicyk8s', res, results);
    assert.equal(report.apiVersion, 'wgpolicyk8s.io/v1alpha2');
    assert.equal(report.kind, 'PolicyReport');
    assert.deepEqual(report.metadata, {
      name: 'u-1',
      namespace: 'apps',
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'u-1' }],
    });
    assert.deepEqual(report.scope, {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web',
      namespace: 'apps',
      uid: 'u-1',
    });
    assert.deepEqual(
      report.results.map((r) => `${r.policy}/${r.rule}/${r.source}`),
      ['p//KyvernoValidatingPolicy', 'p/a/kyverno', 'p/b/kyverno'],
    );
    assert.deepEqual(report.summary, { pass: 2, fail: 1, warn: 0, error: 0, skip: 0 });
  });

  const kinds: [string, 'wgpolicyk8s' | 'openreports', boolean, string, string][] = [
    ['wgpolicyk8s namespaced', 'wgpolicyk8s', true, 'wgpolicyk8s.io/v1alpha2', 'PolicyReport'],
    ['wgpolicyk8s cluster-scoped', 'wgpolicyk8s', false, 'wgpolicyk8s.io/v1alpha2', 'ClusterPolicyReport'],
    ['openreports namespaced', 'openreports', true, 'openreports.io/v1alpha1', 'Report'],
    ['openreports cluster-scoped', 'openreports', false, 'openreports.io/v1alpha1', 'ClusterReport'],
  ];
  for (const [name, api, namespaced, apiVersion, kind] of kinds)
    test(`${name}: ${kind}`, () => {
      const object = namespaced
        ? pod
        : { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', uid: 'u-2' } };
      const res = reportedResource(object);
      assert.ok(res);
      const report = buildResourceReport(api, res, []);
      assert.equal(report.apiVersion, apiVersion);
      assert.equal(report.kind, kind);
      assert.equal('namespace' in (report.metadata ?? {}), namespaced);
    });

  test('an object without uid or name has no report', () => {
    assert.equal(reportedResource({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }), undefined);
  });
});

describe('rescans', () => {
  test('results equal but for their timestamps are the same, and keep the stored timestamps', () => {
    const r = result('ClusterPolicy', [rule('fail')]);
    const old = reportResultsOf([r], 'background scan', 100);
    const fresh = reportResultsOf([r], 'background scan', 200);
    assert.ok(sameResults(old, fresh));
    assert.deepEqual(keepTimestamps(fresh, old)[0]?.timestamp, { seconds: 100, nanos: 0 });
    const fixed = reportResultsOf([result('ClusterPolicy', [rule('pass')])], 'background scan', 200);
    assert.ok(!sameResults(old, fixed));
    assert.deepEqual(keepTimestamps(fixed, old)[0]?.timestamp, { seconds: 200, nanos: 0 });
  });
});
