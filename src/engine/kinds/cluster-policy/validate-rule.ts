/** @module Dispatches a validate rule to its sub-rule handler (pattern, anyPattern, deny, foreach, podSecurity, cel). */

import type { RuleResult } from '../../verdict/types.js';
import { exceptionKey } from '../policy-exception/rule-exceptions.js';
import type { PolicyException } from './types.js';
import { validateCelRule } from './validate/cel.js';
import { runValidator } from './validate/foreach.js';
import { validateManifestsRule } from './validate/manifests/verify-manifest.js';
import { validatePodSecurityRule } from './validate/pod-security-rule.js';
import type { RuleEnv } from './validate/rule-env.js';

// Most rules have no exception: one empty list, not one per rule and resource.
const NO_EXCEPTIONS: readonly { readonly key: string; readonly exception: PolicyException }[] = Object.freeze(
  [],
);

export function validateRule(env: RuleEnv, exceptions: readonly PolicyException[]): RuleResult | undefined {
  const { rule } = env;
  const validate = rule.validate ?? {};
  if (validate.podSecurity !== undefined) {
    return validatePodSecurityRule(
      rule,
      env.resource,
      exceptions.length === 0
        ? NO_EXCEPTIONS
        : exceptions.map((e) => ({ key: exceptionKey(e), exception: e })),
    );
  }
  if (validate.cel !== undefined) {
    return validateCelRule(env);
  }
  if (validate.manifests !== undefined) {
    // Kyverno has no manifest handler for DELETE requests.
    if (env.request.operation === 'DELETE') return undefined;
    return validateManifestsRule(
      rule,
      env.ctx.query('request.object'),
      env.request.requestInfo?.dryRun === true,
    );
  }
  return runValidator(validate, env);
}
