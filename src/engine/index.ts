/**
 * @module The engine's public surface. Pure: policies and requests in, verdicts out.
 * Nothing here throws across the boundary; bad input comes back as Diagnostics.
 */

export type {
  FilteredRequest,
  ResourceFilter,
} from './admission-config/resource-filters.js';
export {
  DEFAULT_RESOURCE_FILTERS,
  isFilteredRequest,
  parseResourceFilters,
} from './admission-config/resource-filters.js';
export type { RequestUser, UserExclusions, UserPatterns } from './admission-config/user-exclusions.js';
export {
  DEFAULT_EXCLUDE_GROUPS,
  isExcludedUser,
  parseExclusionList,
  userExclusions,
} from './admission-config/user-exclusions.js';
export type * from './async-ports.js';
export type * from './async-ports.js';
export { kindOfResource } from './cel/libs/resource.js';
// The cleanup controller's pure parts: cleanup policies, cron schedules, the TTL label.
export type {
  CleanupContext,
  CleanupPolicy,
  CompiledCleanupPolicy,
  ConditionsVerdict,
} from './cleanup/cleanup-policy.js';
export {
  cleanupCandidateMatches,
  cleanupConditionsMet,
  compileCleanupPolicy,
  loadCleanupContext,
} from './cleanup/cleanup-policy.js';
export type { CronSchedule } from './cleanup/cron-next.js';
export { nextCronTime, parseCronSchedule } from './cleanup/cron-next.js';
export type { PropagationPolicy, TtlValue } from './cleanup/ttl.js';
export {
  PROPAGATION_POLICY_ANNOTATION,
  parseTtl,
  TTL_LABEL,
  ttlDeletionTime,
  ttlLabelWarning,
  ttlPropagationPolicy,
} from './cleanup/ttl.js';
export type { CompileCounts } from './compile-memo.js';
export { CompileMemo } from './compile-memo.js';
export type { DiagnosticCode } from './diagnostics/codes.js';
export type { Diagnostic, FieldPath, Result, SourceRef } from './diagnostics/diagnostic.js';
export { diagnostic, formatFieldPath } from './diagnostics/diagnostic.js';
export { NetworkRequiredError } from './image-verify/cosign.js';
export type * from './image-verify/types.js';
export { formatJmespathAst, listFunctions, searchJmespath } from './jmespath/evaluate.js';
export type { FunctionEntry, JpArgSpec } from './jmespath/functions/types.js';
export {
  loadDeletingPolicy,
  loadGeneratingPolicy,
  loadImageValidatingPolicy,
  loadValidatingAdmissionPolicy,
  loadValidatingAdmissionPolicyBinding,
} from './kinds/cel-shared/load-cel-kinds.js';
export type { AdmissionAttributes, MatchOutcome } from './kinds/cel-shared/match-constraints.js';
export { isSingleRuleMatch, matchConstraints } from './kinds/cel-shared/match-constraints.js';
export { loadBuiltinTypeSchemas } from './kinds/cel-shared/typed/load.js';
export { type TypeSchemas, withCrdSchemas } from './kinds/cel-shared/typed/schema.js';
export type * from './kinds/cel-shared/types.js';
export type { CompiledPolicy } from './kinds/cluster-policy/evaluate-policy.js';
export { compilePolicy, evaluatePolicy } from './kinds/cluster-policy/evaluate-policy.js';
// Kyverno's labels on generated objects and clone sources (the generate controller reads them).
export {
  LABEL_CLONE_SOURCE,
  LABEL_MANAGED_BY,
  LABEL_POLICY_NAME,
  LABEL_POLICY_NAMESPACE,
  LABEL_RULE_NAME,
  LABEL_SOURCE_GROUP,
  LABEL_SOURCE_KIND,
  LABEL_SOURCE_NAME,
  LABEL_SOURCE_NAMESPACE,
  LABEL_SOURCE_UID,
  LABEL_SOURCE_VERSION,
  LABEL_TRIGGER_GROUP,
  LABEL_TRIGGER_KIND,
  LABEL_TRIGGER_NAME,
  LABEL_TRIGGER_NAMESPACE,
  LABEL_TRIGGER_UID,
  LABEL_TRIGGER_VERSION,
} from './kinds/cluster-policy/generate/labels.js';
export { loadKyvernoPolicy, loadPolicyException } from './kinds/cluster-policy/load.js';
export type * from './kinds/cluster-policy/types.js';
export type { CompiledDeletingPolicy, DeletingPolicy } from './kinds/deleting-policy/deleting-policy.js';
export { compileDeletingPolicy, evaluateDeletingPolicy } from './kinds/deleting-policy/deleting-policy.js';
export type {
  CompiledGeneratingPolicy,
  GeneratingPolicy,
  GeneratingPolicyOutcome,
} from './kinds/generating-policy/generating-policy.js';
export {
  compileGeneratingPolicy,
  evaluateGeneratingPolicy,
} from './kinds/generating-policy/generating-policy.js';
// The stored shape of each policy kind, the source of the generated CRDs (io/crds).
export type { GlobalContextEntry } from './kinds/global-context-entry/global-context-entry.js';
export {
  DEFAULT_REFRESH_INTERVAL_MS,
  DEFAULT_RETRY_LIMIT,
  GLOBAL_CONTEXT_ENTRY_VERSIONS,
  loadGlobalContextEntry,
  refreshIntervalMs,
  splitGlobalReference,
} from './kinds/global-context-entry/global-context-entry.js';
export type {
  CompiledImageValidatingPolicy,
  DigestMutation,
  ImageEvaluation,
  ImageValidatingPolicy,
} from './kinds/image-validating-policy/image-validating-policy.js';
export {
  compileImageValidatingPolicy,
  evaluateImageValidatingPolicy,
  evaluateImageValidatingPolicyDetailed,
  mutateImageDigests,
} from './kinds/image-validating-policy/image-validating-policy.js';
export { storedKindSchema } from './kinds/kind-schemas.js';
export {
  loadMutatingAdmissionPolicy,
  loadMutatingAdmissionPolicyBinding,
  loadMutatingPolicy,
} from './kinds/mutating-policy/load.js';
export type {
  MutatingAdmissionPolicy,
  MutatingAdmissionPolicyBinding,
  MutatingPolicy,
} from './kinds/mutating-policy/types.js';
export type {
  AdmissionPolicyOutcome,
  CompiledValidatingAdmissionPolicy,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from './kinds/validating-admission-policy/validating-admission-policy.js';
export {
  compileValidatingAdmissionPolicy,
  evaluateValidatingAdmissionPolicy,
} from './kinds/validating-admission-policy/validating-admission-policy.js';
export { loadCelPolicyException, loadValidatingPolicy } from './kinds/validating-policy/load.js';
export type {
  CelAdmissionInput,
  CompiledValidatingPolicy,
  VariantResponse,
} from './kinds/validating-policy/validating-policy.js';
export {
  compileValidatingPolicy,
  evaluateValidatingPolicy,
  evaluateValidatingPolicyJson,
} from './kinds/validating-policy/validating-policy.js';
export type {
  CertificatePlan,
  CertificatePlanInput,
  CertificateTimes,
  ServingCertificateState,
} from './leader/certificate-plan.js';
export { caBundleMembers, certificatePlan, DEFAULT_VALIDITY } from './leader/certificate-plan.js';
export type { ElectionTiming, LeaseObservation, LeaseRecord, LeaseStep } from './leader/lease.js';
export {
  DEFAULT_ELECTION_TIMING,
  microTime,
  nextLeaseStep,
  observe as observeLease,
  releasedRecord,
  timingProblem,
} from './leader/lease.js';
export type { PolicyOutcome, RbacOutcome, StatusCondition } from './leader/policy-status.js';
export { policyStatus, sameJson } from './leader/policy-status.js';
export {
  TTL_VALIDATION_PATH,
  TTL_WEBHOOK_CONFIGURATION_NAME,
  ttlValidatingConfiguration,
} from './leader/ttl-webhook.js';
export type {
  DiscoveredResource,
  PolicyRegistration,
  WebhookConfigOptions,
  WebhookConfigurations,
  WebhookEndpoint,
  WebhookRule,
} from './leader/webhook-configurations.js';
export {
  MANAGED_BY_LABEL,
  OWN_WEBHOOK_SEGMENT,
  POLICY_VALIDATION_PATH,
  WEBHOOK_CONFIGURATION_NAMES,
  webhookConfigurations,
} from './leader/webhook-configurations.js';
export type { WebhookNeed } from './leader/webhook-needs.js';
export type { LimitName, Limits } from './limits.js';
export { DEFAULT_EVALUATION_LIMITS, LimitExceededError, RequestBudget } from './limits.js';
export type * from './model/kube-object.js';
export type { ObjectIdentity } from './model/resource-kinds.js';
export {
  isClusterScopedKind,
  objectIdentity,
  resourceForKind,
  splitApiVersion,
} from './model/resource-kinds.js';
export type { PathCheck } from './namespace-confinement.js';
export {
  checkNamespacedApiPath,
  confinePorts,
  objectOutsideNamespace,
  readOutsideNamespace,
} from './namespace-confinement.js';
export { admit, evaluateAuthzPayload, evaluatePayload, scan } from './policy-set/admit.js';
export type { ExceptionAdmissionGate, ExceptionSourceMode } from './policy-set/bind-exceptions.js';
export type { CompiledPolicySet, CompilePolicySetOptions, PolicyDocument } from './policy-set/compile.js';
export { compilePolicySet } from './policy-set/compile.js';
export { blockedMessage } from './policy-set/decision.js';
export { triggersMutateExistingWork } from './policy-set/mutate-existing-triggers.js';
export type {
  AdmissionRequest,
  CelView,
  EvaluationProfile,
  GroupVersionKind,
  GroupVersionResource,
  OfflineRequestContext,
} from './policy-set/request.js';
export { operationOf, requestForObject } from './policy-set/request.js';
export type {
  AdmissionOutcome,
  AdmitOptions,
  CompiledSetPolicy,
  GeneratedObject,
  JsonPatchOperation,
  KindName,
  Phase,
  PolicyRef,
  PolicyResult,
  PolicySet,
  PolicySetDiagnostic,
  PolicySetStats,
  PolicyTraits,
  RuleFailure,
  ScanOutcome,
  ScanSkip,
} from './policy-set/types.js';
export { evaluateWithAsyncPorts, PortCallError } from './port-bridge.js';
export type * from './ports.js';
export type * from './request.js';
export type * from './runtime.js';
// The schema language io validates its own file formats with (values, user info, kyverno-test files).
export { objectMeta as objectMetaSchema } from './schema/common-schema.js';
export * as schemaDsl from './schema/schema-dsl.js';
// Bounded memos: io and the faces cap their own caches with the engine's.
export { BoundedMemo } from './units/bounded-memo.js';
export { parseImageReference } from './units/image-reference.js';
export { wildcardMatch } from './units/wildcard.js';
export type * from './verdict/types.js';
