import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/policy-documents.ts
function policyDocuments(p) {
  const docs = (list) => list.map((x) => ({ document: x.policy, source: x.source }));
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
    ...p.exceptions.map((x) => ({ document: x.exception, source: x.source })),
    ...p.celExceptions.map((x) => ({ document: x.exception, source: x.source }))
  ];
}

export {
  policyDocuments
};
