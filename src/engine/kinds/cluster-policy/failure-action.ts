/**
 * @module Enforce vs Audit for a validate rule: rule-level `failureActionOverrides`/`failureAction`,
 * then the deprecated spec-level overrides and `validationFailureAction` (default Audit).
 */
import { labelSelectorMatches } from '../../match/label-selector.js';
import { wildcardMatch } from '../../units/wildcard.js';
import type { FailureAction, FailureActionOverride, KyvernoPolicy, Rule } from './types.js';

export function normalizeAction(action: string | undefined): FailureAction | undefined {
  if (action === undefined) return undefined;
  // As written in most policies: no lowered copy (this runs per rule and resource).
  if (action === 'Enforce' || action === 'Audit') return action;
  const lower = action.toLowerCase();
  if (lower === 'enforce') return 'Enforce';
  if (lower === 'audit') return 'Audit';
  return undefined;
}

function overrideFor(
  overrides: readonly FailureActionOverride[] | undefined,
  namespace: string | undefined,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
): FailureAction | undefined {
  if (overrides === undefined) return undefined;
  for (const o of overrides) {
    const action = normalizeAction(o.action);
    if (action === undefined) continue;
    const byName = namespace !== undefined && (o.namespaces ?? []).some((p) => wildcardMatch(p, namespace));
    const bySelector =
      o.namespaceSelector !== undefined && labelSelectorMatches(o.namespaceSelector, namespaceLabels ?? {});
    if (byName || bySelector) return action;
  }
  return undefined;
}

/** A verifyImages rule's own action: any entry's Enforce wins, else the first one given. */
function verifyImagesAction(rule: Rule | undefined): FailureAction | undefined {
  let first: FailureAction | undefined;
  for (const entry of rule?.verifyImages ?? []) {
    const action = normalizeAction(
      typeof entry?.failureAction === 'string' ? entry.failureAction : undefined,
    );
    if (action === 'Enforce') return action;
    first ??= action;
  }
  return first;
}

/** The action applied when this rule fails for a resource in `namespace`. */
export function failureActionForRule(
  policy: KyvernoPolicy,
  rule: Rule | undefined,
  namespace: string | undefined,
  namespaceLabels?: Readonly<Record<string, string>>,
): FailureAction {
  const v = rule?.validate;
  return (
    overrideFor(v?.failureActionOverrides, namespace, namespaceLabels) ??
    normalizeAction(v?.failureAction) ??
    (v === undefined ? verifyImagesAction(rule) : undefined) ??
    overrideFor(policy.spec.validationFailureActionOverrides, namespace, namespaceLabels) ??
    normalizeAction(policy.spec.validationFailureAction) ??
    'Audit'
  );
}
