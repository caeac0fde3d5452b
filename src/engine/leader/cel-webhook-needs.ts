/**
 * @module The webhooks the CEL kinds need (Kyverno's buildWebhookRules): the resource rules of the
 * policy's matchConstraints, with those of its autogen variants, in the family of its kind.
 * GeneratingPolicies take all four operations (downstream clean-up needs UPDATE and DELETE).
 * A policy with valid matchConditions, `matchPolicy: Exact` or its own timeout gets a webhook of
 * its own (fine-grained), whose conditions the API server evaluates.
 */
import type { AutogenTarget } from '../kinds/cel-shared/autogen.js';
import type { MatchConstraints, NamedExpression, ResourceRule } from '../kinds/cel-shared/types.js';
import {
  conditionsForTargets,
  offloadable,
  POD_TARGET,
  restrictToCreate,
  validConditions,
} from './webhook-match-conditions.js';
import {
  type AdmissionOp,
  ALL_OPERATIONS,
  type MatchConditionNeed,
  type OwnWebhookNeed,
  type ResourceRuleNeed,
  type WebhookFamily,
  type WebhookNeed,
} from './webhook-needs.js';

/** One autogen variant as its webhook conditions need it. */
export interface AutogenConditions {
  /** Kyverno's autogen configuration name: `defaults`, `cronjobs`. */
  readonly config: string;
  readonly targets: readonly AutogenTarget[];
  /** The variant's (rewritten) matchConditions. */
  readonly matchConditions?: readonly NamedExpression[];
}

export interface CelNeedInput {
  readonly family: WebhookFamily;
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** The policy's spec: `evaluation.admission.enabled`, `webhookConfiguration.timeoutSeconds`. */
  readonly spec: object;
  readonly constraints: readonly (MatchConstraints | undefined)[];
  readonly namespaced: boolean;
  /** The namespace a namespaced policy is confined to (its own webhook selects it). */
  readonly namespace?: string;
  /** Every operation whatever the rules say (GeneratingPolicy). */
  readonly allOperations?: boolean;
  /** The autogen variants, asked for only when the policy gets its own webhook. */
  readonly autogen?: () => readonly AutogenConditions[];
  /** Its conditions filter CREATE requests only (GeneratingPolicy with synchronization). */
  readonly conditionsOnCreateOnly?: boolean;
}

interface CelSpec {
  readonly evaluation?: { readonly admission?: { readonly enabled?: boolean } };
  readonly webhookConfiguration?: { readonly timeoutSeconds?: number };
  readonly matchConstraints?: MatchConstraints;
  readonly matchConditions?: readonly NamedExpression[];
}

/** Kyverno's autogen CanAutoGen: the constraints select core/v1 pods only, without names or exclusions. */
function podsOnly(match: MatchConstraints | undefined): boolean {
  if (match === undefined || match === null) return false;
  const o = match.objectSelector;
  if (
    o !== undefined &&
    (Object.keys(o.matchLabels ?? {}).length > 0 || (o.matchExpressions ?? []).length > 0)
  )
    return false;
  if ((match.excludeResourceRules ?? []).length > 0) return false;
  const rules = match.resourceRules ?? [];
  if (rules.length !== 1) return false;
  const r = rules[0]!;
  const one = (list: readonly string[] | undefined, v: string) => list?.length === 1 && list[0] === v;
  return (
    (r.resourceNames ?? []).length === 0 &&
    one(r.apiGroups, '') &&
    one(r.apiVersions, 'v1') &&
    one(r.resources, 'pods')
  );
}

const offloaded = (conditions: readonly NamedExpression[] | undefined): MatchConditionNeed[] =>
  offloadable(validConditions(conditions) ?? []);

/** The policy's own webhook, or undefined when it shares its family's (Kyverno's `basic`). */
function ownWebhook(input: CelNeedInput, spec: CelSpec): OwnWebhookNeed | undefined {
  const match = spec.matchConstraints;
  const valid = validConditions(spec.matchConditions);
  const exact = match?.matchPolicy === 'Exact';
  if (valid === undefined && !exact && spec.webhookConfiguration?.timeoutSeconds === undefined)
    return undefined;
  let own = offloadable(valid ?? []);
  if (input.conditionsOnCreateOnly === true) own = restrictToCreate(own);
  const matchConditions = podsOnly(match) ? conditionsForTargets('', [POD_TARGET], own) : own;
  const variants = [...(input.autogen?.() ?? [])].sort((a, b) =>
    a.config < b.config ? -1 : a.config > b.config ? 1 : 0,
  );
  for (const v of variants)
    matchConditions.push(...conditionsForTargets(v.config, v.targets, offloaded(v.matchConditions)));
  const namespaceSelector =
    input.namespace !== undefined
      ? {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'In' as const, values: [input.namespace] },
          ],
        }
      : match?.namespaceSelector;
  return {
    matchConditions,
    matchPolicy: exact ? 'Exact' : 'Equivalent',
    ...(namespaceSelector !== undefined && namespaceSelector !== null ? { namespaceSelector } : {}),
    ...(match?.objectSelector !== undefined && match.objectSelector !== null
      ? { objectSelector: match.objectSelector }
      : {}),
  };
}

function operations(rule: ResourceRule, all: boolean): readonly AdmissionOp[] {
  const ops = rule.operations ?? [];
  if (all || ops.includes('*')) return ALL_OPERATIONS;
  return ALL_OPERATIONS.filter((o) => ops.includes(o));
}

export function celWebhookNeeds(input: CelNeedInput): WebhookNeed[] {
  const spec = input.spec as CelSpec;
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
  const own = ownWebhook(input, spec);
  return [
    {
      family: input.family,
      failurePolicy: input.failurePolicy,
      rules,
      namespaced: input.namespaced,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(own !== undefined ? { ownWebhook: own } : {}),
    },
  ];
}
