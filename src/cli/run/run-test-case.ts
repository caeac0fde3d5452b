/**
 * @module Loads everything one kyverno-test.yaml names (values, user info, policies, resources,
 * exceptions), evaluates the resources once per row operation and checks the result rows. Progress
 * lines follow Kyverno's wording.
 */
import {
  admit,
  evaluateAuthzPayload,
  evaluatePayload,
  type KubeObject,
  type Limits,
  type Operation,
  type PolicyResult,
  type RequestInfo,
} from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../../io/codes.js';
import { crdResourceKinds, loadClusterResources } from '../../io/files/cluster-resources.js';
import { jsonPayloadPaths, loadJsonPayloads } from '../../io/files/json-payloads.js';
import { type LoadedPolicies, loadExceptions, loadPolicies } from '../../io/files/policies.js';
import type { PolicyDecoder } from '../../io/files/policy-decoder.js';
import { loadResources, removeDuplicates, resourceKey } from '../../io/files/resources.js';
import { type LoadedTest, type TestResultRow, testPath } from '../../io/files/test-suite.js';
import { loadUserInfoFile } from '../../io/files/user-info.js';
import { loadValuesFile, type ValuesSpec } from '../../io/files/values.js';
import { compileOfflineSet } from '../../io/offline-policy-set.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { generateFailures } from '../../io/report/generate-failures.js';
import {
  missingClusterNamespace,
  type OfflineInputs,
  offlineRequest,
  rowOperation,
} from '../../io/requests/offline-request.js';
import { typeSchemasFor } from '../../io/type-schemas.js';
import { locate } from '../../io/yaml/source-map.js';
import {
  type CheckedRow,
  checkResults,
  type ResponsesByResource,
  type ResultCounts,
} from './check-results.js';
import { createExpectedResourceLoader } from './expected-resources.js';
import { locateFailedRows } from './locate-rows.js';
import { type LoadedNames, unmatchedRows } from './unmatched-rows.js';

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

