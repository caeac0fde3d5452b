/** @module Verdicts: what evaluating a policy against a resource returns. */
import type { FieldPath } from '../diagnostics/diagnostic.js';
import type { KubeObject } from '../model/kube-object.js';

/** Exactly Kyverno's rule statuses. */
export type RuleStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export type RuleType = 'Validation' | 'Mutation' | 'Generation' | 'ImageVerify';

export interface RuleResult {
  readonly name: string;
  readonly type: RuleType;
  readonly status: RuleStatus;
  readonly message: string;
  /** Where in the resource the failure is, when known (Kyverno's `/spec/containers/0/` path). */
  readonly path?: FieldPath;
  /** PolicyExceptions that turned this rule into a skip, as `ns/name`. */
  readonly exceptions?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
  /** Generate rules: the objects the rule wants to exist (the engine never writes them). */
  readonly generatedResources?: readonly KubeObject[];
  /**
   * Generate rules: why the objects could not be computed (a clone source not found, a variable
   * that does not resolve). The rule still passes: Kyverno's engine answers once match, context and
   * preconditions hold, and building the objects is the background controller's, whose failure
   * is an event and a log line, not the verdict (the CLI logs it and keeps the `pass`).
   */
  readonly generateError?: string;
  /** Mutate-existing rules: the patched target objects. */
  readonly patchedTargets?: readonly KubeObject[];
  /** The subresource each patched target is written to (`''`: the object itself), by index. */
  readonly patchedTargetSubresources?: readonly string[];
  /**
   * Mutate-existing rules: Kyverno's own responses, one per target (a failure to load the targets
   * first), which this result folds; `apply` reports each, as Kyverno's CLI does.
   */
  readonly targetResults?: readonly {
    readonly status: RuleStatus;
    readonly message: string;
    /** A `pass`: the target as patched (also when another target's error makes the rule an `error`). */
    readonly patched?: KubeObject;
  }[];
  /** Present for podSecurity rules: the failed PSS checks. */
  readonly podSecurityChecks?: readonly PodSecurityCheckResult[];
}

export interface PodSecurityCheckResult {
  readonly id: string;
  readonly allowed: boolean;
  readonly forbiddenReason?: string;
  readonly forbiddenDetail?: string;
}

export interface PolicyResponse {
  /** `name` for ClusterPolicy, `namespace/name` for Policy. */
  readonly policyKey: string;
  readonly policyName: string;
  readonly policyNamespace?: string;
  readonly policyKind: string;
  readonly resource: KubeObject;
  /** The resource after mutation; equal to `resource` when nothing changed. */
  readonly patchedResource: KubeObject;
  readonly rules: readonly RuleResult[];
  /** Resolved failure action of the policy (for `--audit-warn` and reports). */
  readonly validationFailureAction: 'Enforce' | 'Audit';
}
