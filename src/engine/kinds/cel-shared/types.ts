/**
 * @module The policies.kyverno.io model (v1alpha1, v1beta1, v1): ValidatingPolicy,
 * NamespacedValidatingPolicy and the CEL PolicyException, plus the Kubernetes admission
 * `MatchResources` shape their `matchConstraints` use (reference §1.1, §1.4).
 */
import type { LabelSelector, ObjectMeta } from '../../model/kube-object.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*';

/** admissionregistration.k8s.io/v1 RuleWithOperations (+ resourceNames of NamedRuleWithOperations). */
export interface ResourceRule {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  operations?: AdmissionOperation[];
  /** `*` (default), `Cluster` or `Namespaced`. */
  scope?: '*' | 'Cluster' | 'Namespaced';
  resourceNames?: string[];
}

export interface MatchConstraints {
  resourceRules?: ResourceRule[];
  excludeResourceRules?: ResourceRule[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  matchPolicy?: 'Exact' | 'Equivalent';
}

export interface NamedExpression {
  name: string;
  expression: string;
}

export interface CelValidation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

export interface AuditAnnotation {
  key: string;
  valueExpression: string;
}

export type ValidationAction = 'Deny' | 'Audit' | 'Warn';

export interface ValidatingPolicySpec {
  matchConstraints?: MatchConstraints;
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  validations?: CelValidation[];
  auditAnnotations?: AuditAnnotation[];
  validationActions?: ValidationAction[];
  failurePolicy?: 'Fail' | 'Ignore';
  evaluation?: {
    admission?: { enabled?: boolean };
    background?: { enabled?: boolean };
    mode?: 'Kubernetes' | 'JSON' | 'HTTP' | 'Envoy';
  };
  autogen?: {
    podControllers?: { controllers?: string[] };
    validatingAdmissionPolicy?: { enabled?: boolean };
  };
  webhookConfiguration?: { timeoutSeconds?: number };
}

export type ValidatingPolicyKind = 'ValidatingPolicy' | 'NamespacedValidatingPolicy';

export interface ValidatingPolicy {
  apiVersion: string;
  kind: ValidatingPolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: ValidatingPolicySpec;
}

export interface PolicyRef {
  name: string;
  kind: string;
}

export interface CelPolicyExceptionSpec {
  policyRefs: PolicyRef[];
  matchConditions?: NamedExpression[];
  /** Exposed to CEL as `exceptions.allowedImages`. */
  images?: string[];
  /** Exposed to CEL as `exceptions.allowedValues`. */
  allowedValues?: string[];
  /** Result reported when the exception applies: `skip` (default) or `pass`. */
  reportResult?: 'skip' | 'pass';
}

/** policies.kyverno.io PolicyException (exceptions for CEL policies). */
export interface CelPolicyException {
  apiVersion: string;
  kind: 'PolicyException';
  metadata: ObjectMeta & { name: string };
  spec: CelPolicyExceptionSpec;
}
