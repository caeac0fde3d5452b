/** @module `apply` rows and `test` rows as findings, the input of every report format (pure). */
import type { CheckedRow } from '../run/check-results.js';
import { type ApplyResultRow, resourceLabel } from './apply-report.js';
import { type Finding, type FindingsReport, policyInfo } from './findings.js';

export function applyFindings(rows: readonly ApplyResultRow[]): FindingsReport {
  return { command: 'apply', findings: rows.map(applyFinding) };
}

/** An `apply` row as a finding. */
export function applyFinding(r: ApplyResultRow): Finding {
  return {
    policy: r.policy,
    rule: r.rule,
    resource: resourceLabel(r.resource),
    status: r.status,
    message: r.message,
    ...(r.location !== undefined ? { location: r.location } : {}),
    ...(r.path !== undefined ? { path: r.path } : {}),
    ...(r.policyInfo !== undefined ? { policyInfo: r.policyInfo } : {}),
  };
}

export function testFindings(rows: readonly CheckedRow[]): FindingsReport {
  return {
    command: 'test',
    findings: rows.map(
      (r): Finding => ({
        policy: r.policy,
        rule: r.rule,
        resource: r.resource,
        status: r.result === 'Fail' ? 'fail' : r.skipped ? 'skip' : 'pass',
        message: r.message,
        expected: r.expected,
        reason: r.reason,
        ...(r.location !== undefined ? { location: r.location } : {}),
        ...(r.path !== undefined ? { path: r.path } : {}),
        policyInfo: policyInfo(r.policyAnnotations),
      }),
    ),
  };
}
