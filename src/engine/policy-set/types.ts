/** @module The compiled policy set and what evaluating it answers. */
import type { Operation as JsonPatchOperation } from 'fast-json-patch';
import type { CompileCounts, CompileMemo } from '../compile-memo.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import type { TypeSchemas } from '../kinds/cel-shared/typed/schema.js';
import type { CelPolicyException } from '../kinds/cel-shared/types.js';
import type { FailureAction } from '../kinds/cluster-policy/types.js';
import type { MutatingAdmissionPolicyBinding } from '../kinds/mutating-policy/types.js';
import type { CelExceptionIndex } from '../kinds/policy-exception/cel-exception-index.js';
import type { ExceptionIndex } from '../kinds/policy-exception/exception-index.js';
import type { ValidatingAdmissionPolicyBinding } from '../kinds/validating-admission-policy/validating-admission-policy.js';
import type { WebhookNeed } from '../leader/webhook-needs.js';
import type { LimitExceededError } from '../limits.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Ports } from '../ports.js';
import type { EvaluationRuntime } from '../runtime.js';
import type { PolicyResponse } from '../verdict/types.js';
import type { AdmissionRequest, EvaluationProfile, LegacyRequestMemo } from './request.js';

export type { JsonPatchOperation };

/** Which policy answered, without the policy itself (reports read name, namespace and annotations). */
export interface PolicyRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace a namespaced policy (Policy, Namespaced*Policy) is confined to. */
  readonly namespace?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One policy's response and the policy that gave it (a wrapper: responses are never copied). */
export interface PolicyResult {
  readonly policy: PolicyRef;
  readonly response: PolicyResponse;
  /** Legacy policies in the `admission` profile: the failure action of each failed rule. */
  readonly ruleActions: Readonly<Record<string, FailureAction>> | undefined;
  /** `Ignore`: an evaluation error does not block the request. */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** Milliseconds the policy took, by `AdmitOptions.timer` (absent without one). */
  readonly durationMs?: number;
}

/**
 * Kyverno's order: legacy mutate (with the legacy validate rules, as Kyverno's CLI runs them),
 * MutatingAdmissionPolicies, MutatingPolicies, the validating kinds, DeletingPolicies (cleanup
 * candidates, not admission), legacy generate rules on the fully mutated object. `mutate-existing`
 * is the background controller's: mutate-existing rules and MutatingPolicies patch other objects
 * for the request's trigger (the `cli` profile runs them with the other mutations instead).
 */
export type Phase =
  | 'legacy'
  | 'mutating-admission'
  | 'mutating'
  | 'validating'
  | 'deleting'
  | 'legacy-generate'
  | 'mutate-existing';

export const PHASES: readonly Phase[] = [
  'legacy',
  'mutating-admission',
  'mutating',
  'validating',
  'deleting',
  'legacy-generate',
  'mutate-existing',
];

/** The name of a kind entry (one per folder under engine/kinds). */
export type KindName =
  | 'cluster-policy'
  | 'validating-policy'
  | 'mutating-policy'
  | 'mutating-admission-policy'
  | 'generating-policy'
  | 'deleting-policy'
  | 'image-validating-policy'
  | 'validating-admission-policy';

/** What every kind compiles with (built once per set from the attachment documents). */
export interface CompileContext {
  /** The set's CEL PolicyExceptions, by the policy they name (compiled once per CEL environment). */
  readonly celExceptions: CelExceptionIndex;
  readonly vapBindings: readonly ValidatingAdmissionPolicyBinding[];
  readonly mapBindings: readonly MutatingAdmissionPolicyBinding[];
  /** The set's memo: what the policies' text compiles to is pinned there (see PolicySet.compileMemo). */
  readonly memo: CompileMemo;
  /** Type schemas for MutatingPolicy ApplyConfiguration (CompilePolicySetOptions.typeSchemas). */
  readonly typeSchemas?: TypeSchemas;
}

/** Kinds and resources a policy can match; `any` when its match cannot be indexed. */
export type IndexTargets =
  | { readonly any: true }
  | { readonly any?: false; readonly kinds: readonly string[]; readonly resources: readonly string[] };

/** The running state of one `admit`: the phases read and extend it in order. */
export interface AdmissionState {
  readonly request: AdmissionRequest;
  readonly profile: EvaluationProfile;
  readonly runtime: EvaluationRuntime;
  /** The runtime the CEL and admission-policy kinds evaluate with (see AdmitOptions.celPorts). */
  readonly celRuntime: EvaluationRuntime;
  /** The object as admitted (the old object for DELETE). */
  readonly original: KubeObject;
  /** The object as the mutating phases left it so far. */
  object: KubeObject;
  /** kyverno.io PolicyExceptions: the set's, then the request's. */
  readonly exceptions: ExceptionIndex;
  readonly results: PolicyResult[];
  readonly warnings: string[];
  /** The legacy engine's request, shared by the ClusterPolicies that see the same values. */
  readonly legacyRequests: LegacyRequestMemo;
}

