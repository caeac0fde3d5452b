/**
 * @module The policies.kyverno.io MutatingPolicy / NamespacedMutatingPolicy model and the Kubernetes
 * admissionregistration MutatingAdmissionPolicy (+Binding) model (reference §1.1, §1.4).
 */
import type { LabelSelector, ObjectMeta } from '../../model/kube-object.js';
import type { MatchConstraints, NamedExpression } from '../cel-shared/types.js';

export type PatchType = 'ApplyConfiguration' | 'JSONPatch';

/** One entry of `spec.mutations` (shared by MutatingPolicy and MutatingAdmissionPolicy). */
export interface Mutation {
  patchType: PatchType;
  applyConfiguration?: { expression: string };
  jsonPatch?: { expression: string };
}

export interface MutatingPolicySpec {
  matchConstraints?: MatchConstraints;
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  mutations?: Mutation[];
  failurePolicy?: 'Fail' | 'Ignore';
  reinvocationPolicy?: 'Never' | 'IfNeeded';
  evaluation?: {
    admission?: { enabled?: boolean };
    background?: { enabled?: boolean };
    mode?: 'Kubernetes' | 'JSON';
    mutateExisting?: { enabled?: boolean };
    /** Typed ApplyConfiguration patches may set atomic values (Kyverno's guard-free merge). */
    useServerSideApply?: boolean;
  };
  autogen?: {
    podControllers?: { controllers?: string[] };
    mutatingAdmissionPolicy?: { enabled?: boolean };
  };
  /** Mutate-existing targets: resource rules to list them by, or a CEL `expression` returning them. */
  targetMatchConstraints?: MatchConstraints & { expression?: string };
  /** Conditions each target must meet (instead of `matchConditions`, when targets are explicit). */
  targetMatchConditions?: NamedExpression[];
}

export type MutatingPolicyKind = 'MutatingPolicy' | 'NamespacedMutatingPolicy';

export interface MutatingPolicy {
  apiVersion: string;
  kind: MutatingPolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: MutatingPolicySpec;
}

/** admissionregistration.k8s.io MutatingAdmissionPolicy (v1alpha1 / v1beta1 / v1). */
export interface MutatingAdmissionPolicy {
  apiVersion: string;
  kind: 'MutatingAdmissionPolicy';
  metadata: ObjectMeta & { name: string };
  spec: {
    paramKind?: { apiVersion?: string; kind?: string };
    matchConstraints?: MatchConstraints;
    matchConditions?: NamedExpression[];
    variables?: NamedExpression[];
    mutations?: Mutation[];
    failurePolicy?: 'Fail' | 'Ignore';
    reinvocationPolicy?: 'Never' | 'IfNeeded';
  };
}

export interface MutatingAdmissionPolicyBinding {
  apiVersion: string;
  kind: 'MutatingAdmissionPolicyBinding';
  metadata: ObjectMeta & { name: string };
  spec: {
    policyName?: string;
    paramRef?: {
      name?: string;
      namespace?: string;
      selector?: LabelSelector;
      parameterNotFoundAction?: 'Allow' | 'Deny';
    };
    matchResources?: MatchConstraints;
  };
}
