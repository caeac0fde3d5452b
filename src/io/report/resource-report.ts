/**
 * @module The in-cluster policy report of one resource (reference §9.3): Kyverno's reports controller
 * keeps one PolicyReport per resource (ClusterPolicyReport for a cluster-scoped one), named by the
 * resource's UID, owner-referenced to it, `scope` naming it, labelled managed-by kyverno, with the
 * results of every policy that evaluated it and their summary. Results are the CLI's (report-result.ts)
 * with what the reports controller adds (results.go ToPolicyReportResult): the source of each policy
 * kind, the `process` property, exceptions, failed Pod Security controls, message overrides from
 * reportProperties, a timestamp, and no per-result resources (the scope names it).
 */
import type { KubeObject, PolicyResult, RuleResult } from '../../engine/index.js';
import { type PolicyReportResult, type ReportSummary, summarize, toReportResult } from './report-result.js';

/** Which report API is written: Kyverno's default, or `--openreportsEnabled`. */
export type ReportApi = 'wgpolicyk8s' | 'openreports';

export const REPORT_KINDS: Readonly<
  Record<ReportApi, { apiVersion: string; namespaced: string; cluster: string }>
> = {
  wgpolicyk8s: {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    namespaced: 'PolicyReport',
    cluster: 'ClusterPolicyReport',
  },
  openreports: { apiVersion: 'openreports.io/v1alpha1', namespaced: 'Report', cluster: 'ClusterReport' },
};

export const MANAGED_BY_KYVERNO = { 'app.kubernetes.io/managed-by': 'kyverno' } as const;
/** A resource labelled so is never reported on (any value). */
export const REPORTS_DISABLED_LABEL = 'reports.kyverno.io/disabled';

export interface ResourceReportResult extends Omit<PolicyReportResult, 'source' | 'resources'> {
  readonly source: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
}

/** The report `source` of each policy kind (reference source.go). */
const SOURCES: Readonly<Record<string, string>> = {
  ValidatingPolicy: 'KyvernoValidatingPolicy',
  NamespacedValidatingPolicy: 'KyvernoValidatingPolicy',
  ImageValidatingPolicy: 'KyvernoImageValidatingPolicy',
  NamespacedImageValidatingPolicy: 'KyvernoImageValidatingPolicy',
  MutatingPolicy: 'KyvernoMutatingPolicy',
  NamespacedMutatingPolicy: 'KyvernoMutatingPolicy',
  GeneratingPolicy: 'KyvernoGeneratingPolicy',
  NamespacedGeneratingPolicy: 'KyvernoGeneratingPolicy',
  ValidatingAdmissionPolicy: 'ValidatingAdmissionPolicy',
  MutatingAdmissionPolicy: 'MutatingAdmissionPolicy',
};

export const sourceOf = (policyKind: string): string => SOURCES[policyKind] ?? 'kyverno';

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);

const MESSAGE_OVERRIDES: Readonly<Record<string, string>> = {
  pass: 'passMessage',
  fail: 'failMessage',
  warn: 'warnMessage',
  error: 'errorMessage',
  skip: 'skipMessage',
};

/** Where the result comes from: a background scan, or admission (policies with background off). */
export type ReportProcess = 'background scan' | 'admission review';

/** One rule of one policy's response as a report result. */
export function resourceReportResult(
  result: Pick<PolicyResult, 'policy' | 'response'>,
  rule: RuleResult,
  process: ReportProcess,
  nowSeconds: number,
): ResourceReportResult {
  const {
    resources: _resources,
    source: _source,
    ...base
  } = toReportResult(
    result.policy,
    result.response.policyKey,
    result.response.resource,
    result.response,
    rule,
  );
  const properties: Record<string, string> = { ...(base.properties ?? {}) };
  let message = base.message;
  const override = properties[MESSAGE_OVERRIDES[base.result] ?? ''] || properties.message;
  if (override !== undefined && override !== '') message = override;
  properties.process = process;
  if (rule.exceptions !== undefined && rule.exceptions.length > 0)
    properties.exceptions = rule.exceptions.join(',');
  const failed = (rule.podSecurityChecks ?? []).filter((c) => !c.allowed).map((c) => c.id);
  if (failed.length > 0) properties.controls = failed.join(',');
  const { severity, ...rest } = base;
  return {
    ...rest,
    ...(severity !== undefined && SEVERITIES.has(severity) ? { severity } : {}),
    message,
    source: sourceOf(result.policy.kind),
    properties,
    timestamp: { seconds: nowSeconds, nanos: 0 },
  };
}

