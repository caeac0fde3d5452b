/**
 * @module The webhooks the CEL kinds need (Kyverno's buildWebhookRules): the resource rules of the
 * policy's matchConstraints, with those of its autogen variants, in the family of its kind.
 * GeneratingPolicies take all four operations (downstream clean-up needs UPDATE and DELETE).
 */
import type { MatchConstraints, ResourceRule } from '../kinds/cel-shared/types.js';
import {
  type AdmissionOp,
  ALL_OPERATIONS,
  type ResourceRuleNeed,
  type WebhookFamily,
  type WebhookNeed,
} from './webhook-needs.js';

export interface CelNeedInput {
  readonly family: WebhookFamily;
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** The policy's spec: `evaluation.admission.enabled`, `webhookConfiguration.timeoutSeconds`. */
  readonly spec: object;
  readonly constraints: readonly (MatchConstraints | undefined)[];
  readonly namespaced: boolean;
  /** Every operation whatever the rules say (GeneratingPolicy). */
  readonly allOperations?: boolean;
}

function operations(rule: ResourceRule, all: boolean): readonly AdmissionOp[] {
  const ops = rule.operations ?? [];
  if (all || ops.includes('*')) return ALL_OPERATIONS;
  return ALL_OPERATIONS.filter((o) => ops.includes(o));
}

export function celWebhookNeeds(input: CelNeedInput): WebhookNeed[] {
  const spec = input.spec as {
    readonly evaluation?: { readonly admission?: { readonly enabled?: boolean } };
    readonly webhookConfiguration?: { readonly timeoutSeconds?: number };
  };
  if (spec.evaluation?.admission?.enabled === false) return [];
  const rules: ResourceRuleNeed[] = [];
  for (const c of input.constraints) {
    for (const r of c?.resourceRules ?? []) {
      const ops = operations(r, input.allOperations === true);
      if (ops.length === 0) continue;
      rules.push({
        apiGroups: r.apiGroups ?? [],
        apiVersions: r.apiVersions ?? [],
        resources: r.resources ?? [],
        operations: ops,
        scope: r.scope ?? '*',
      });
    }
  }
  if (rules.length === 0) return [];
  const timeoutSeconds = spec.webhookConfiguration?.timeoutSeconds;
  return [
    {
      family: input.family,
      failurePolicy: input.failurePolicy,
      rules,
      namespaced: input.namespaced,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    },
  ];
}
