/**
 * @module Mutate rule handler (Kyverno `handlers/mutation/mutate_resource.go`,
 * `mutate_existing.go`): a plain patch, a foreach, or — with `targets` — patches of other
 * resources read from the cluster port. Results: `pass` "mutated <Kind>/<name>[ in namespace <ns>]",
 * `skip` "no patches applied" / "<n> elements processed", `error` "<step>: <reason>".
 */

import { isMap } from '../../../model/json-map.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { ruleResult } from '../../../verdict/rule-result.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { RuleEnv } from '../validate/rule-env.js';
import { EMPTIED_RESOURCE } from './emptied-resource.js';
import { mutateExisting } from './existing.js';
import { mutateForEach } from './foreach.js';
import { patchResource, successMessage } from './patch-resource.js';

export interface MutateOutcome {
  /** No result when the rule does not apply (e.g. mutate-existing during admission). */
  readonly result?: RuleResult;
  /** The resource after this rule; the input when nothing changed. */
  readonly resource: KubeObject;
}

/** Applies one mutate rule to `env.resource`; never throws. */
export function mutateRule(env: RuleEnv & { readonly resource: KubeObject }): MutateOutcome {
  const { rule, resource } = env;
  const mutate = rule.mutate;
  if (!isMap(mutate)) {
    return {
      resource: EMPTIED_RESOURCE,
      result: ruleResult(rule.name, 'Mutation', 'error', 'empty mutate rule'),
    };
  }
  if (Array.isArray(mutate.targets) && mutate.targets.length > 0) {
    const result = mutateExisting(env, mutate);
    return result === undefined ? { resource } : { resource, result };
  }
  const outcome =
    mutate.foreach !== undefined
      ? mutateForEach(mutate.foreach, { ...env, objectVariable: 'request.object' }, resource, 0)
      : patchResource(mutate, env.ctx, resource, {
          operation: env.request.operation,
          basePath: '/mutate',
          forbidPathVariablesIn: rule.name,
        });
  if (outcome.status === 'pass') {
    return {
      resource: outcome.resource,
      result: ruleResult(rule.name, 'Mutation', 'pass', successMessage(outcome.resource)),
    };
  }
  // Kyverno's error response carries an empty object, and the rules and policies after go on with it.
  const after = outcome.status === 'error' ? EMPTIED_RESOURCE : resource;
  return { resource: after, result: ruleResult(rule.name, 'Mutation', outcome.status, outcome.message) };
}
