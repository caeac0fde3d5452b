/**
 * @module Loads everything one kyverno-test.yaml names (values, user info, policies, resources,
 * exceptions), evaluates and checks its result rows. Progress lines follow Kyverno's wording.
 */
import {
  type CompiledPolicy,
  compilePolicy,
  type KubeObject,
  type Limits,
  type Operation,
  type RequestInfo,
} from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../../io/codes.js';
import { loadExceptions, loadPolicies } from '../../io/files/policies.js';
import type { PolicyDecoder } from '../../io/files/policy-decoder.js';
import { loadResources, removeDuplicates, resourceKey } from '../../io/files/resources.js';
import { type LoadedTest, type TestResultRow, testPath } from '../../io/files/test-suite.js';
import { loadUserInfoFile } from '../../io/files/user-info.js';
import { loadValuesFile, type ValuesSpec } from '../../io/files/values.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { locate } from '../../io/yaml/source-map.js';
import {
  type CheckedRow,
  checkResults,
  type ResponsesByResource,
  type ResultCounts,
} from './check-results.js';
import { prepareCelPolicies } from './evaluate-cel-policies.js';
import { type EngineResponse, runLegacyPolicies } from './evaluate-resources.js';
import { createExpectedResourceLoader } from './expected-resources.js';
import { jsonPayloadPaths, loadJsonPayloads } from './json-payloads.js';
import { locateFailedRows } from './locate-rows.js';

