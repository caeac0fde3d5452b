/**
 * @module The Kyverno policy model (kyverno.io/v1 ClusterPolicy/Policy, kyverno.io/v2 PolicyException),
 * as plain data after YAML decoding. Field names follow the Kyverno CRDs exactly.
 */

import type { JsonObject, LabelSelector, ObjectMeta } from '../../model/kube-object.js';

export interface ResourceDescription {
  kinds?: string[];
  name?: string;
  names?: string[];
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  operations?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface UserInfoFilter {
  roles?: string[];
  clusterRoles?: string[];
  subjects?: Subject[];
}

export interface ResourceFilter extends UserInfoFilter {
  resources?: ResourceDescription;
}

export interface MatchResources extends UserInfoFilter {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
  /** Legacy form without any/all. */
  resources?: ResourceDescription;
}

export interface Condition {
  key?: unknown;
  operator?: string;
  value?: unknown;
  message?: string;
}

/** `{any, all}` or the legacy plain list (= all). */
export type Conditions = { any?: Condition[]; all?: Condition[] } | Condition[];

export interface ContextEntry {
  name: string;
  variable?: { value?: unknown; jmesPath?: string; default?: unknown };
  configMap?: { name: string; namespace?: string };
  apiCall?: {
    urlPath?: string;
    method?: 'GET' | 'POST';
    data?: { key: string; value: unknown }[];
    service?: { url: string; caBundle?: string; headers?: { key: string; value: string }[] };
    jmesPath?: string;
    default?: unknown;
  };
  imageRegistry?: { reference: string; jmesPath?: string; imageRegistryCredentials?: unknown };
  globalReference?: { name: string; jmesPath?: string };
}

export type FailureAction = 'Enforce' | 'Audit';

export interface FailureActionOverride {
  action?: string;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
}

export interface PodSecurityExclude {
  controlName: string;
  images?: string[];
  restrictedField?: string;
  values?: string[];
}

export interface PodSecuritySpec {
  level?: 'privileged' | 'baseline' | 'restricted';
  version?: string;
  exclude?: PodSecurityExclude[];
}

export interface ForEachValidation {
  list: string;
  elementScope?: boolean;
  context?: ContextEntry[];
  preconditions?: Conditions;
  pattern?: unknown;
  anyPattern?: unknown[];
  deny?: { conditions?: Conditions };
  foreach?: ForEachValidation[];
}

/** A Kubernetes ValidatingAdmissionPolicy `Validation` (validate.cel.expressions[]). */
export interface CelRuleExpression {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

/** `validate.cel`: a VAP-style validation embedded in a rule (reference §3.3). */
export interface CelValidate {
  expressions?: CelRuleExpression[];
  variables?: { name: string; expression: string }[];
  paramKind?: { apiVersion?: string; kind?: string };
  paramRef?: {
    name?: string;
    namespace?: string;
    selector?: LabelSelector;
    parameterNotFoundAction?: 'Allow' | 'Deny';
  };
  auditAnnotations?: { key: string; valueExpression: string }[];
  generate?: boolean;
}

/** A Kubernetes MatchCondition (rule.celPreconditions[]). */
export interface CelMatchCondition {
  name: string;
  expression: string;
}

export interface Validation {
  message?: string;
  failureAction?: string;
  failureActionOverrides?: FailureActionOverride[];
  allowExistingViolations?: boolean;
  pattern?: unknown;
  anyPattern?: unknown[];
  deny?: { conditions?: Conditions };
  foreach?: ForEachValidation[];
  podSecurity?: PodSecuritySpec;
  cel?: CelValidate;
  manifests?: JsonObject;
  assert?: unknown;
}

export interface Rule {
  name: string;
  match?: MatchResources;
  exclude?: MatchResources;
  context?: ContextEntry[];
  preconditions?: Conditions;
  celPreconditions?: CelMatchCondition[];
  reportProperties?: Record<string, string>;
  imageExtractors?: JsonObject;
  skipBackgroundRequests?: boolean;
  validate?: Validation;
  mutate?: JsonObject;
  generate?: JsonObject;
  verifyImages?: JsonObject[];
}

export interface PolicySpec {
  rules?: Rule[];
  validationFailureAction?: string;
  validationFailureActionOverrides?: FailureActionOverride[];
  background?: boolean;
  admission?: boolean;
  failurePolicy?: string;
  applyRules?: 'All' | 'One';
  emitWarning?: boolean;
  [key: string]: unknown;
}

/** kyverno.io ClusterPolicy or Policy. */
export interface KyvernoPolicy {
  apiVersion: string;
  kind: 'ClusterPolicy' | 'Policy';
  metadata: ObjectMeta & { name: string };
  spec: PolicySpec;
}

export interface PolicyExceptionSpec {
  exceptions: { policyName: string; ruleNames: string[] }[];
  match: MatchResources;
  conditions?: Conditions;
  podSecurity?: PodSecurityExclude[];
  background?: boolean;
}

/** kyverno.io/v2 (and v2beta1) PolicyException. */
export interface PolicyException {
  apiVersion: string;
  kind: 'PolicyException';
  metadata: ObjectMeta & { name: string };
  spec: PolicyExceptionSpec;
}
