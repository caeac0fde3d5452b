/** @module Decodes policy documents with the engine's `policy/load.ts` (schema checks with paths). */

import type {
  CelPolicyException,
  DeletingPolicy,
  GeneratingPolicy,
  ImageValidatingPolicy,
  KyvernoPolicy,
  PolicyException,
  Result,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  ValidatingPolicy,
} from '../../engine/index.js';
import {
  loadCelPolicyException,
  loadDeletingPolicy,
  loadGeneratingPolicy,
  loadImageValidatingPolicy,
  loadKyvernoPolicy,
  loadMutatingAdmissionPolicy,
  loadMutatingAdmissionPolicyBinding,
  loadMutatingPolicy,
  loadPolicyException,
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
  loadValidatingPolicy,
  type MutatingAdmissionPolicy,
  type MutatingAdmissionPolicyBinding,
  type MutatingPolicy,
} from '../../engine/index.js';

export interface PolicyDecoder {
  loadKyvernoPolicy(doc: unknown): Result<KyvernoPolicy>;
  loadPolicyException(doc: unknown): Result<PolicyException>;
  /** policies.kyverno.io ValidatingPolicy / NamespacedValidatingPolicy. */
  loadValidatingPolicy(doc: unknown): Result<ValidatingPolicy>;
  /** policies.kyverno.io PolicyException (exceptions for CEL policies). */
  loadCelPolicyException(doc: unknown): Result<CelPolicyException>;
  /** policies.kyverno.io GeneratingPolicy / NamespacedGeneratingPolicy. */
  loadGeneratingPolicy(doc: unknown): Result<GeneratingPolicy>;
  /** policies.kyverno.io DeletingPolicy / NamespacedDeletingPolicy. */
  loadDeletingPolicy(doc: unknown): Result<DeletingPolicy>;
  /** policies.kyverno.io ImageValidatingPolicy / NamespacedImageValidatingPolicy. */
  loadImageValidatingPolicy(doc: unknown): Result<ImageValidatingPolicy>;
  /** admissionregistration.k8s.io ValidatingAdmissionPolicy. */
  loadValidatingAdmissionPolicy(doc: unknown): Result<ValidatingAdmissionPolicy>;
  /** admissionregistration.k8s.io ValidatingAdmissionPolicyBinding. */
  loadValidatingAdmissionPolicyBinding(doc: unknown): Result<ValidatingAdmissionPolicyBinding>;
  /** policies.kyverno.io MutatingPolicy / NamespacedMutatingPolicy. */
  loadMutatingPolicy(doc: unknown): Result<MutatingPolicy>;
  /** admissionregistration.k8s.io MutatingAdmissionPolicy. */
  loadMutatingAdmissionPolicy(doc: unknown): Result<MutatingAdmissionPolicy>;
  /** admissionregistration.k8s.io MutatingAdmissionPolicyBinding. */
  loadMutatingAdmissionPolicyBinding(doc: unknown): Result<MutatingAdmissionPolicyBinding>;
}

/** The engine's loaders (synchronous: for callers that already hold the engine, e.g. the playground). */
export const POLICY_DECODER: PolicyDecoder = {
  loadKyvernoPolicy,
  loadPolicyException,
  loadValidatingPolicy,
  loadCelPolicyException,
  loadGeneratingPolicy,
  loadDeletingPolicy,
  loadImageValidatingPolicy,
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
  loadMutatingPolicy,
  loadMutatingAdmissionPolicy,
  loadMutatingAdmissionPolicyBinding,
};

/** Kept async so a decoder with a different source can be swapped in without touching callers. */
export async function getPolicyDecoder(): Promise<PolicyDecoder> {
  return POLICY_DECODER;
}
