/** @module Loaded policy files as the engine's policy documents, in compile order. */
import type { PolicyDocument } from '../engine/index.js';
import type { LoadedPolicies } from './files/policies.js';
import type { LoadedDocument } from './yaml/load-documents.js';

type Head = PolicyDocument<unknown>['document'];

/**
 * Policies of every kind, then the bindings and CEL PolicyExceptions found among them. kyverno.io
 * PolicyExceptions among policy files are left out, as Kyverno's CLI does; callers add them.
 */
export function policyDocuments(p: LoadedPolicies): PolicyDocument<LoadedDocument>[] {
  const docs = (list: readonly { policy: Head; source: LoadedDocument }[]) =>
    list.map((x) => ({ document: x.policy, source: x.source }));
  return [
    ...docs(p.policies),
    ...docs(p.validatingPolicies),
    ...docs(p.mutatingPolicies),
    ...docs(p.mutatingAdmissionPolicies),
    ...docs(p.generatingPolicies),
    ...docs(p.deletingPolicies),
    ...docs(p.imageValidatingPolicies),
    ...docs(p.admissionPolicies),
    ...docs(p.admissionPolicyBindings),
    ...docs(p.mutatingAdmissionPolicyBindings),
    ...p.celExceptions.map((x) => ({ document: x.exception as Head, source: x.source })),
  ];
}
