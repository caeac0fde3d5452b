/**
 * @module Internal model of the Pod Security Admission checks (k8s.io/pod-security-admission/policy),
 * as Kyverno runs them: every check reports field errors (`policy.WithFieldErrors()`).
 */

/** Loosely typed JSON object as decoded from YAML; fields are read defensively. */
export type JsonMap = Readonly<Record<string, unknown>>;

/** The pod metadata a check can see (Kyverno builds a `corev1.Pod` from it). */
export interface PodMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The bad value carried by a field error: Go's `string`, `bool`, `int` or `[]string`. */
export type BadValue = string | boolean | number | readonly string[];

/** An apimachinery `field.Error` restricted to the two types PSA emits. */
export interface FieldError {
  readonly type: 'Forbidden' | 'Required';
  /** Dotted path with `[i]` indexes and `[key]` map keys, e.g. `spec.containers[0].securityContext.privileged`. */
  readonly field: string;
  /** `""` when none was attached (Go's default for `field.Forbidden`/`field.Required`). */
  readonly badValue: BadValue;
}

export interface CheckResult {
  readonly allowed: boolean;
  readonly forbiddenReason?: string;
  readonly forbiddenDetail?: string;
  readonly errList?: readonly FieldError[];
}

export type CheckPodFn = (meta: PodMeta, spec: JsonMap) => CheckResult;

export interface VersionedCheck {
  /** Minor version of v1.<minor> this revision applies from. */
  readonly minimumVersion: number;
  readonly checkPod: CheckPodFn;
}

export interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  /** Strictly increasing minimum versions. */
  readonly versions: readonly VersionedCheck[];
}

/** A failed check, as Kyverno's `PSSCheckResult`. */
export interface PssCheckResult {
  readonly id: string;
  readonly result: CheckResult;
}

export const ALLOWED: CheckResult = { allowed: true };
