/**
 * @module Decoded policy documents (pure, browser-safe) → ClusterPolicy/Policy, the policies.kyverno.io kinds (Validating, Mutating,
 * Generating, Deleting, ImageValidating and their Namespaced variants), Kubernetes admission
 * policies with their bindings, and both kinds of PolicyException. Cleanup policies are recognised
 * and reported as unsupported.
 */

import type {
  CelPolicyException,
  DeletingPolicy,
  GeneratingPolicy,
  ImageValidatingPolicy,
  KyvernoPolicy,
  MutatingAdmissionPolicy,
  MutatingAdmissionPolicyBinding,
  MutatingPolicy,
  PolicyException,
  Result,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  ValidatingPolicy,
} from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { attachSource, documentPath, locate } from '../yaml/source-map.js';
import { foreignReason, skippedNotice } from './foreign-documents.js';
import type { PolicyDecoder } from './policy-decoder.js';

export interface LoadedPolicy {
  readonly policy: KyvernoPolicy;
  readonly source: LoadedDocument;
}

export interface LoadedException {
  readonly exception: PolicyException;
  readonly source: LoadedDocument;
}

export interface LoadedValidatingPolicy {
  readonly policy: ValidatingPolicy;
  readonly source: LoadedDocument;
}

export interface LoadedCelException {
  readonly exception: CelPolicyException;
  readonly source: LoadedDocument;
}

/** A loaded GeneratingPolicy, DeletingPolicy, ImageValidatingPolicy or ValidatingAdmissionPolicy(Binding). */
export interface LoadedDocumentOf<T> {
  readonly policy: T;
  readonly source: LoadedDocument;
}

/** A loaded MutatingPolicy or NamespacedMutatingPolicy. */
export type LoadedMutatingPolicy = LoadedDocumentOf<MutatingPolicy>;
export type LoadedMutatingAdmissionPolicy = LoadedDocumentOf<MutatingAdmissionPolicy>;
export type LoadedMutatingAdmissionPolicyBinding = LoadedDocumentOf<MutatingAdmissionPolicyBinding>;

/** A policy document Palisade recognises but cannot evaluate yet. */
export interface UnsupportedPolicy {
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
}

export interface LoadedPolicies {
  readonly policies: readonly LoadedPolicy[];
  readonly exceptions: readonly LoadedException[];
  readonly validatingPolicies: readonly LoadedValidatingPolicy[];
  readonly celExceptions: readonly LoadedCelException[];
  readonly generatingPolicies: readonly LoadedDocumentOf<GeneratingPolicy>[];
  readonly deletingPolicies: readonly LoadedDocumentOf<DeletingPolicy>[];
  readonly imageValidatingPolicies: readonly LoadedDocumentOf<ImageValidatingPolicy>[];
  readonly admissionPolicies: readonly LoadedDocumentOf<ValidatingAdmissionPolicy>[];
  readonly admissionPolicyBindings: readonly LoadedDocumentOf<ValidatingAdmissionPolicyBinding>[];
  readonly mutatingPolicies: readonly LoadedMutatingPolicy[];
  readonly mutatingAdmissionPolicies: readonly LoadedMutatingAdmissionPolicy[];
  readonly mutatingAdmissionPolicyBindings: readonly LoadedMutatingAdmissionPolicyBinding[];
  readonly unsupported: readonly UnsupportedPolicy[];
  readonly issues: readonly IoDiagnostic[];
}

export type DocumentClass =
  | 'kyverno-policy'
  | 'kyverno-exception'
  | 'validating-policy'
  | 'cel-exception'
  | 'generating-policy'
  | 'deleting-policy'
  | 'image-validating-policy'
  | 'validating-admission-policy'
  | 'validating-admission-policy-binding'
  | 'mutating-policy'
  | 'mutating-admission-policy'
  | 'mutating-admission-policy-binding'
  | 'unsupported-policy'
  | 'other';

