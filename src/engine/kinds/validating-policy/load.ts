/**
 * @module Decoded YAML → typed policies.kyverno.io ValidatingPolicy / NamespacedValidatingPolicy
 * and CEL PolicyException, with structural checks as Diagnostics (paths into the document). CEL
 * expressions are compiled later (validating-policy.ts). Never throws.
 */
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { any, array, bool, enumOf, isPlainObject, object, req, string } from '../../schema/schema-dsl.js';
import {
  auditAnnotation,
  CEL_POLICY_VERSIONS,
  celDocument,
  celValidation,
  enabled,
  loadCelDocument,
  loadCelPolicyKind,
  matchResources,
  namedExpression,
  webhookConfiguration,
} from '../cel-shared/cel-document-load.js';
import type { CelPolicyException, ValidatingPolicy } from '../cel-shared/types.js';

export { CEL_POLICY_VERSIONS } from '../cel-shared/cel-document-load.js';

export const validatingPolicySpec = object({
  matchConstraints: matchResources,
  matchConditions: array(namedExpression),
  variables: array(namedExpression),
  validations: array(celValidation),
  auditAnnotations: array(auditAnnotation),
  validationActions: array(enumOf(['Deny', 'Audit', 'Warn'])),
  failurePolicy: enumOf(['Fail', 'Ignore']),
  evaluation: object({
    admission: enabled,
    background: enabled,
    mode: enumOf(['Kubernetes', 'JSON', 'HTTP', 'Envoy']),
  }),
  autogen: object({
    podControllers: object({ controllers: array(string()) }),
    validatingAdmissionPolicy: enabled,
  }),
  webhookConfiguration,
  paramKind: any(),
});

export const CEL_EXCEPTION_SCHEMA = celDocument(
  'PolicyException',
  object({
    policyRefs: req(array(object({ name: req(string({ nonEmpty: true })), kind: req(string()) }))),
    matchConditions: array(namedExpression),
    images: array(string()),
    allowedValues: array(string()),
    reportResult: enumOf(['skip', 'pass']),
    expiresAt: string(),
    properties: any(),
    evaluationMode: any(),
    background: bool(),
  }),
);

function validationActionChecks(spec: Record<string, unknown>): Diagnostic[] {
  const actions = spec.validationActions;
  if (!Array.isArray(actions)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<unknown>();
  actions.forEach((a, i) => {
    if (seen.has(a)) {
      out.push(
        diagnostic('policy/invalid-value', `duplicate validation action ${JSON.stringify(a)}`, [
          'spec',
          'validationActions',
          i,
        ]),
      );
    }
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    out.push(
      diagnostic(
        'policy/invalid-value',
        'validationActions must not contain both Deny and Warn (a denied request cannot also warn)',
        ['spec', 'validationActions'],
      ),
    );
  }
  return out;
}

function uniqueNames(spec: Record<string, unknown>, field: 'variables' | 'matchConditions'): Diagnostic[] {
  const list = spec[field];
  if (!Array.isArray(list)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (!isPlainObject(v) || typeof v.name !== 'string') return;
    if (seen.has(v.name)) {
      out.push(
        diagnostic('policy/invalid-value', `duplicate name ${JSON.stringify(v.name)} in ${field}`, [
          'spec',
          field,
          i,
          'name',
        ]),
      );
    }
    seen.add(v.name);
  });
  return out;
}

/** Validates a ValidatingPolicy or NamespacedValidatingPolicy. Never throws. */
export function loadValidatingPolicy(doc: unknown): Result<ValidatingPolicy> {
  return loadCelPolicyKind<ValidatingPolicy>(
    doc,
    ['ValidatingPolicy', 'NamespacedValidatingPolicy'],
    validatingPolicySpec,
    (d) => {
      const spec = d.spec as Record<string, unknown>;
      const diags = [
        ...validationActionChecks(spec),
        ...uniqueNames(spec, 'variables'),
        ...uniqueNames(spec, 'matchConditions'),
      ];
      const mode = isPlainObject(spec.evaluation) ? spec.evaluation.mode : undefined;
      if ((mode === undefined || mode === 'Kubernetes') && spec.matchConstraints === undefined) {
        diags.push(
          diagnostic(
            'policy/missing-field',
            'without matchConstraints a Kubernetes-mode policy matches no resource',
            ['spec', 'matchConstraints'],
            { severity: 'warning' },
          ),
        );
      }
      return diags;
    },
  );
}

/** Validates a policies.kyverno.io PolicyException. Never throws. */
export function loadCelPolicyException(doc: unknown): Result<CelPolicyException> {
  return loadCelDocument<CelPolicyException>(doc, {
    kinds: ['PolicyException'],
    versions: CEL_POLICY_VERSIONS,
    schema: () => CEL_EXCEPTION_SCHEMA,
    checks: (d) => {
      const spec = d.spec;
      if (!isPlainObject(spec) || !Array.isArray(spec.policyRefs) || spec.policyRefs.length !== 0) return [];
      return [
        diagnostic('policy/missing-field', 'at least one entry is required in `policyRefs`', [
          'spec',
          'policyRefs',
        ]),
      ];
    },
  });
}
