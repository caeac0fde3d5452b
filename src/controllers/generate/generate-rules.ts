/**
 * @module What the generate controller needs to know of a policy's generate rules: whether they
 * synchronize or generate for existing triggers, which kinds trigger them (to list existing
 * triggers) and which kinds they generate (to find their downstream by label). Read from the
 * compiled ClusterPolicy/Policy's rules (after autogen), never trusting their shapes.
 */
import type { CompiledSetPolicy } from '../../engine/index.js';

export interface KindRef {
  /** `''` when the policy names the kind alone. */
  readonly apiVersion: string;
  readonly kind: string;
}

export interface GenerateRuleInfo {
  readonly name: string;
  readonly synchronize: boolean;
  readonly generateExisting: boolean;
  readonly orphanDownstreamOnPolicyDelete: boolean;
  readonly triggerKinds: readonly KindRef[];
  readonly generatedKinds: readonly KindRef[];
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
      },
    ];
  });
}