const CEL_KINDS = new Set([
  'ValidatingPolicy',
  'NamespacedValidatingPolicy',
  'MutatingPolicy',
  'NamespacedMutatingPolicy',
  'GeneratingPolicy',
  'NamespacedGeneratingPolicy',
  'ImageValidatingPolicy',
  'NamespacedImageValidatingPolicy',
  'DeletingPolicy',
  'NamespacedDeletingPolicy',
  'PolicyException',
]);
const ADMISSION_KINDS = new Set([
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);
const KYVERNO_OTHER = new Set(['CleanupPolicy', 'ClusterCleanupPolicy']);

export function classifyPolicyDocument(doc: unknown): DocumentClass {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'other';
  const { apiVersion, kind } = doc as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'other';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === 'kyverno.io') {
    if (kind === 'ClusterPolicy' || kind === 'Policy') return 'kyverno-policy';
    if (kind === 'PolicyException') return 'kyverno-exception';
    if (KYVERNO_OTHER.has(kind)) return 'unsupported-policy';
    return 'other';
  }
  if (group === 'policies.kyverno.io' && CEL_KINDS.has(kind)) {
    if (kind === 'ValidatingPolicy' || kind === 'NamespacedValidatingPolicy') return 'validating-policy';
    if (kind === 'PolicyException') return 'cel-exception';
    if (kind === 'MutatingPolicy' || kind === 'NamespacedMutatingPolicy') return 'mutating-policy';
    if (kind === 'GeneratingPolicy' || kind === 'NamespacedGeneratingPolicy') return 'generating-policy';
    if (kind === 'DeletingPolicy' || kind === 'NamespacedDeletingPolicy') return 'deleting-policy';
    if (kind === 'ImageValidatingPolicy' || kind === 'NamespacedImageValidatingPolicy') {
      return 'image-validating-policy';
    }
    return 'unsupported-policy';
  }
  if (group === 'admissionregistration.k8s.io' && kind === 'ValidatingAdmissionPolicy') {
    return 'validating-admission-policy';
  }
  if (group === 'admissionregistration.k8s.io' && kind === 'ValidatingAdmissionPolicyBinding') {
    return 'validating-admission-policy-binding';
  }
  if (group === 'admissionregistration.k8s.io' && kind === 'MutatingAdmissionPolicy') {
    return 'mutating-admission-policy';
  }
  if (group === 'admissionregistration.k8s.io' && kind === 'MutatingAdmissionPolicyBinding') {
    return 'mutating-admission-policy-binding';
  }
  if (group === 'admissionregistration.k8s.io' && ADMISSION_KINDS.has(kind)) return 'unsupported-policy';
  return 'other';
}

/** The header field (apiVersion, kind) that holds something other than a string or nothing. */
function headerNotString(doc: Record<string, unknown>): 'apiVersion' | 'kind' | undefined {
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = doc[field];
    if (v !== undefined && v !== null && typeof v !== 'string') return field;
  }
  return undefined;
}

function nameOf(doc: unknown): string {
  const meta = (doc as { metadata?: { name?: unknown } }).metadata;
  return typeof meta?.name === 'string' ? meta.name : '';
}

/**
 * Decodes documents already read (from files, or objects read from a cluster) into policies of each
 * kind, with the engine's loaders; what is not a policy is reported. Never throws.
 */
