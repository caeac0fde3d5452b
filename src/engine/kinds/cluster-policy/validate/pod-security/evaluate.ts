/**
 * @module `validate.podSecurity`: runs the Pod Security Standards checks on a Pod or pod controller
 * as Kyverno does (pkg/engine/handlers/validation/validate_pss.go, pkg/pss/evaluate.go).
 */

import type { PodSecurityCheckResult } from '../../../../verdict/types.js';
import type { PodSecurityExclude, PodSecuritySpec } from '../../types.js';
import { applyExclusions } from './excludes.js';
import { convertFieldPaths, formatChecks } from './format.js';
import { extractPod } from './pod-spec.js';
import { keptChecks } from './run-checks.js';
import type { PssCheckResult } from './types.js';
import { parseLevelVersion } from './version.js';

export { PodSecurityDecodeError, PodSecurityResourceError } from './pod-spec.js';
export { PodSecurityVersionError } from './version.js';

export interface PodSecurityOutcome {
  readonly allowed: boolean;
  /** The failed checks, after the rule's and the extra excludes. */
  readonly checks: readonly PodSecurityCheckResult[];
  readonly message: string;
  /**
   * True when the rule failed on its own and only `extraExcludes` (PolicyException podSecurity)
   * made it pass: Kyverno reports that as `skip` ("rule skipped due to policy exception <ns/name>").
   */
  readonly exemptedByExtraExcludes: boolean;
}

function toVerdictChecks(checks: readonly PssCheckResult[]): PodSecurityCheckResult[] {
  return checks.map((c) => {
    const out: { id: string; allowed: boolean; forbiddenReason?: string; forbiddenDetail?: string } = {
      id: c.id,
      allowed: false,
    };
    if (c.result.forbiddenReason !== undefined) out.forbiddenReason = c.result.forbiddenReason;
    if (c.result.forbiddenDetail !== undefined) out.forbiddenDetail = c.result.forbiddenDetail;
    return out;
  });
}

/**
 * Throws PodSecurityVersionError for a malformed `version` and PodSecurityResourceError for a kind
 * without a pod template; Kyverno turns both into a rule `error`.
 */
export function evaluatePodSecurity(
  ruleName: string,
  spec: PodSecuritySpec,
  resource: object,
  extraExcludes: readonly PodSecurityExclude[] = [],
): PodSecurityOutcome {
  const pod = extractPod(resource);
  const lv = parseLevelVersion(spec.level, spec.version);
  let checks: readonly PssCheckResult[] = keptChecks(lv, pod);
  const excludes = spec.exclude ?? [];
  if (excludes.length > 0) checks = applyExclusions(lv, excludes, checks, pod);
  if (checks.length > 0) checks = convertFieldPaths(checks, pod.kind);
  if (checks.length === 0) {
    return {
      allowed: true,
      checks: [],
      message: `Validation rule '${ruleName}' passed.`,
      exemptedByExtraExcludes: false,
    };
  }
  // Exceptions are matched against the already rewritten paths, as in Kyverno.
  if (extraExcludes.length > 0) {
    checks = applyExclusions(lv, extraExcludes, checks, pod);
    if (checks.length === 0) {
      return {
        allowed: true,
        checks: [],
        message: `Validation rule '${ruleName}' passed.`,
        exemptedByExtraExcludes: true,
      };
    }
  }
  return {
    allowed: false,
    checks: toVerdictChecks(checks),
    message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${spec.level ?? ''}:${spec.version ?? ''}": ${formatChecks(checks)}`,
    exemptedByExtraExcludes: false,
  };
}
