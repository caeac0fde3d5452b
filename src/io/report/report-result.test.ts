import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyRef } from '../../engine/index.js';
import { buildPolicyReports, computeReportStatus, toReportResult } from './report-result.js';

function policy(annotations: Record<string, string> = {}): PolicyRef {
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p', annotations };
}

describe('computeReportStatus (cmd/cli report.ComputePolicyReportResult)', () => {
  const cases = [
    { name: 'fail stays fail', ann: {}, action: 'Enforce', status: 'fail', auditWarn: false, want: 'fail' },
    {
      name: 'scored: "false" turns fail into warn',
      ann: { 'policies.kyverno.io/scored': 'false' },
      action: 'Enforce',
      status: 'fail',
      auditWarn: false,
      want: 'warn',
    },
    {
      name: '--audit-warn turns Audit fails into warn',
      ann: {},
      action: 'Audit',
      status: 'fail',
      auditWarn: true,
      want: 'warn',
    },
    {
      name: '--audit-warn leaves Enforce fails alone',
      ann: {},
      action: 'Enforce',
      status: 'fail',
      auditWarn: true,
      want: 'fail',
    },
    {
      name: 'other statuses pass through',
      ann: { 'policies.kyverno.io/scored': 'false' },
      action: 'Audit',
      status: 'skip',
      auditWarn: true,
      want: 'skip',
    },
  ] as const;
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(
        computeReportStatus(
          policy(c.ann),
          { validationFailureAction: c.action },
          { status: c.status },
          c.auditWarn,
        ),
        c.want,
      );
    });
  }
});

test('policy reports: a merged ClusterPolicyReport with a summary, PolicyReports per namespace', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'ns' } };
  const p = policy({
    'policies.kyverno.io/category': 'Best Practices',
    'policies.kyverno.io/severity': 'medium',
  });
  const r = toReportResult(
    p,
    'p',
    pod,
    { validationFailureAction: 'Audit' },
    { name: 'r', type: 'Validation', status: 'fail', message: 'm' },
  );
  assert.equal(r.category, 'Best Practices');
  assert.deepEqual(r.resources, [{ apiVersion: 'v1', kind: 'Pod', name: 'x', namespace: 'ns' }]);
  const reports = buildPolicyReports([
    { result: r },
    { namespace: 'team', result: { ...r, result: 'pass' } },
  ]);
  assert.equal(reports[0]?.kind, 'ClusterPolicyReport');
  assert.deepEqual(reports[0]?.summary, { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
  assert.deepEqual(reports[1]?.metadata, { name: 'merged', namespace: 'team' });
});
