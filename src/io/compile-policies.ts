/**
 * @module Decoded policies → one compiled set, the step every long-running policy source shares (the
 * watched folder, the cluster), so that the same documents give the same set whichever way they came.
 * Problems come back as diagnostics; what to do about them is the source's decision.
 */
import { compilePolicySet, type ExceptionAdmissionGate, type PolicySet } from '../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from './codes.js';
import type { LoadedPolicies } from './files/policies.js';
import { policyDocuments } from './policy-documents.js';
import { attachSource } from './yaml/source-map.js';

export interface CompiledPolicies {
  readonly set: PolicySet;
  /** Policy documents compiled (exceptions and bindings not counted). */
  readonly policyCount: number;
  /** Decoding problems, unsupported kinds (warnings) and compile problems, each located in its document. */
  readonly issues: readonly IoDiagnostic[];
}

/**
 * Compiles every decoded policy, binding the exceptions and bindings among them; with `admission`,
 * only the PolicyExceptions Kyverno's admission controller would honour (its
 * `--enablePolicyException` / `--exceptionNamespace`). Never throws.
 */
export function compileLoadedPolicies(
  loaded: LoadedPolicies,
  admission?: ExceptionAdmissionGate,
): CompiledPolicies {
  const issues: IoDiagnostic[] = [...loaded.issues];
  for (const u of loaded.unsupported)
    issues.push(
      ioDiagnostic('policy/unsupported-kind', `${u.kind} ${u.name}: ${u.reason}`, { severity: 'warning' }),
    );
  const compiled = compilePolicySet(policyDocuments(loaded), admission !== undefined ? { admission } : {});
  for (const d of compiled.diagnostics) issues.push(attachSource(d.diagnostic, d.source));
  return { set: compiled.set, policyCount: compiled.set.policies.length, issues };
}
