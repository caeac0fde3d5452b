/** @module Kyverno's podSecurity failure text (pss.FormatChecksPrint) and controller path rewriting. */

import { sprint } from '../../../../primitives/go-sprint.js';
import { TEMPLATE_KINDS } from './pod-spec.js';
import type { FieldError, PssCheckResult } from './types.js';

/** apimachinery `field.Error.Error()` for the two types PSA emits (no detail is ever set). */
function errorString(err: FieldError): string {
  return `${err.field}: ${err.type === 'Required' ? 'Required value' : 'Forbidden'}`;
}

function formatFieldError(err: FieldError): string {
  if (err.type === 'Forbidden' && err.badValue !== '') {
    return `${err.field} is forbidden, forbidden values found: ${sprint(err.badValue, 'int64-if-integral')}`;
  }
  return errorString(err);
}

export function formatChecks(checks: readonly PssCheckResult[]): string {
  return checks
    .map(
      (c) =>
        `(Forbidden reason: ${c.result.forbiddenReason ?? ''}, field error list: [${(c.result.errList ?? []).map(formatFieldError).join(', ')}])`,
    )
    .join('');
}

/**
 * Kyverno's convertChecks: field paths are rewritten for pod controllers by plain substring
 * replacement, and `metadata` becomes `spec.template.metadata` for every kind (Pods included).
 */
export function convertFieldPaths(checks: readonly PssCheckResult[], kind: string): PssCheckResult[] {
  const specPrefix = TEMPLATE_KINDS.has(kind)
    ? 'spec.template.spec'
    : kind === 'CronJob'
      ? 'spec.jobTemplate.spec.template.spec'
      : undefined;
  return checks.map((c) => {
    const errList = (c.result.errList ?? []).map((e) => {
      let field = specPrefix === undefined ? e.field : e.field.replaceAll('spec', specPrefix);
      field = field.replaceAll('metadata', 'spec.template.metadata');
      // Built in FieldError's own key order (helpers' forbidden/required) instead of a spread per
      // error; a Pod's path without `metadata` is unchanged, so its error is kept (nothing changes one).
      return field === e.field ? e : { type: e.type, field, badValue: e.badValue };
    });
    return { id: c.id, result: { ...c.result, errList } };
  });
}
