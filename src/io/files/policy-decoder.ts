/** @module Decodes policy documents with the engine's `policy/load.ts` (schema checks with paths). */
import type { KyvernoPolicy, PolicyException, Result } from '../../engine/index.js';
import { loadKyvernoPolicy, loadPolicyException } from '../../engine/policy/load.js';

export interface PolicyDecoder {
  loadKyvernoPolicy(doc: unknown): Result<KyvernoPolicy>;
  loadPolicyException(doc: unknown): Result<PolicyException>;
}

const DECODER: PolicyDecoder = { loadKyvernoPolicy, loadPolicyException };

/** Kept async so a decoder with a different source can be swapped in without touching callers. */
export async function getPolicyDecoder(): Promise<PolicyDecoder> {
  return DECODER;
}
