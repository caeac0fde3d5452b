/**
 * @module Decoded YAML → typed GeneratingPolicy, DeletingPolicy, ImageValidatingPolicy (and their
 * Namespaced variants) and Kubernetes ValidatingAdmissionPolicy / ValidatingAdmissionPolicyBinding,
 * with structural checks as Diagnostics. Only the fields the engine reads are typed; the rest of a
 * spec is accepted as is. CEL is compiled later. Never throws.
 */
import type { Result } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { any, array, enumOf, object, req, type SchemaNode, string } from '../../schema/schema-dsl.js';
import { cronScheduleProblem } from '../deleting-policy/cron-schedule.js';
import type { DeletingPolicy } from '../deleting-policy/deleting-policy.js';
import type { GeneratingPolicy } from '../generating-policy/generating-policy.js';
import type { ImageValidatingPolicy } from '../image-validating-policy/image-validating-policy.js';
import type {
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from '../validating-admission-policy/validating-admission-policy.js';
import {
  auditAnnotation,
  celDocument,
  celValidation,
  loadCelDocument,
  loadCelPolicyKind,
  matchResources,
  namedExpression,
  paramRef,
} from './cel-document-load.js';

/** API versions served for the Kubernetes admission policy kinds. */
export const ADMISSION_POLICY_VERSIONS = [
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1alpha1',
] as const;

export const generatingSpec = object(
  {
    matchConstraints: matchResources,
    matchConditions: array(namedExpression),
    variables: array(namedExpression),
    generate: req(
      array(
        object({
          expression: string(),
          template: object({ value: req(string()), interpolate: enumOf(['none', 'cel']) }),
        }),
      ),
    ),
  },
  { unknown: 'allow' },
);

export const deletingSpec = object(
  {
    schedule: req(string({ nonEmpty: true })),
    matchConstraints: matchResources,
    conditions: array(namedExpression),
    variables: array(namedExpression),
    deletionPropagationPolicy: enumOf(['Foreground', 'Background', 'Orphan']),
  },
  { unknown: 'allow' },
);

export const imageValidatingSpec = object(
  {
    matchConstraints: matchResources,
    matchConditions: array(namedExpression),
    variables: array(namedExpression),
    matchImageReferences: array(object({ glob: string(), expression: string() })),
    images: array(object({ name: req(string({ nonEmpty: true })), expression: req(string()) })),
    // Required by Kyverno's CRD: its CLI drops a document without them (`spec.attestors: Required value`).
    attestors: req(array(any())),
    validations: req(array(celValidation)),
    validationActions: array(enumOf(['Deny', 'Audit', 'Warn'])),
    failurePolicy: enumOf(['Fail', 'Ignore']),
  },
  { unknown: 'allow' },
);

const vapSpec = object(
  {
    paramKind: object({ apiVersion: string(), kind: string() }),
    matchConstraints: matchResources,
    validations: array(celValidation),
    failurePolicy: enumOf(['Fail', 'Ignore']),
    auditAnnotations: array(auditAnnotation),
    matchConditions: array(namedExpression),
    variables: array(namedExpression),
  },
  { unknown: 'allow' },
);

const vapBindingSpec = object({
  policyName: req(string({ nonEmpty: true })),
  paramRef,
  matchResources,
  validationActions: array(enumOf(['Deny', 'Audit', 'Warn'])),
});

/** Validates a GeneratingPolicy or NamespacedGeneratingPolicy. Never throws. */
export function loadGeneratingPolicy(doc: unknown): Result<GeneratingPolicy> {
  return loadCelPolicyKind<GeneratingPolicy>(
    doc,
    ['GeneratingPolicy', 'NamespacedGeneratingPolicy'],
    generatingSpec,
  );
}

/** Validates a DeletingPolicy or NamespacedDeletingPolicy; a bad cron `schedule` is an error. */
export function loadDeletingPolicy(doc: unknown): Result<DeletingPolicy> {
  return loadCelPolicyKind<DeletingPolicy>(
    doc,
    ['DeletingPolicy', 'NamespacedDeletingPolicy'],
    deletingSpec,
    (d) => {
      const schedule = (d.spec as Record<string, unknown>).schedule;
      if (typeof schedule !== 'string' || schedule === '') return [];
      const problem = cronScheduleProblem(schedule);
      return problem === undefined
        ? []
        : [
            diagnostic('policy/invalid-value', `invalid schedule ${JSON.stringify(schedule)}: ${problem}`, [
              'spec',
              'schedule',
            ]),
          ];
    },
  );
}

/** Validates an ImageValidatingPolicy or NamespacedImageValidatingPolicy. Never throws. */
export function loadImageValidatingPolicy(doc: unknown): Result<ImageValidatingPolicy> {
  return loadCelPolicyKind<ImageValidatingPolicy>(
    doc,
    ['ImageValidatingPolicy', 'NamespacedImageValidatingPolicy'],
    imageValidatingSpec,
  );
}

function loadAdmissionKind<T>(doc: unknown, kind: string, spec: SchemaNode): Result<T> {
  return loadCelDocument<T>(doc, {
    kinds: [kind],
    versions: ADMISSION_POLICY_VERSIONS,
    schema: () => celDocument(kind, spec),
  });
}

/** Validates a Kubernetes ValidatingAdmissionPolicy. Never throws. */
export function loadValidatingAdmissionPolicy(doc: unknown): Result<ValidatingAdmissionPolicy> {
  return loadAdmissionKind(doc, 'ValidatingAdmissionPolicy', vapSpec);
}

/** Validates a Kubernetes ValidatingAdmissionPolicyBinding. Never throws. */
export function loadValidatingAdmissionPolicyBinding(doc: unknown): Result<ValidatingAdmissionPolicyBinding> {
  return loadAdmissionKind(doc, 'ValidatingAdmissionPolicyBinding', vapBindingSpec);
}