/** One kind of policy: how its documents compile and when and how its policies run. */
export interface KindEntry<D, C> {
  readonly name: KindName;
  readonly group: string;
  readonly kinds: readonly string[];
  readonly compile: (document: D, ctx: CompileContext) => Result<C>;
  readonly phases: readonly Phase[];
  /** Runs `policies` (set order) in `phase`, appending to `state`. Never throws. */
  readonly evaluate: (policies: readonly C[], phase: Phase, state: AdmissionState) => void;
  readonly ref: (compiled: C) => PolicyRef;
  readonly targets: (compiled: C) => IndexTargets;
  /** Rules the policy counts for "Applying N policy rule(s)" (1 for rule-less kinds). */
  readonly ruleCount?: (compiled: C) => number;
  /** Failure policy and background mode; absent: `Fail`, no background. */
  readonly traits?: (compiled: C) => PolicyTraits;
  /** Background scan (reference §9.3) of the policies `scanSkip` lets through; absent: none is scanned. */
  readonly scan?: (policies: readonly C[], state: AdmissionState) => void;
  /**
   * Why a background scan does not evaluate this policy (its kind is not scanned, its background mode
   * is off, it has nothing a scan reports), or undefined when it does. Every kind says it, so that no
   * policy is left out of a scan without a notice.
   */
  readonly scanSkip: (compiled: C) => string | undefined;
  /** JSON payloads (`--json`, `jsonPayloads`); absent: the kind ignores them. */
  readonly payload?: (policies: readonly C[], state: AdmissionState) => void;
  /** Authorization requests (Envoy / HTTP CheckRequests, `state.object`); absent: the kind ignores them. */
  readonly authz?: (policies: readonly C[], state: AdmissionState, mode: 'Envoy' | 'HTTP') => void;
  /** The admission webhooks a policy needs registered; absent: none (not served by webhooks). */
  readonly webhooks?: (compiled: C) => readonly WebhookNeed[];
}

/** A kind entry with its types erased, for the table. */
export type AnyKindEntry = KindEntry<never, unknown> & {
  readonly evaluate: (policies: readonly unknown[], phase: Phase, state: AdmissionState) => void;
  readonly ref: (compiled: unknown) => PolicyRef;
  readonly targets: (compiled: unknown) => IndexTargets;
  readonly ruleCount?: (compiled: unknown) => number;
  readonly traits?: (compiled: unknown) => PolicyTraits;
  readonly scan?: (policies: readonly unknown[], state: AdmissionState) => void;
  readonly scanSkip: (compiled: unknown) => string | undefined;
  readonly payload?: (policies: readonly unknown[], state: AdmissionState) => void;
  readonly authz?: (policies: readonly unknown[], state: AdmissionState, mode: 'Envoy' | 'HTTP') => void;
  readonly webhooks?: (compiled: unknown) => readonly WebhookNeed[];
};

/** Erases an entry's types; the set only ever hands an entry the policies it compiled. */
export function defineKind<D, C>(entry: KindEntry<D, C>): AnyKindEntry {
  return entry as unknown as AnyKindEntry;
}

/** What a webhook needs to know of a policy without evaluating it. */
export interface PolicyTraits {
  /** Whether an evaluation error blocks the request (the webhook bucket the policy belongs to). */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** Background scans evaluate it (`spec.background`, `evaluation.background.enabled`). */
  readonly background: boolean;
}

/** One compiled policy of the set. */
export interface CompiledSetPolicy {
  readonly kind: KindName;
  readonly ref: PolicyRef;
  /** The kind's compiled form (e.g. CompiledPolicy, CompiledValidatingPolicy). */
  readonly compiled: unknown;
  /** Position in the set (table order, then document order). */
  readonly seq: number;
  readonly ruleCount: number;
  readonly traits: PolicyTraits;
}

/** A policy a background scan did not evaluate, and why (reference §9.3). */
export interface ScanSkip {
  readonly policy: PolicyRef;
  readonly reason: string;
}

/** What a background scan of one object answers. */
export interface ScanOutcome {
  /** The responses of the policies evaluated, as `admit` gives them. */
  readonly results: readonly PolicyResult[];
  /** Policies that may match the object but were not evaluated, each with its reason. */
  readonly skipped: readonly ScanSkip[];
  /** The request-wide limit that stopped the scan, as `AdmissionOutcome.stoppedBy`. */
  readonly stoppedBy?: LimitExceededError;
}