/** Every rule result of a scan's (or an admission's) policy results, skipping rules that did not apply. */
export function reportResultsOf(
  results: readonly Pick<PolicyResult, 'policy' | 'response'>[],
  process: ReportProcess,
  nowSeconds: number,
): ResourceReportResult[] {
  return results.flatMap((r) =>
    r.response.rules.map((rule) => resourceReportResult(r, rule, process, nowSeconds)),
  );
}

/** Kyverno's order: policy, rule, source. */
export function sortResults<T extends Pick<ResourceReportResult, 'policy' | 'rule' | 'source'>>(
  results: readonly T[],
): T[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...results].sort(
    (a, b) => cmp(a.policy, b.policy) || cmp(a.rule, b.rule) || cmp(a.source, b.source),
  );
}

/** The identity of a resource a report is about. */
export interface ReportedResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uid: string;
}

export function reportedResource(object: KubeObject): ReportedResource | undefined {
  const m = object.metadata;
  const uid = typeof m?.uid === 'string' ? m.uid : '';
  const name = typeof m?.name === 'string' ? m.name : '';
  if (uid === '' || name === '' || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string')
    return undefined;
  const namespace = typeof m?.namespace === 'string' && m.namespace !== '' ? m.namespace : undefined;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    uid,
  };
}

/** The kind and apiVersion of the report of `resource`. */
export function reportKindOf(api: ReportApi, resource: Pick<ReportedResource, 'namespace'>) {
  const k = REPORT_KINDS[api];
  return { apiVersion: k.apiVersion, kind: resource.namespace !== undefined ? k.namespaced : k.cluster };
}

/** The whole report object of `resource` with `results` (sorted here), ready to create or replace. */
export function buildResourceReport(
  api: ReportApi,
  resource: ReportedResource,
  results: readonly ResourceReportResult[],
): KubeObject & { results: ResourceReportResult[]; summary: ReportSummary } {
  const sorted = sortResults(results);
  const scope = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.name,
    ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
    uid: resource.uid,
  };
  return {
    ...reportKindOf(api, resource),
    metadata: {
      name: resource.uid,
      ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
      labels: { ...MANAGED_BY_KYVERNO },
      ownerReferences: [
        { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name, uid: resource.uid },
      ],
    },
    scope,
    results: sorted,
    summary: summarize(sorted),
  };
}

/** Results compared without their timestamps: an unchanged scan does not rewrite the report. */
export function sameResults(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  const strip = (r: unknown): string => {
    const { timestamp: _t, ...rest } = (r ?? {}) as Record<string, unknown>;
    return stableJson(rest);
  };
  return a.every((r, i) => strip(r) === strip(b[i]));
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The results to store: each new result keeps the timestamp of the stored one it equals (so a rescan
 * that finds nothing new leaves the report byte-for-byte unchanged and is not written).
 */
export function keepTimestamps(
  fresh: readonly ResourceReportResult[],
  stored: readonly unknown[],
): ResourceReportResult[] {
  const byKey = new Map<string, unknown>();
  for (const s of stored) {
    const r = (s ?? {}) as Partial<ResourceReportResult>;
    byKey.set(`${r.source}\n${r.policy}\n${r.rule}`, s);
  }
  return fresh.map((f) => {
    const old = byKey.get(`${f.source}\n${f.policy}\n${f.rule}`) as ResourceReportResult | undefined;
    return old !== undefined && old.timestamp !== undefined && sameResults([old], [f])
      ? { ...f, timestamp: old.timestamp }
      : f;
  });
}
