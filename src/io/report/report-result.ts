/**
 * @module The policy-report result of one rule, computed as Kyverno's CLI does (report/report.go):
 * fail becomes warn for `policies.kyverno.io/scored: "false"` policies, or for Audit policies with
 * `--audit-warn`.
 */
import type { KubeObject, PolicyRef, PolicyResponse, RuleResult, RuleStatus } from '../../engine/index.js';

/** What reports read of a policy: its annotations. */
export type ReportedPolicy = Pick<PolicyRef, 'annotations'>;

export type ReportStatus = RuleStatus;

export function isScored(policy: ReportedPolicy): boolean {
  return policy.annotations?.['policies.kyverno.io/scored'] !== 'false';
}

export function computeReportStatus(
  policy: ReportedPolicy,
  response: Pick<PolicyResponse, 'validationFailureAction'>,
  rule: Pick<RuleResult, 'status'>,
  auditWarn = false,
): ReportStatus {
  if (rule.status !== 'fail') return rule.status;
  if (!isScored(policy) || (auditWarn && response.validationFailureAction === 'Audit')) return 'warn';
  return 'fail';
}

export interface PolicyReportResult {
  readonly policy: string;
  readonly rule: string;
  readonly result: ReportStatus;
  readonly message: string;
  readonly scored: boolean;
  readonly source: 'kyverno';
  readonly category?: string;
  readonly severity?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly resources: readonly {
    apiVersion: string;
    kind: string;
    name: string;
    namespace?: string;
    uid?: string;
  }[];
}

export function toReportResult(
  policy: ReportedPolicy,
  policyKey: string,
  resource: KubeObject,
  response: Pick<PolicyResponse, 'validationFailureAction'>,
  rule: RuleResult,
  auditWarn = false,
): PolicyReportResult {
  const ann = policy.annotations ?? {};
  const ref: { apiVersion: string; kind: string; name: string; namespace?: string; uid?: string } = {
    apiVersion: resource.apiVersion ?? '',
    kind: resource.kind ?? '',
    name: resource.metadata?.name ?? '',
  };
  if (resource.metadata?.namespace !== undefined && resource.metadata.namespace !== '')
    ref.namespace = resource.metadata.namespace;
  if (typeof resource.metadata?.uid === 'string') ref.uid = resource.metadata.uid;
  return {
    policy: policyKey,
    rule: rule.name,
    result: computeReportStatus(policy, response, rule, auditWarn),
    message: rule.message,
    scored: isScored(policy),
    source: 'kyverno',
    ...(ann['policies.kyverno.io/category'] !== undefined
      ? { category: ann['policies.kyverno.io/category'] }
      : {}),
    ...(ann['policies.kyverno.io/severity'] !== undefined
      ? { severity: ann['policies.kyverno.io/severity'] }
      : {}),
    ...(rule.properties !== undefined ? { properties: rule.properties } : {}),
    resources: [ref],
  };
}

export interface ReportSummary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

export function summarize(results: readonly { result: ReportStatus }[]): ReportSummary {
  const s: ReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

/** wgpolicyk8s.io/v1alpha2 reports: one merged ClusterPolicyReport plus a PolicyReport per namespaced policy. */
export function buildPolicyReports(
  results: readonly { namespace?: string; result: PolicyReportResult }[],
): Record<string, unknown>[] {
  const cluster = results.filter((r) => r.namespace === undefined).map((r) => r.result);
  const byNs = new Map<string, PolicyReportResult[]>();
  for (const r of results) {
    if (r.namespace === undefined) continue;
    byNs.set(r.namespace, [...(byNs.get(r.namespace) ?? []), r.result]);
  }
  const out: Record<string, unknown>[] = [
    {
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'ClusterPolicyReport',
      metadata: { name: 'merged' },
      results: cluster,
      summary: summarize(cluster),
    },
  ];
  for (const [ns, rs] of [...byNs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: { name: `merged`, namespace: ns },
      results: rs,
      summary: summarize(rs),
    });
  }
  return out;
}
