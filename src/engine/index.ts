/**
 * @module The engine's public surface. Pure: policies and requests in, verdicts out.
 * Nothing here throws across the boundary; bad input comes back as Diagnostics.
 */

export { loadCelPolicyException, loadValidatingPolicy } from './cel-policies/load.js';
export type { AdmissionAttributes, MatchOutcome } from './cel-policies/match-constraints.js';
export { isSingleRuleMatch, matchConstraints } from './cel-policies/match-constraints.js';
export { isClusterScopedKind, resourceForKind, splitApiVersion } from './cel-policies/resource-kinds.js';
export type * from './cel-policies/types.js';
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
export type * from './policy/types.js';
export type * from './ports.js';
export type * from './request.js';
export type * from './verdict/types.js';