export interface PolicySetStats {
  /** Calls of a kind's compile function made for this set; evaluation never adds to it. */
  readonly compileCalls: number;
  /**
   * Compile work evaluation has caused so far (the memo's misses): JMESPath built by substitution,
   * regex patterns from data, selectors of exceptions given with a request. Nothing the policies'
   * text holds is compiled at evaluation, so a steady stream of requests leaves these unchanged.
   */
  readonly evaluationCompiles: CompileCounts;
}

export interface PolicySet {
  /** Every compiled policy, in set order. */
  readonly policies: readonly CompiledSetPolicy[];
  /**
   * The policies that may match objects of this kind or resource in `namespace` (cluster-wide ones
   * and those of that namespace), in set order: a Map lookup plus the policies that cannot be
   * indexed. Group and version are not used to narrow (an over-approximation is safe).
   */
  policiesFor(
    target: { readonly kind?: string; readonly resource?: string },
    namespace: string,
  ): readonly CompiledSetPolicy[];
  /** The kyverno.io PolicyExceptions the set binds, indexed by the policy and rule they name. */
  readonly exceptions: ExceptionIndex;
  /** The CEL PolicyExceptions the set binds (compiled into the policies they name). */
  readonly celExceptions: readonly CelPolicyException[];
  /**
   * The set's compiled artifacts that its policies do not hold as fields (JMESPath, regexes, kind
   * selectors), and where evaluation compiles what only it knows; freed with the set.
   */
  readonly compileMemo: CompileMemo;
  readonly stats: PolicySetStats;
}

/** A problem with one document, with the caller's tag for where it came from. */
export interface PolicySetDiagnostic<T> {
  readonly diagnostic: Diagnostic;
  readonly source: T;
  readonly policy: PolicyRef;
}

/** A generated object and the policy that wants it. */
export interface GeneratedObject {
  readonly policy: PolicyRef;
  readonly object: KubeObject;
  /** A mutate-existing target: the subresource the patch is written to (`status`), if any. */
  readonly subresource?: string;
}

/** A rule that failed (or errored), for the decision. */
export interface RuleFailure {
  readonly policy: PolicyRef;
  readonly rule: string;
  readonly status: 'fail' | 'error';
  readonly message: string;
}

export interface AdmissionOutcome {
  readonly allowed: boolean;
  /**
   * Set when denied: Kyverno's "resource … was blocked due to the following policies" message for
   * ClusterPolicy/Policy rules, `Policy <name> failed: …` for the CEL kinds.
   */
  readonly message?: string;
  readonly responses: readonly PolicyResult[];
  /** The object as every mutating phase left it (null for DELETE). */
  readonly patchedObject: KubeObject | null;
  /** RFC 6902 patch from the request's object to `patchedObject`. */
  readonly patch: readonly JsonPatchOperation[];
  readonly warnings: readonly string[];
  /** Failures of enforced rules (what denies the request). */
  readonly enforcedFailures: readonly RuleFailure[];
  /** Failures of Audit rules: reported, never blocking. */
  readonly auditFailures: readonly RuleFailure[];
  readonly generated: readonly GeneratedObject[];
  /** Existing objects mutate-existing policies patched. */
  readonly mutatedTargets: readonly GeneratedObject[];
  /**
   * The request-wide limit that stopped the evaluation (its time, its signal, its total JMESPath,
   * substitution or CEL work): the rules left were errors naming it, so the outcome is incomplete.
   * A webhook answers such a request by its failure policy, as for its own deadline.
   */
  readonly stoppedBy?: LimitExceededError;
}

export interface AdmitOptions {
  readonly profile?: EvaluationProfile;
  /**
   * The phases to run, in Kyverno's order whatever the order given (default: every phase). A
   * webhook's mutating endpoint runs the mutating phases, its validating endpoint the validating ones.
   */
  readonly phases?: readonly Phase[];
  /**
   * Only the candidate policies this accepts are evaluated (a webhook endpoint's failure-policy
   * bucket or named policies). Keep one function per endpoint: answers are memoised by it.
   */
  readonly select?: (policy: CompiledSetPolicy) => boolean;
  /**
   * A monotonic clock in milliseconds (`performance.now`). With one, every policy is evaluated on
   * its own and its results carry `durationMs`; the engine never reads a clock itself.
   */
  readonly timer?: () => number;
  /**
   * Ports for the CEL and admission-policy kinds when they differ from the runtime's: Kyverno's CLI
   * answers their library calls from its own fake context (Context file objects and images, params,
   * mocks), apart from what legacy policies read. Defaults to `runtime.ports`.
   */
  readonly celPorts?: Ports;
}
