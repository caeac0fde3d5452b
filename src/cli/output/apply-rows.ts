/** @module `palisade apply` result rows, mutated and generated resources from the policy results (pure). */
import type { KubeObject, PolicyResult, RuleResult } from '../../engine/index.js';
import type { LoadedResource } from '../../io/files/resources.js';
import { toReportResult } from '../../io/report/report-result.js';
import { cachedPolicyInfo, locateInResource } from '../run/locate-rows.js';
import type { ApplyResultRow } from './apply-report.js';
import type { GeneratedResource, MutatedResource } from './mutated-output.js';

/**
 * One row per rule result, placed in the resource's file (`loaded`). A JSON payload's rows carry no
 * policy namespace, as Kyverno's CLI reports them.
 */
export function applyRows(
  results: readonly PolicyResult[],
  resource: KubeObject,
  auditWarn: boolean,
  loaded: LoadedResource,
  payload = false,
): ApplyResultRow[] {
  const rows: ApplyResultRow[] = [];
  for (const { policy, response: er } of results) {
    for (const rule of perTarget(er.rules)) {
      const report = toReportResult(policy, er.policyKey, er.resource, er, rule, auditWarn);
      // Field by field in the order outputs list them, without the spreads of optional fields (V8's
      // slow path for a dozen fields, per rule and resource); `applyRowSource` gives the same fields.
      const row: { -readonly [K in keyof ApplyResultRow]: ApplyResultRow[K] } = {
        policy: er.policyKey,
      } as ApplyResultRow;
      if (!payload && er.policyNamespace !== undefined) row.policyNamespace = er.policyNamespace;
      row.rule = rule.name;
      row.ruleType = rule.type;
      row.resource = resource;
      row.status = report.result;
      row.message = rule.message;
      row.auditWarning = auditWarn && er.validationFailureAction === 'Audit' && rule.status === 'fail';
      row.report = report;
      row.location = locateInResource(loaded, rule.path);
      if (rule.path !== undefined) row.path = rule.path;
      row.policyInfo = cachedPolicyInfo(policy.annotations);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * The rules as Kyverno's CLI reports them: a mutate-existing rule once per target (its responses,
 * which the engine folds into one result).
 */
function perTarget(rules: readonly RuleResult[]): readonly RuleResult[] {
  if (!rules.some((r) => r.targetResults !== undefined && r.targetResults.length > 1)) return rules;
  return rules.flatMap((r) =>
    r.targetResults !== undefined && r.targetResults.length > 1
      ? r.targetResults.map((t) => ({ ...r, status: t.status, message: t.message }))
      : [r],
  );
}

/**
 * What rows keep of a resource (what outputs print of it), so that a run keeping rows does not keep
 * every resource: apiVersion, kind, name and namespace.
 */
export function resourceStub(o: KubeObject): KubeObject {
  const metadata: { name?: string; namespace?: string } = {};
  if (o.metadata?.name !== undefined) metadata.name = o.metadata.name;
  if (o.metadata?.namespace !== undefined) metadata.namespace = o.metadata.namespace;
  const stub: { apiVersion?: string; kind?: string; metadata: typeof metadata } = { metadata };
  if (o.apiVersion !== undefined) stub.apiVersion = o.apiVersion;
  if (o.kind !== undefined) stub.kind = o.kind;
  return stub as KubeObject;
}

/**
 * What passed mutate rules left: the patched resource, and each patched mutate-existing target
 * (Kyverno's CLI writes a target its response passed even when another target of the rule failed).
 */
export function mutatedResources(results: readonly PolicyResult[]): MutatedResource[] {
  const out: MutatedResource[] = [];
  for (const { response: er } of results) {
    const mutations = er.rules.filter((x) => x.type === 'Mutation');
    const passed = mutations.filter((x) => x.status === 'pass');
    if (passed.some((x) => x.patchedTargets === undefined))
      out.push({ policy: er.policyKey, resource: er.patchedResource });
    for (const rule of mutations) {
      const targets =
        rule.targetResults !== undefined
          ? rule.targetResults.flatMap((t) => (t.patched !== undefined ? [t.patched] : []))
          : rule.status === 'pass'
            ? (rule.patchedTargets ?? [])
            : [];
      for (const t of targets) out.push({ policy: er.policyKey, resource: t });
    }
  }
  return out;
}

/** The objects generate rules want for `trigger`. */
export function generatedResources(
  results: readonly PolicyResult[],
  trigger: KubeObject,
): GeneratedResource[] {
  const out: GeneratedResource[] = [];
  for (const { response: er } of results) {
    for (const rule of er.rules) {
      if (rule.type !== 'Generation') continue;
      for (const g of rule.generatedResources ?? []) out.push({ policy: er.policyKey, trigger, resource: g });
    }
  }
  return out;
}