export async function runTestCase(
  test: LoadedTest,
  rows: readonly TestResultRow[],
  decoder: PolicyDecoder,
  limits: Partial<Limits> = {},
  /** Rows that name nothing are errors (`--strict`), not warnings. */
  strict = false,
): Promise<TestCaseRun> {
  const spec = test.test!;
  const progress: string[] = [`Loading test  ( ${test.path} ) ...`];
  const issues: IoDiagnostic[] = [];
  const p = (x: string): string => testPath(test, x);
  const take = <T extends { issues: readonly IoDiagnostic[] }>(r: T): T => {
    issues.push(...r.issues);
    return r;
  };

  progress.push('  Loading values/variables ...');
  let values: ValuesSpec | undefined = spec.values;
  if (values === undefined && spec.variables !== undefined)
    values = take(loadValuesFile(p(spec.variables))).spec;
  let requestInfo: RequestInfo | undefined;
  if (spec.userinfo !== undefined) {
    progress.push('  Loading user infos ...');
    requestInfo = take(loadUserInfoFile(p(spec.userinfo))).info;
  }
  progress.push('  Loading policies ...');
  const pol = take(loadPolicies(spec.policies.map(p), decoder));
  progress.push('  Loading resources ...');
  const res = take(loadResources(spec.resources.map(p)));
  const targets = take(loadResources((spec.targetResources ?? []).map(p)));
  const clusterFiles = take(loadClusterResources((spec.clusterResources ?? []).map(p), p));
  const json = take(loadJsonPayloads(jsonPayloadPaths(spec).map((key) => ({ key, file: p(key) }))));
  // Authorization requests for Envoy- and HTTP-mode ValidatingPolicies (one CheckRequest per file).
  const authz = (['Envoy', 'HTTP'] as const).map((mode) => ({
    mode,
    payloads: take(
      loadJsonPayloads(
        ((mode === 'Envoy' ? spec.envoyPayloads : spec.httpPayloads) ?? []).map((key) => ({
          key,
          file: p(key),
        })),
      ),
    ).payloads,
  }));
  progress.push('  Loading exceptions ...');
  const exc = take(loadExceptions((spec.exceptions ?? []).map(p), decoder));

  const typeSchemas = await typeSchemasFor(pol, clusterFiles.crdPaths);
  const offline = compileOfflineSet({
    policies: pol,
    ...(typeSchemas !== undefined ? { typeSchemas } : {}),
    exceptions: exc.exceptions,
    celExceptions: exc.celExceptions,
    ...(spec.paramResources !== undefined ? { paramResources: spec.paramResources.map(p) } : {}),
    ...(spec.context !== undefined ? { contextFile: p(spec.context) } : {}),
    ...(spec.apiCallResponses !== undefined ? { apiCallResponses: spec.apiCallResponses } : {}),
    ...(spec.globalContextEntries !== undefined ? { globalContextEntries: spec.globalContextEntries } : {}),
    targetResources: targets.resources.map((r) => r.object),
  });
  issues.push(...offline.issues);
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
    // Also a diagnostic, so every output format (JSON, JUnit, SARIF, GitHub) says a document was left out.
    issues.push({
      ...ioDiagnostic(
        'resource/duplicate',
        `${d.object.kind} ${m?.namespace !== undefined && m.namespace !== '' ? `${m.namespace}/` : ''}${m?.name ?? ''} is defined more than once; only its first definition is tested, as in Kyverno's CLI`,
        { severity: 'warning' },
      ),
      source: locate(d.source, []),
    });
  }
  // Kyverno's test command binds (and counts) only the test's `exceptions`, never those among the policies.
  const exceptionCount = exc.exceptions.length + exc.celExceptions.length;
  const policyCount = pol.policies.length + offline.celCount + pol.unsupported.length;
  progress.push(
    `  Applying ${plural(policyCount, 'policy', 'policies')} to ${plural(uniques.length, 'resource', 'resources')} with ${plural(exceptionCount, 'exception', 'exceptions')} ...`,
  );
  // Kyverno's fake cluster: the test's resources and targets, then its ClusterResource objects and CRDs.
  const clusterObjects: KubeObject[] = [
    ...uniques.map((r) => r.object),
    ...targets.resources.map((r) => r.object),
    ...clusterFiles.objects,
    ...clusterFiles.crds,
  ];
  const cloneSourcePaths = [
    ...new Set(rows.flatMap((r) => (r.cloneSourceResource !== undefined ? [p(r.cloneSourceResource)] : []))),
  ];
  const cloneSources = loadResources(cloneSourcePaths);
  // Kyverno's CLI reports an unreadable clone source and carries on.
  issues.push(...cloneSources.issues.map((d) => ({ ...d, severity: 'warning' as const })));
  const runtime = {
    ports: createOfflinePorts({
      clusterObjects,
      // Mutate-existing rules read their targets from the fake cluster.
      allowClusterReads: (spec.clusterResources?.length ?? 0) > 0 || (spec.targetResources?.length ?? 0) > 0,
      resourceKinds: crdResourceKinds(clusterFiles.crds),
      cloneSources: cloneSources.resources.map((r) => r.object),
      ...(spec.apiCallResponses !== undefined ? { apiCallResponses: spec.apiCallResponses } : {}),
      // Kyverno's test allows API calls (to its fake cluster) only with cluster resources.
      apiCallsFromCluster: (spec.clusterResources?.length ?? 0) > 0,
      ...(spec.globalContextEntries !== undefined ? { globalContextEntries: spec.globalContextEntries } : {}),
    }),
    limits,
  };
  // With cluster resources Kyverno's CLI gives the CEL kinds its fake cluster, not the Context file's.
  const clusterMode = (spec.clusterResources?.length ?? 0) > 0;
  const celPorts =
    clusterMode && runtime.ports.cluster !== undefined
      ? { ...offline.celPorts, cluster: runtime.ports.cluster }
      : offline.celPorts;
  const inputs: OfflineInputs = {
    ...(values !== undefined ? { values } : {}),
    ...(requestInfo !== undefined ? { requestInfo } : {}),
    targets: targets.resources.map((r) => r.object),
    ...(clusterMode ? { clusterNamespaces: namespacesIn(clusterObjects) } : {}),
  };
  for (const r of uniques) {
    const missing = missingClusterNamespace(r.object, inputs);
    if (missing !== undefined)
      return { progress, issues: [...issues, ioDiagnostic('test/invalid', missing)] };
  }
  // Each row operation is its own run over every resource (Kyverno's CLI re-runs per operation).
  const byOperation = new Map<string, ResponsesByResource>();
  const failedGenerations = new Map<string, IoDiagnostic>();
  for (const op of new Set(rows.map((r) => rowOperation(r.operation)))) {
    const map = new Map<string, PolicyResult[]>();
    for (const r of uniques) {
      const request = offlineRequest(r.object, inputs, op as Operation | undefined);
      const responses = [
        ...(await admit(offline.set, request, runtime, { profile: 'cli', celPorts })).responses,
      ];
      map.set(resourceKey(r.object), responses);
      // Said once, though each operation runs the rule again.
      for (const d of generateFailures(responses, r)) {
        if (!failedGenerations.has(d.message)) failedGenerations.set(d.message, d);
      }
    }
    // A payload's responses are keyed by its path as written (Kyverno's CLI does the same).
    for (const payload of json.payloads) {
      map.set(
        payload.key,
        evaluatePayload(offline.set, offlineRequest(payload.value, inputs), runtime, {
          celPorts,
        }),
      );
    }
    for (const { mode, payloads } of authz) {
      for (const payload of payloads)
        map.set(payload.key, evaluateAuthzPayload(offline.set, mode, payload.value, runtime, { celPorts }));
    }
    byOperation.set(op ?? '', map);
  }
  const names: LoadedNames = {
    policies: loadedPolicyNames(pol),
    resourceKeys: [
      ...uniques.map((r) => resourceKey(r.object)),
      ...targets.resources.map((r) => resourceKey(r.object)),
      ...json.payloads.map((x) => x.key),
    ],
  };
  const resultIndex = new Map((spec.results ?? []).map((r, i) => [r, i]));
  for (const u of unmatchedRows(rows, names)) {
    const at = test.locate?.([
      'results',
      resultIndex.get(u.row) ?? 0,
      u.field,
      ...(u.entry !== undefined ? [u.entry] : []),
    ]);
    issues.push(
      ioDiagnostic('test/unmatched-row', u.message, {
        severity: strict ? 'error' : 'warning',
        file: test.path,
        ...(at !== undefined ? { line: at.line, column: at.column } : {}),
      }),
    );
  }
  issues.push(...failedGenerations.values());
  progress.push('  Checking results ...');
  const responsesFor = (row: TestResultRow) =>
    byOperation.get(rowOperation(row.operation) ?? '') ?? new Map();
  const checked = checkResults(rows, responsesFor, createExpectedResourceLoader(p));
  return {
    progress,
    issues,
    rows: locateFailedRows(checked.rows, uniques, json.payloads),
    counts: checked.counts,
  };
}

