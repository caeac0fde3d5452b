/** @module What `palisade apply` reads (policies, resources, payloads, exceptions, values, user info) and the compiled set. */

import type { RequestInfo } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../../io/codes.js';
import { specReadsFakeCluster } from '../../io/fake-cluster-api.js';
import { loadJsonPayloads } from '../../io/files/json-payloads.js';
import { loadExceptions, loadPolicies } from '../../io/files/policies.js';
import { getPolicyDecoder } from '../../io/files/policy-decoder.js';
import { type ChunkSplit, loadResources, streamResourceUnits } from '../../io/files/resources.js';
import { loadUserInfoFile } from '../../io/files/user-info.js';
import { loadValuesFile, parseSetPairs, type ValuesSpec } from '../../io/files/values.js';
import { applyEmptyInputRule } from '../../io/flags/limits-flags.js';
import { compileOfflineSet } from '../../io/offline-policy-set.js';
import type { OfflineInputs } from '../../io/requests/offline-request.js';
import { crdPathProblem, typeSchemasFor } from '../../io/type-schemas.js';
import type { CommandContext } from '../command.js';
import type { ApplyArgs } from './apply-args.js';

/**
 * Everything `apply` reads, and the problems found reading it. Resources are not read here: `resources`
 * streams them (each decoded when asked for), and `issues(resourceIssues)` gives every problem in
 * the order of the inputs once the stream's own problems are known.
 */
export async function loadApplyInputs(a: ApplyArgs, ctx: CommandContext) {
  const issues: IoDiagnostic[] = [];
  const take = <T extends { issues: readonly IoDiagnostic[] }>(r: T): T => {
    issues.push(...r.issues);
    return r;
  };
  const decoder = await getPolicyDecoder();
  const paths = { exclude: a.exclude };
  const policies = take(loadPolicies(a.policyPaths, decoder, ctx.stdin, paths));
  // The resources' problems come here, after the policies'.
  const resourceIssuesAt = issues.length;
  const resources = (split?: ChunkSplit) => streamResourceUnits(a.resourcePaths, ctx.stdin, paths, split);
  const json = take(
    loadJsonPayloads(
      a.jsonPaths.map((key) => ({ key, file: key })),
      ctx.stdin,
    ),
  );
  const exceptions = take(loadExceptions(a.exceptionPaths, decoder, ctx.stdin));
  const targets = take(loadResources(a.targetPaths, ctx.stdin));
  const values: ValuesSpec | undefined =
    a.valuesFile !== undefined ? take(loadValuesFile(a.valuesFile)).spec : undefined;
  const set = take(parseSetPairs(a.set));
  const requestInfo: RequestInfo | undefined =
    a.userInfoFile !== undefined ? take(loadUserInfoFile(a.userInfoFile)).info : undefined;
  for (const p of a.crdPaths) {
    const problem = crdPathProblem(p);
    if (problem !== undefined) issues.push(ioDiagnostic(problem.code, problem.message, { file: p }));
  }
  const typeSchemas = await typeSchemasFor(policies, a.crdPaths);
  const offline = compileOfflineSet({
    policies,
    ...(typeSchemas !== undefined ? { typeSchemas } : {}),
    exceptions: exceptions.exceptions,
    celExceptions: exceptions.celExceptions,
    exceptionsWithinPolicies: a.exceptionsWithinPolicies,
    paramResources: a.paramResources,
    targetResources: targets.resources.map((r) => r.object),
    ...(a.contextFile !== undefined ? { contextFile: a.contextFile } : {}),
  });
  issues.push(...offline.issues);
  for (const u of policies.unsupported)
    issues.push(
      ioDiagnostic('policy/unsupported-kind', `${u.kind} ${u.name}: ${u.reason}`, { severity: 'warning' }),
    );
  const inputs: OfflineInputs = {
    ...(values !== undefined ? { values } : {}),
    setValues: set.values,
    ...(requestInfo !== undefined ? { requestInfo } : {}),
    targets: targets.resources.map((r) => r.object),
  };
  // Kyverno's count: the exceptions given, plus those among the policies when they are bound.
  const exceptionCount =
    exceptions.exceptions.length +
    exceptions.celExceptions.length +
    (a.exceptionsWithinPolicies ? policies.exceptions.length + policies.celExceptions.length : 0);
  /** All problems, the resources' (`fromResources`) in their place. */
  const allIssues = (fromResources: readonly IoDiagnostic[]): IoDiagnostic[] => {
    const all = [...issues.slice(0, resourceIssuesAt), ...fromResources, ...issues.slice(resourceIssuesAt)];
    applyEmptyInputRule(all, { 'allow-empty': a.allowEmpty });
    return all;
  };
  // Kyverno's apply serves the resources from a fake cluster: these rules read it.
  const readsCluster = policies.policies.some((p) => specReadsFakeCluster(p.policy.spec));
  return { issues: allIssues, resources, json, exceptionCount, offline, inputs, readsCluster };
}
