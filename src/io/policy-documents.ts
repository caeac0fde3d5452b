/** @module Loaded policy files as the engine's policy documents, in compile order. */
import type { PolicyDocument } from '../engine/index.js';
import type { LoadedPolicies } from './files/policy-documents-decode.js';
import type { LoadedDocument } from './yaml/load-documents.js';

type Head = PolicyDocument<unknown>['document'];

/**
 * Policies of every kind, then the bindings and the PolicyExceptions (both API groups) found among
 * them. Whether those exceptions are bound is `compilePolicySet`'s `exceptions` option: the CLI
 * ignores them as Kyverno's does, a server binds them.
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
    ...p.exceptions.map((x) => ({ document: x.exception as Head, source: x.source })),
    ...p.celExceptions.map((x) => ({ document: x.exception as Head, source: x.source })),
  ];
}
