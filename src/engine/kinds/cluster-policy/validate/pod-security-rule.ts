/** @module `validate.podSecurity` rule handler: PSS checks plus exclusions from PolicyExceptions. */

import { ruleError, ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { PodSecurityExclude, PolicyException, Rule } from '../types.js';
import {
  evaluatePodSecurity,
  PodSecurityDecodeError,
  type PodSecurityOutcome,
  PodSecurityResourceError,
  PodSecurityVersionError,
} from './pod-security/evaluate.js';

const NO_EXCLUDES: readonly PodSecurityExclude[] = Object.freeze([]);

/**
 * Exceptions without `podSecurity` skip the rule (handled by the caller); those with it only add
 * control exclusions, so the checks still run. A pod that passes only thanks to those exclusions is
 * reported as skipped, as Kyverno does.
 */
export function validatePodSecurityRule(
  rule: Rule,
  resource: unknown,
  exceptions: readonly { readonly key: string; readonly exception: PolicyException }[],
): RuleResult | undefined {
  const spec = rule.validate?.podSecurity;
  if (spec === undefined) return undefined;
  if (typeof resource !== 'object' || resource === null || !hasOwnKey(resource)) return undefined;
  const extra: readonly PodSecurityExclude[] =
    exceptions.length === 0 ? NO_EXCLUDES : exceptions.flatMap((e) => e.exception.spec.podSecurity ?? []);
  let outcome: PodSecurityOutcome;
  try {
    outcome = evaluatePodSecurity(rule.name, spec, resource, extra);
  } catch (err) {
    return ruleError(rule.name, 'Validation', errorText(err), err);
  }
  if (outcome.exemptedByExtraExcludes) {
    const keys = exceptions.map((e) => e.key);
    return {
      ...ruleResult(
        rule.name,
        'Validation',
        'skip',
        `rule skipped due to policy exception ${keys.join(', ')}`,
      ),
      exceptions: keys,
    };
  }
  if (outcome.allowed) return ruleResult(rule.name, 'Validation', 'pass', outcome.message);
  // ruleResult's keys then the checks, as a literal: a spread of it was the slow path (per failing pod).
  return {
    name: rule.name,
    type: 'Validation',
    status: 'fail',
    message: outcome.message,
    podSecurityChecks: outcome.checks,
  };
}

/** `Object.keys(o).length > 0` without the array (once per podSecurity rule and resource). */
function hasOwnKey(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

/** Kyverno's wording for each way the handler can stop before the checks run. */
function errorText(err: unknown): string {
  if (err instanceof PodSecurityDecodeError || err instanceof PodSecurityResourceError)
    return 'Error while getting new resource';
  if (err instanceof PodSecurityVersionError) return 'failed to parse pod security api version';
  return 'failed to evaluate pod security';
}
