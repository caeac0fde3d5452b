/** @module Routes a decoded document to the loader for its kind, by apiVersion group and kind. */

export type DocumentClass =
  | 'kyverno-policy'
  | 'policy-exception'
  | 'cel-policy'
  | 'admission-policy'
  | 'other';

const ADMISSION_KINDS = new Set([
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);

/** `group` of an apiVersion (`kyverno.io/v1` → `kyverno.io`; core `v1` → ''). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Never throws; anything that is not an object with string apiVersion and kind is 'other'. */
export function classifyDocument(doc: unknown): DocumentClass {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'other';
  const { apiVersion, kind } = doc as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'other';
  switch (apiGroupOf(apiVersion)) {
    case 'kyverno.io':
      if (kind === 'ClusterPolicy' || kind === 'Policy') return 'kyverno-policy';
      if (kind === 'PolicyException') return 'policy-exception';
      return 'other';
    case 'policies.kyverno.io':
      // Every kind of the CEL group: ValidatingPolicy, MutatingPolicy, ..., and its PolicyException.
      return 'cel-policy';
    case 'admissionregistration.k8s.io':
      return ADMISSION_KINDS.has(kind) ? 'admission-policy' : 'other';
    default:
      return 'other';
  }
}