export function decodePolicyDocuments(
  loaded: { readonly documents: readonly LoadedDocument[]; readonly issues: readonly IoDiagnostic[] },
  decoder: PolicyDecoder,
): LoadedPolicies & { readonly loadedAny: boolean; readonly skipped: number } {
  const issues: IoDiagnostic[] = [...loaded.issues];
  const policies: LoadedPolicy[] = [];
  const exceptions: LoadedException[] = [];
  const validatingPolicies: LoadedValidatingPolicy[] = [];
  const celExceptions: LoadedCelException[] = [];
  const unsupported: UnsupportedPolicy[] = [];
  const generatingPolicies: LoadedDocumentOf<GeneratingPolicy>[] = [];
  const deletingPolicies: LoadedDocumentOf<DeletingPolicy>[] = [];
  const imageValidatingPolicies: LoadedDocumentOf<ImageValidatingPolicy>[] = [];
  const admissionPolicies: LoadedDocumentOf<ValidatingAdmissionPolicy>[] = [];
  const admissionPolicyBindings: LoadedDocumentOf<ValidatingAdmissionPolicyBinding>[] = [];
  const mutatingPolicies: LoadedMutatingPolicy[] = [];
  const mutatingAdmissionPolicies: LoadedMutatingAdmissionPolicy[] = [];
  const mutatingAdmissionPolicyBindings: LoadedMutatingAdmissionPolicyBinding[] = [];
  const collect = <T>(r: Result<T>, doc: LoadedDocument, into: LoadedDocumentOf<T>[]): void => {
    if (r.ok) into.push({ policy: r.value, source: doc });
    else for (const d of r.issues) issues.push(attachSource(d, doc));
  };
  let skipped = 0;
  for (const doc of loaded.documents) {
    const foreign = foreignReason(doc, 'a policy');
    if (foreign !== undefined) {
      skipped++;
      issues.push(skippedNotice(doc, foreign));
      continue;
    }
    const cls = classifyPolicyDocument(doc.value);
    const kind = String((doc.value as { kind?: unknown }).kind ?? '');
    const badHeader =
      cls === 'other' && doc.value !== null && typeof doc.value === 'object' && !Array.isArray(doc.value)
        ? headerNotString(doc.value as Record<string, unknown>)
        : undefined;
    if (cls === 'kyverno-policy') {
      const r = decoder.loadKyvernoPolicy(doc.value);
      if (r.ok) policies.push({ policy: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === 'kyverno-exception') {
      const r = decoder.loadPolicyException(doc.value);
      if (r.ok) exceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === 'validating-policy') {
      const r = decoder.loadValidatingPolicy(doc.value);
      if (r.ok) validatingPolicies.push({ policy: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === 'cel-exception') {
      const r = decoder.loadCelPolicyException(doc.value);
      if (r.ok) celExceptions.push({ exception: r.value, source: doc });
      else for (const d of r.issues) issues.push(attachSource(d, doc));
    } else if (cls === 'generating-policy') {
      collect(decoder.loadGeneratingPolicy(doc.value), doc, generatingPolicies);
    } else if (cls === 'deleting-policy') {
      collect(decoder.loadDeletingPolicy(doc.value), doc, deletingPolicies);
    } else if (cls === 'image-validating-policy') {
      collect(decoder.loadImageValidatingPolicy(doc.value), doc, imageValidatingPolicies);
    } else if (cls === 'validating-admission-policy') {
      collect(decoder.loadValidatingAdmissionPolicy(doc.value), doc, admissionPolicies);
    } else if (cls === 'validating-admission-policy-binding') {
      collect(decoder.loadValidatingAdmissionPolicyBinding(doc.value), doc, admissionPolicyBindings);
    } else if (cls === 'mutating-policy') {
      collect(decoder.loadMutatingPolicy(doc.value), doc, mutatingPolicies);
    } else if (cls === 'mutating-admission-policy') {
      collect(decoder.loadMutatingAdmissionPolicy(doc.value), doc, mutatingAdmissionPolicies);
    } else if (cls === 'mutating-admission-policy-binding') {
      collect(decoder.loadMutatingAdmissionPolicyBinding(doc.value), doc, mutatingAdmissionPolicyBindings);
    } else if (cls === 'unsupported-policy') {
      unsupported.push({ kind, name: nameOf(doc.value), reason: `${kind} policies are not supported yet` });
    } else if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
      const got = Array.isArray(doc.value) ? 'a list' : `a ${typeof doc.value}`;
      issues.push({
        ...ioDiagnostic(
          'policy/unsupported-kind',
          `a policy must be a YAML mapping with apiVersion and kind, got ${got}`,
          { path: documentPath(doc, []) },
        ),
        source: locate(doc, []),
      });
    } else if (badHeader !== undefined) {
      // A map or list in apiVersion or kind would print as "[object Object]"; name the field instead.
      const v = (doc.value as Record<string, unknown>)[badHeader];
      const got = Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
      issues.push({
        ...ioDiagnostic('policy/unsupported-kind', `${badHeader} must be a string, got ${got}`, {
          path: documentPath(doc, [badHeader]),
        }),
        source: locate(doc, [badHeader]),
      });
    } else {
      const apiVersion = String((doc.value as { apiVersion?: unknown }).apiVersion ?? '');
      issues.push({
        ...ioDiagnostic(
          'policy/unsupported-kind',
          `policy type not supported: ${apiVersion || '<no apiVersion>'}, Kind=${kind || '<no kind>'}`,
          { path: documentPath(doc, [apiVersion === '' ? 'apiVersion' : 'kind']) },
        ),
        source: locate(doc, []),
      });
    }
  }
  const loadedAny =
    policies.length +
      validatingPolicies.length +
      generatingPolicies.length +
      deletingPolicies.length +
      imageValidatingPolicies.length +
      admissionPolicies.length +
      mutatingPolicies.length +
      mutatingAdmissionPolicies.length +
      exceptions.length +
      celExceptions.length +
      unsupported.length >
    0;
  return {
    loadedAny,
    skipped,
    policies,
    exceptions,
    validatingPolicies,
    celExceptions,
    generatingPolicies,
    deletingPolicies,
    imageValidatingPolicies,
    admissionPolicies,
    admissionPolicyBindings,
    mutatingPolicies,
    mutatingAdmissionPolicies,
    mutatingAdmissionPolicyBindings,
    unsupported,
    issues,
  };
}