/** Every policy the test loaded, by name, with the rule names of the kinds that have rules. */
function loadedPolicyNames(pol: LoadedPolicies): LoadedNames['policies'] {
  const names = new Map<string, { kind: string; rules?: readonly string[] }>();
  for (const { policy } of pol.policies)
    names.set(policy.metadata.name, {
      kind: policy.kind,
      rules: (policy.spec.rules ?? []).map((r) => r.name),
    });
  const ruleless = [
    ...pol.validatingPolicies,
    ...pol.generatingPolicies,
    ...pol.deletingPolicies,
    ...pol.imageValidatingPolicies,
    ...pol.admissionPolicies,
    ...pol.mutatingPolicies,
    ...pol.mutatingAdmissionPolicies,
  ];
  for (const { policy } of ruleless) {
    const { kind, metadata } = policy as { kind: string; metadata?: { name?: string } };
    if (metadata?.name !== undefined && !names.has(metadata.name)) names.set(metadata.name, { kind });
  }
  for (const u of pol.unsupported) if (!names.has(u.name)) names.set(u.name, { kind: u.kind });
  return names;
}

/** The cluster's Namespaces by name. */
function namespacesIn(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects)
    if (o.kind === 'Namespace' && o.metadata?.name !== undefined) out.set(o.metadata.name, o);
  return out;
}
