/**
 * @module The policy objects of a cluster as one compiled set, through the same decoding and
 * compilation as a policy folder (compileLoadedPolicies). Unlike a folder, a cluster's set is never
 * all-or-nothing: each object is owned by someone else, so one that fails to decode or compile is
 * left out of the set and reported on its own, and the others are served.
 */
import type { ExceptionAdmissionGate, PolicySet } from '../../engine/index.js';
import type { IoDiagnostic } from '../codes.js';
import { compileLoadedPolicies } from '../compile-policies.js';
import { decodePolicyDocuments } from '../files/policies.js';
import type { PolicyDecoder } from '../files/policy-decoder.js';
import type { KubeObject } from './list-watch-client.js';
import type { ObjectDocuments } from './object-documents.js';

export interface ClusterPolicyLoad {
  readonly set: PolicySet;
  readonly policyCount: number;
  /** Objects listed (policies, exceptions and bindings). */
  readonly objectCount: number;
  /** Objects left out, by `Kind/[namespace/]name`, with their errors. */
  readonly rejected: ReadonlyMap<string, readonly IoDiagnostic[]>;
  /** Warnings of the objects that were kept. */
  readonly warnings: readonly IoDiagnostic[];
}

/**
 * A filter over successive loads that answers the rejections each load has and the one before did
 * not (by object and messages), so that a policy's problem is logged when it appears, not at every
 * reload of the set.
 */
export function newRejections(): (
  load: Pick<ClusterPolicyLoad, 'rejected'>,
) => [string, readonly IoDiagnostic[]][] {
  let reported = new Set<string>();
  return (load) => {
    const now = new Set<string>();
    const fresh: [string, readonly IoDiagnostic[]][] = [];
    for (const [policy, issues] of load.rejected) {
      const key = `${policy}\n${issues.map((d) => d.message).join('\n')}`;
      now.add(key);
      if (!reported.has(key)) fresh.push([policy, issues]);
    }
    reported = now;
    return fresh;
  };
}

export function compileClusterPolicies(
  objects: readonly KubeObject[],
  documents: ObjectDocuments,
  decoder: PolicyDecoder,
  exceptionGate?: ExceptionAdmissionGate,
): ClusterPolicyLoad {
  const loaded = decodePolicyDocuments(documents.documents(objects), decoder);
  const compiled = compileLoadedPolicies(loaded, exceptionGate);
  const rejected = new Map<string, IoDiagnostic[]>();
  const warnings: IoDiagnostic[] = [];
  for (const d of compiled.issues) {
    if (d.severity !== 'error') {
      warnings.push(d);
      continue;
    }
    const ref = d.source?.file ?? '(cluster)';
    const list = rejected.get(ref);
    if (list === undefined) rejected.set(ref, [d]);
    else list.push(d);
  }
  // A warning of an object that was rejected anyway belongs with its errors.
  const kept = warnings.filter((w) => {
    const list = rejected.get(w.source?.file ?? '');
    if (list === undefined) return true;
    list.push(w);
    return false;
  });
  return {
    set: compiled.set,
    policyCount: compiled.policyCount,
    objectCount: objects.length,
    rejected,
    warnings: kept,
  };
}
