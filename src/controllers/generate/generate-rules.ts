/**
 * @module What the generate controller needs to know of a policy's generate rules: whether they
 * synchronize or generate for existing triggers, which kinds trigger them (to list existing
 * triggers) and which kinds they generate (to find their downstream by label). Read from the
 * compiled ClusterPolicy/Policy's rules (after autogen), never trusting their shapes.
 */
import type { CompiledSetPolicy } from '../../engine/index.js';
import type { ResourceRuleRef } from '../../io/cluster/cluster-objects.js';

export interface KindRef {
  /** `''` when the policy names the kind alone. */
  readonly apiVersion: string;
  readonly kind: string;
}

export interface GenerateRuleInfo {
  /** The rule's name; `''` for a GeneratingPolicy, whose downstream carries no rule label. */
  readonly name: string;
  readonly synchronize: boolean;
  readonly generateExisting: boolean;
  readonly orphanDownstreamOnPolicyDelete: boolean;
  readonly triggerKinds: readonly KindRef[];
  readonly generatedKinds: readonly KindRef[];
  /**
   * Whether the controller, which evaluates a trigger as it is now with no admission user and as a
   * CREATE, can tell that the trigger no longer matches: not when the match names users, groups or
   * roles, or operations without CREATE (the trigger would merely look unmatched).
   */
  readonly rematchable: boolean;
  /** Matches DELETE: Kyverno generates on the trigger's deletion instead of deleting its downstream. */
  readonly generatesOnDelete: boolean;
  /** A GeneratingPolicy's triggers, by `matchConstraints.resourceRules` (resolved through discovery). */
  readonly triggerRules?: readonly ResourceRuleRef[];
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

/** Kyverno's kind notation: `Kind`, `version/Kind` or `group/version/Kind`; wildcards and variables are left out. */
export function kindRef(entry: string): KindRef | undefined {
  if (entry.includes('*') || entry.includes('{{') || entry === '') return undefined;
  const parts = entry.split('/');
  if (parts.length === 1) return { apiVersion: '', kind: entry };
  if (parts.length === 2) return { apiVersion: parts[0] ?? '', kind: parts[1] ?? '' };
  return { apiVersion: `${parts[0]}/${parts[1]}`, kind: parts[2] ?? '' };
}

function unique(kinds: readonly (KindRef | undefined)[]): KindRef[] {
  const seen = new Map<string, KindRef>();
  for (const k of kinds) if (k !== undefined) seen.set(`${k.apiVersion}/${k.kind}`, k);
  return [...seen.values()];
}

/** The kinds a rule's `match` names (any, all, resources). */
export function matchKinds(match: unknown): KindRef[] {
  if (!isMap(match)) return [];
  const filters = [
    ...(Array.isArray(match.any) ? match.any : []),
    ...(Array.isArray(match.all) ? match.all : []),
    ...(isMap(match.resources) ? [{ resources: match.resources }] : []),
  ];
  return unique(
    filters.flatMap((f) => (isMap(f) && isMap(f.resources) ? strings(f.resources.kinds).map(kindRef) : [])),
  );
}

function targetKind(block: Json): KindRef | undefined {
  const kind = typeof block.kind === 'string' ? block.kind : '';
  const apiVersion = typeof block.apiVersion === 'string' ? block.apiVersion : '';
  if (kind === '' || kind.includes('{{') || apiVersion.includes('{{')) return undefined;
  return { apiVersion, kind };
}

function generatedKinds(block: Json): KindRef[] {
  const parts = [block, ...(Array.isArray(block.foreach) ? block.foreach.filter(isMap) : [])];
  return unique(
    parts.flatMap((p) => [
      targetKind(p),
      ...(isMap(p.cloneList) ? strings(p.cloneList.kinds).map(kindRef) : []),
    ]),
  );
}

const USER_FIELDS = ['subjects', 'roles', 'clusterRoles'] as const;

const filtersOf = (block: unknown): Json[] =>
  isMap(block)
    ? [
        block,
        ...(Array.isArray(block.any) ? block.any : []),
        ...(Array.isArray(block.all) ? block.all : []),
      ].filter(isMap)
    : [];
const operationsOf = (filter: Json): string[] =>
  isMap(filter.resources) ? strings(filter.resources.operations) : [];

/** Whether `match` names users, or operations without CREATE, or `exclude` CREATE (see `rematchable`). */
function rematchable(rule: Json): boolean {
  for (const f of filtersOf(rule.match)) {
    if (USER_FIELDS.some((k) => Array.isArray(f[k]) && f[k].length > 0)) return false;
    const ops = operationsOf(f);
    if (ops.length > 0 && !ops.includes('CREATE')) return false;
  }
  return !filtersOf(rule.exclude).some((f) => operationsOf(f).includes('CREATE'));
}

/** The generate rules of a ClusterPolicy or Policy; none for other kinds. */
export function generateRulesOf(policy: CompiledSetPolicy): GenerateRuleInfo[] {
  if (policy.kind !== 'cluster-policy') return [];
  // The set keeps a legacy policy as its compiled form (`compiled.rules`, after autogen) split by rule type.
  const legacy = policy.compiled as { readonly compiled?: { readonly rules?: unknown } } | undefined;
  const rules = Array.isArray(legacy?.compiled?.rules) ? legacy.compiled.rules : [];
  return rules.flatMap((rule) => {
    if (!isMap(rule) || !isMap(rule.generate) || typeof rule.name !== 'string') return [];
    const g = rule.generate;
    return [
      {
        name: rule.name,
        synchronize: g.synchronize === true,
        generateExisting: g.generateExisting === true,
        orphanDownstreamOnPolicyDelete: g.orphanDownstreamOnPolicyDelete === true,
        triggerKinds: matchKinds(rule.match),
        generatedKinds: generatedKinds(g),
        rematchable: rematchable(rule),
        generatesOnDelete: filtersOf(rule.match).some((f) => operationsOf(f).includes('DELETE')),
      },
    ];
  });
}

/**
 * A GeneratingPolicy / NamespacedGeneratingPolicy as one rule named `''` (`spec.evaluation`): what
 * it generates is only known once evaluated, so its kinds are learnt from what it writes.
 */
export function generatingPolicyRule(policy: CompiledSetPolicy): GenerateRuleInfo | undefined {
  if (policy.kind !== 'generating-policy') return undefined;
  const compiled = policy.compiled as { readonly policy?: { readonly spec?: unknown } } | undefined;
  const spec = isMap(compiled?.policy?.spec) ? compiled.policy.spec : {};
  const evaluation = isMap(spec.evaluation) ? spec.evaluation : {};
  const enabled = (k: string): boolean => {
    const v = evaluation[k];
    return isMap(v) && v.enabled === true;
  };
  return {
    name: '',
    synchronize: enabled('synchronize'),
    generateExisting: enabled('generateExisting'),
    orphanDownstreamOnPolicyDelete: enabled('orphanDownstreamOnPolicyDelete'),
    triggerKinds: [],
    generatedKinds: [],
    // matchConstraints name no users; their operations must let a CREATE through.
    rematchable: createMatches(spec.matchConstraints),
    generatesOnDelete: operationListed(spec.matchConstraints, 'DELETE'),
    triggerRules: resourceRulesOf(spec.matchConstraints),
  };
}

function resourceRulesOf(constraints: unknown): ResourceRuleRef[] {
  const rules =
    isMap(constraints) && Array.isArray(constraints.resourceRules) ? constraints.resourceRules : [];
  return rules.filter(isMap).map((r) => ({
    apiGroups: strings(r.apiGroups),
    apiVersions: strings(r.apiVersions),
    resources: strings(r.resources),
  }));
}

function operationListed(constraints: unknown, operation: string): boolean {
  const rules =
    isMap(constraints) && Array.isArray(constraints.resourceRules) ? constraints.resourceRules : [];
  return rules.some((r) => isMap(r) && strings(r.operations).includes(operation));
}

function createMatches(constraints: unknown): boolean {
  const rules =
    isMap(constraints) && Array.isArray(constraints.resourceRules) ? constraints.resourceRules : [];
  return rules.some((r) => {
    const ops = isMap(r) ? strings(r.operations) : [];
    return ops.length === 0 || ops.includes('CREATE') || ops.includes('*');
  });
}

/** What the controller generates for: a ClusterPolicy/Policy's generate rules, or a GeneratingPolicy. */
export function generatorsOf(policy: CompiledSetPolicy): GenerateRuleInfo[] {
  const gpol = generatingPolicyRule(policy);
  return gpol !== undefined ? [gpol] : generateRulesOf(policy);
}
