/** @module Decodes policy documents with the engine's `policy/load.ts` (schema checks with paths). */
import type {
  CelPolicyException,
  KyvernoPolicy,
  PolicyException,
  Result,
  ValidatingPolicy,
} from '../../engine/index.js';
import { loadCelPolicyException, loadValidatingPolicy } from '../../engine/index.js';
import { loadKyvernoPolicy, loadPolicyException } from '../../engine/policy/load.js';

export interface PolicyDecoder {
  loadKyvernoPolicy(doc: unknown): Result<KyvernoPolicy>;
  loadPolicyException(doc: unknown): Result<PolicyException>;
  /** policies.kyverno.io ValidatingPolicy / NamespacedValidatingPolicy. */
  loadValidatingPolicy(doc: unknown): Result<ValidatingPolicy>;
  /** policies.kyverno.io PolicyException (exceptions for CEL policies). */
  loadCelPolicyException(doc: unknown): Result<CelPolicyException>;
}

const DECODER: PolicyDecoder = {
  loadKyvernoPolicy,
  loadPolicyException,
  loadValidatingPolicy,
  loadCelPolicyException,
};

/** Kept async so a decoder with a different source can be swapped in without touching callers. */
export async function getPolicyDecoder(): Promise<PolicyDecoder> {
  return DECODER;
}