export interface TestCaseRun {
  readonly progress: string[];
  readonly issues: IoDiagnostic[];
  /** Absent when loading failed. */
  readonly rows?: CheckedRow[];
  readonly counts?: ResultCounts;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function hasErrors(ds: readonly IoDiagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

function rowOperation(row: TestResultRow): Operation | undefined {
  const op = row.operation?.toUpperCase();
  return op === 'UPDATE' || op === 'DELETE' || op === 'CONNECT' ? op : undefined;
}

export function runTestCase(
  test: LoadedTest,
  rows: readonly TestResultRow[],
  decoder: PolicyDecoder,
  limits: Partial<Limits> = {},
): TestCaseRun {
  const spec = test.test!;
  const progress: string[] = [`Loading test  ( ${test.path} ) ...`];
  const issues: IoDiagnostic[] = [];
  const p = (x: string): string => testPath(test, x);

  progress.push('  Loading values/variables ...');
  let values: ValuesSpec | undefined = spec.values;
  if (values === undefined && spec.variables !== undefined) {
    const v = loadValuesFile(p(spec.variables));
    issues.push(...v.issues);
    values = v.spec;
  }
  let requestInfo: RequestInfo | undefined;
  if (spec.userinfo !== undefined) {
    progress.push('  Loading user infos ...');
    const u = loadUserInfoFile(p(spec.userinfo));
    issues.push(...u.issues);
    requestInfo = u.info;
  }
  progress.push('  Loading policies ...');
  const pol = loadPolicies(spec.policies.map(p), decoder);
  issues.push(...pol.issues);
  progress.push('  Loading resources ...');
  const res = loadResources(spec.resources.map(p));
  issues.push(...res.issues);
  const targets = loadResources((spec.targetResources ?? []).map(p));
  issues.push(...targets.issues);
  const json = loadJsonPayloads(jsonPayloadPaths(spec).map((key) => ({ key, file: p(key) })));
  issues.push(...json.issues);
  progress.push('  Loading exceptions ...');
  const exc = loadExceptions((spec.exceptions ?? []).map(p), decoder);
  issues.push(...exc.issues);

  const compiled: CompiledPolicy[] = [];
  for (const lp of pol.policies) {
    const c = compilePolicy(lp.policy);
    if (c.ok) compiled.push(c.value);
    else for (const d of c.issues) issues.push({ ...d, source: d.source ?? locate(lp.source, d.path) });
  }
  const cel = prepareCelPolicies({
    policies: pol.validatingPolicies,
    celKinds: pol,
    ...(spec.paramResources !== undefined ? { paramResources: spec.paramResources.map(p) } : {}),
    mutatingPolicies: pol.mutatingPolicies,
    mutatingAdmissionPolicies: pol.mutatingAdmissionPolicies,
    mutatingAdmissionPolicyBindings: pol.mutatingAdmissionPolicyBindings,
    exceptions: [...pol.celExceptions, ...exc.celExceptions].map((e) => e.exception),
    ...(values !== undefined ? { values } : {}),
    ...(requestInfo !== undefined ? { requestInfo } : {}),
    ...(spec.context !== undefined ? { contextFile: p(spec.context) } : {}),
    ...(spec.apiCallResponses !== undefined ? { apiCallResponses: spec.apiCallResponses } : {}),
    ...(spec.globalContextEntries !== undefined ? { globalContextEntries: spec.globalContextEntries } : {}),
    targetResources: targets.resources.map((r) => r.object),
  });
  issues.push(...cel.issues);
  for (const u of pol.unsupported) {
    issues.push(
      ioDiagnostic('policy/unsupported-kind', `${u.kind} ${u.name}: ${u.reason}`, { severity: 'warning' }),
    );
  }
  if (hasErrors(issues)) return { progress, issues };

  const { uniques, duplicates } = removeDuplicates(res.resources);
  for (const d of duplicates) {
    const m = d.object.metadata;
    progress.push(
      `  warning: found duplicated resource ${d.object.kind} ${m?.name ?? ''} ${m?.namespace ?? ''}`,
    );
  }
  const exceptions = exc.exceptions.map((e) => e.exception);
  const policyCount = pol.policies.length + cel.count + pol.unsupported.length;
  progress.push(
    `  Applying ${plural(policyCount, 'policy', 'policies')} to ${plural(uniques.length, 'resource', 'resources')} with ${plural(exceptions.length + cel.exceptionCount, 'exception', 'exceptions')} ...`,
  );
  const clusterObjects: KubeObject[] = [
    ...uniques.map((r) => r.object),
    ...targets.resources.map((r) => r.object),
  ];
  const cloneSourcePaths = [
    ...new Set(rows.flatMap((r) => (r.cloneSourceResource !== undefined ? [p(r.cloneSourceResource)] : []))),
  ];
  const cloneSources = loadResources(cloneSourcePaths);
  // Kyverno's CLI reports an unreadable clone source and carries on.
  issues.push(...cloneSources.issues.map((d) => ({ ...d, severity: 'warning' as const })));
  const ports = createOfflinePorts({
    clusterObjects,
    // Mutate-existing rules read their targets from the fake cluster.
    allowClusterReads: (spec.clusterResources?.length ?? 0) > 0 || (spec.targetResources?.length ?? 0) > 0,
    cloneSources: cloneSources.resources.map((r) => r.object),
    ...(spec.apiCallResponses !== undefined ? { apiCallResponses: spec.apiCallResponses } : {}),
    ...(spec.globalContextEntries !== undefined ? { globalContextEntries: spec.globalContextEntries } : {}),
  });
  const cache = new Map<string, ResponsesByResource>();
  const responsesFor = (row: TestResultRow): ResponsesByResource => {
    const op = rowOperation(row);
    const cacheKey = op ?? '';
    const hit = cache.get(cacheKey);
    if (hit !== undefined) return hit;
    const map = new Map<string, EngineResponse[]>();
    for (const r of uniques) {
      const legacy = runLegacyPolicies(r.object, {
        policies: compiled,
        ...(values !== undefined ? { values } : {}),
        ...(requestInfo !== undefined ? { requestInfo } : {}),
        exceptions,
        ports,
        ...(op !== undefined ? { operation: op } : {}),
        limits,
      });
      // Kyverno's CLI order: legacy mutate and validate, the CEL kinds (mutating ones first, on
      // what legacy mutate left), then legacy generate rules on the fully mutated resource.
      const celRun = cel.run(r.object, op, legacy.patched);
      map.set(resourceKey(r.object), [
        ...legacy.responses,
        ...celRun.responses,
        ...legacy.generate(celRun.patched),
      ]);
    }
    // A payload's responses are keyed by its path as written (Kyverno's CLI does the same).
    for (const payload of json.payloads) map.set(payload.key, cel.evaluateJson(payload.value));
    cache.set(cacheKey, map);
    return map;
  };
  progress.push('  Checking results ...');
  const checked = checkResults(rows, responsesFor, createExpectedResourceLoader(p));
  return { progress, issues, rows: locateFailedRows(checked.rows, uniques), counts: checked.counts };
}
