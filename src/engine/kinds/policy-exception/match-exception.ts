/**
 * @module Whether a kyverno.io PolicyException applies to one rule evaluation (kyverno.io "Policy
 * Exceptions"; Kyverno api/kyverno/v2 Exception.Contains and pkg/engine/utils/exceptions.go).
 * `policyName` is compared exactly (`<namespace>/<name>` for a namespaced Policy, `<name>` for a
 * ClusterPolicy); `ruleNames` entries are wildcards matched against the evaluated rule's own name.
 * Autogen rules are not mapped back to their base rule: an exception must list `autogen-<rule>` /
 * `autogen-cronjob-<rule>` (or a wildcard such as `*<rule>`) to cover Pod controllers, as the docs
 * show. `spec.conditions` are evaluated by the caller.
 */
import type { MatchInput } from '../../match/match-input.js';
import { resourcesMatch } from '../../match/match-rule.js';
import { wildcardMatch } from '../../units/wildcard.js';
import type { PolicyException } from '../cluster-policy/types.js';

/** `ns/name` for a namespaced Policy, `name` for a ClusterPolicy: the key exceptions refer to. */
export function policyKeyOf(policy: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  const ns = policy.metadata.namespace;
  return policy.kind === 'Policy' && ns ? `${ns}/${policy.metadata.name}` : policy.metadata.name;
}

/** True if some `spec.exceptions[]` entry names this policy and rule. */
export function exceptionCoversRule(
  exception: PolicyException,
  policyKey: string,
  ruleName: string,
): boolean {
  return (exception.spec?.exceptions ?? []).some(
    (e) => e.policyName === policyKey && (e.ruleNames ?? []).some((r) => wildcardMatch(String(r), ruleName)),
  );
}

/** `spec.match` (any/all only; an empty match applies to nothing). Never throws. */
export function exceptionMatchesResource(exception: PolicyException, input: MatchInput): boolean {
  return resourcesMatch(exception.spec.match ?? {}, input, 'exception');
}

/** Never throws. Rule coverage AND `spec.match`. */
export function exceptionApplies(
  exception: PolicyException,
  policyKey: string,
  ruleName: string,
  input: MatchInput,
): boolean {
  return exceptionCoversRule(exception, policyKey, ruleName) && exceptionMatchesResource(exception, input);
}
