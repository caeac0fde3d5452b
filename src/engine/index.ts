/**
 * @module The engine's public surface. Pure: policies and requests in, verdicts out.
 * Nothing here throws across the boundary; bad input comes back as Diagnostics.
 */

export type { CompiledDeletingPolicy, DeletingPolicy } from './cel-policies/deleting-policy.js';
export { compileDeletingPolicy, evaluateDeletingPolicy } from './cel-policies/deleting-policy.js';
export type {
  CompiledGeneratingPolicy,
  GeneratingPolicy,
  GeneratingPolicyOutcome,
} from './cel-policies/generating-policy.js';
export { compileGeneratingPolicy, evaluateGeneratingPolicy } from './cel-policies/generating-policy.js';
export type {
  CompiledImageValidatingPolicy,
  DigestMutation,
  ImageEvaluation,
  ImageValidatingPolicy,
} from './cel-policies/image-validating-policy.js';
export {
  compileImageValidatingPolicy,
  evaluateImageValidatingPolicy,
  evaluateImageValidatingPolicyDetailed,
  mutateImageDigests,
} from './cel-policies/image-validating-policy.js';
export { loadCelPolicyException, loadValidatingPolicy } from './cel-policies/load.js';
export {
  loadDeletingPolicy,
  loadGeneratingPolicy,
  loadImageValidatingPolicy,
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
} from './cel-policies/load-cel-kinds.js';
export type { AdmissionAttributes, MatchOutcome } from './cel-policies/match-constraints.js';
export { isSingleRuleMatch, matchConstraints } from './cel-policies/match-constraints.js';
export type { ObjectIdentity } from './cel-policies/resource-kinds.js';
export {
  isClusterScopedKind,
  objectIdentity,
  resourceForKind,
  splitApiVersion,
} from './cel-policies/resource-kinds.js';
export type * from './cel-policies/types.js';
export type {
  AdmissionPolicyOutcome,
  CompiledValidatingAdmissionPolicy,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from './cel-policies/validating-admission-policy.js';
export {
  compileValidatingAdmissionPolicy,
  evaluateValidatingAdmissionPolicy,
} from './cel-policies/validating-admission-policy.js';
export type {
  CelAdmissionInput,
  CompiledValidatingPolicy,
  VariantResponse,
} from './cel-policies/validating-policy.js';
export {
  compileValidatingPolicy,
  evaluateValidatingPolicy,
  evaluateValidatingPolicyJson,
} from './cel-policies/validating-policy.js';
export type { DiagnosticCode } from './diagnostics/codes.js';
export type { Diagnostic, FieldPath, Result, SourceRef } from './diagnostics/diagnostic.js';
export { formatFieldPath } from './diagnostics/diagnostic.js';
export type { CompiledPolicy } from './evaluate/evaluate-policy.js';
export { compilePolicy, evaluatePolicy } from './evaluate/evaluate-policy.js';
export { NetworkRequiredError } from './image-verify/cosign.js';
export type * from './policy/types.js';
export type * from './ports.js';
export type * from './request.js';
export type * from './verdict/types.js';
