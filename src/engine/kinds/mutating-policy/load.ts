/**
 * @module Decoded YAML → typed MutatingPolicy / NamespacedMutatingPolicy and Kubernetes
 * MutatingAdmissionPolicy / MutatingAdmissionPolicyBinding, with structural checks as Diagnostics.
 * CEL expressions are compiled later (mutating-policy.ts, mutating-admission-policy.ts). Never throws.
 */
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import {
  array,
  bool,
  enumOf,
  isPlainObject,
  object,
  req,
  type SchemaNode,
  string,
} from '../../schema/schema-dsl.js';
import {
  CEL_POLICY_VERSIONS,
  celDocument,
  enabled,
  loadCelDocument,
  matchResources,
  matchResourcesFields,
  namedExpression,
  paramRef,
  webhookConfiguration,
} from '../cel-shared/cel-document-load.js';
import type { MutatingAdmissionPolicy, MutatingAdmissionPolicyBinding, MutatingPolicy } from './types.js';

/** API versions served for MutatingAdmissionPolicy (+Binding). */
export const ADMISSION_POLICY_VERSIONS = [
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1',
] as const;

const mutation = object({
  patchType: req(enumOf(['ApplyConfiguration', 'JSONPatch'])),
  applyConfiguration: object({ expression: req(string()) }),
  jsonPatch: object({ expression: req(string()) }),
});

export const mutatingPolicySpec = object({
  matchConstraints: matchResources,
  matchConditions: array(namedExpression),
  variables: array(namedExpression),
  mutations: array(mutation),
  failurePolicy: enumOf(['Fail', 'Ignore']),
  reinvocationPolicy: enumOf(['Never', 'IfNeeded']),
  evaluation: object({
    admission: enabled,
    background: enabled,
    mode: enumOf(['Kubernetes', 'JSON']),
    mutateExisting: enabled,
    useServerSideApply: bool(),
    skipBackgroundRequests: bool(),
  }),
  autogen: object({
    podControllers: object({ controllers: array(string()) }),
    mutatingAdmissionPolicy: enabled,
  }),
  targetMatchConstraints: object({ ...matchResourcesFields, expression: string() }),
  targetMatchConditions: array(namedExpression),
  webhookConfiguration,
});

const mapSpec = object({
  paramKind: object({ apiVersion: string(), kind: string() }),
  matchConstraints: matchResources,
  matchConditions: array(namedExpression),
  variables: array(namedExpression),
  mutations: array(mutation),
  failurePolicy: enumOf(['Fail', 'Ignore']),
  reinvocationPolicy: enumOf(['Never', 'IfNeeded']),
});

const bindingSpec = object({
  policyName: string(),
  paramRef,
  matchResources,
});

const SCHEMAS: Readonly<Record<string, SchemaNode>> = {
  MutatingPolicy: celDocument('MutatingPolicy', mutatingPolicySpec),
  NamespacedMutatingPolicy: celDocument('NamespacedMutatingPolicy', mutatingPolicySpec),
  MutatingAdmissionPolicy: celDocument('MutatingAdmissionPolicy', mapSpec),
  MutatingAdmissionPolicyBinding: celDocument('MutatingAdmissionPolicyBinding', bindingSpec),
};

function mutationChecks(spec: unknown): Diagnostic[] {
  if (!isPlainObject(spec) || !Array.isArray(spec.mutations)) return [];
  const out: Diagnostic[] = [];
  spec.mutations.forEach((m, i) => {
    if (!isPlainObject(m)) return;
    const field = m.patchType === 'JSONPatch' ? 'jsonPatch' : 'applyConfiguration';
    // A patchType that is not a string is the schema's wrong-type error already.
    if (typeof m.patchType === 'string' && !isPlainObject(m[field])) {
      out.push(
        diagnostic('policy/missing-field', `patchType ${m.patchType} requires \`${field}.expression\``, [
          'spec',
          'mutations',
          i,
          field,
        ]),
      );
    }
  });
  return out;
}

function load<T>(doc: unknown, kinds: readonly string[], versions: readonly string[]): Result<T> {
  return loadCelDocument<T>(doc, {
    kinds,
    versions,
    schema: (kind) => SCHEMAS[kind]!,
    checks: (d) => mutationChecks(d.spec),
  });
}

/** Validates a MutatingPolicy or NamespacedMutatingPolicy. Never throws. */
export function loadMutatingPolicy(doc: unknown): Result<MutatingPolicy> {
  return load(doc, ['MutatingPolicy', 'NamespacedMutatingPolicy'], CEL_POLICY_VERSIONS);
}

/** Validates a Kubernetes MutatingAdmissionPolicy. Never throws. */
export function loadMutatingAdmissionPolicy(doc: unknown): Result<MutatingAdmissionPolicy> {
  return load(doc, ['MutatingAdmissionPolicy'], ADMISSION_POLICY_VERSIONS);
}

/** Validates a Kubernetes MutatingAdmissionPolicyBinding. Never throws. */
export function loadMutatingAdmissionPolicyBinding(doc: unknown): Result<MutatingAdmissionPolicyBinding> {
  return load(doc, ['MutatingAdmissionPolicyBinding'], ADMISSION_POLICY_VERSIONS);
}
