/**
 * @module What the mutate-existing controller needs to know of a policy without evaluating it:
 * whether it mutates existing objects at all (ClusterPolicy/Policy rules with `mutate.targets`,
 * MutatingPolicies with `evaluation.mutateExisting.enabled`), whether a change of the policy applies
 * it to the existing triggers (`mutateExistingOnPolicyUpdate`; always for a MutatingPolicy, as
 * Kyverno's policy controller does), which kinds trigger it, and whether requests of
 * Palisade's own service account are skipped (`skipBackgroundRequests`, default true). Read from
 * the compiled policy's shape, never trusting it.
 */
import { type CompiledSetPolicy, kindOfResource } from '../../engine/index.js';
import { type KindRef, matchKinds } from '../generate/generate-rules.js';

export interface MutateExistingInfo {
  readonly onPolicyUpdate: boolean;
  readonly triggerKinds: readonly KindRef[];
  readonly skipBackgroundRequests: boolean;
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((s): s is string => typeof s === 'string');

function legacyInfo(policy: CompiledSetPolicy): MutateExistingInfo | undefined {
  const compiled = (policy.compiled as { compiled?: { rules?: unknown; policy?: { spec?: unknown } } })
    ?.compiled;
  const spec = isMap(compiled?.policy?.spec) ? compiled.policy.spec : {};
  const rules = list(compiled?.rules).filter(
    (r): r is Json => isMap(r) && isMap(r.mutate) && list(r.mutate.targets).length > 0,
  );
  if (rules.length === 0) return undefined;
  const onUpdate = (r: Json): boolean => {
    const own = (r.mutate as Json).mutateExistingOnPolicyUpdate;
    return typeof own === 'boolean' ? own : spec.mutateExistingOnPolicyUpdate === true;
  };
  const kinds = new Map<string, KindRef>();
  for (const r of rules) for (const k of matchKinds(r.match)) kinds.set(`${k.apiVersion}/${k.kind}`, k);
  return {
    onPolicyUpdate: rules.some(onUpdate),
    triggerKinds: [...kinds.values()],
    skipBackgroundRequests: rules.every((r) => r.skipBackgroundRequests !== false),
  };
}

function mutatingPolicyInfo(policy: CompiledSetPolicy): MutateExistingInfo | undefined {
  const compiled = policy.compiled as { mutateExisting?: unknown; policy?: { spec?: unknown } };
  if (compiled?.mutateExisting !== true) return undefined;
  const spec = isMap(compiled.policy?.spec) ? compiled.policy.spec : {};
  const constraints = isMap(spec.matchConstraints) ? spec.matchConstraints : {};
  const kinds = new Map<string, KindRef>();
  for (const rule of list(constraints.resourceRules).filter(isMap))
    for (const group of strings(rule.apiGroups))
      for (const version of strings(rule.apiVersions))
        for (const resource of strings(rule.resources)) {
          if (group === '*' || version === '*' || resource.includes('*')) continue;
          const apiVersion = group === '' ? version : `${group}/${version}`;
          const kind = kindOfResource(resource.split('/')[0] ?? '');
          kinds.set(`${apiVersion}/${kind}`, { apiVersion, kind });
        }
  return {
    onPolicyUpdate: true,
    triggerKinds: [...kinds.values()],
    skipBackgroundRequests: spec.skipBackgroundRequests !== false,
  };
}

// Read once per compiled policy: admission asks for every request a candidate policy may match.
const known = new WeakMap<object, MutateExistingInfo | null>();

/** The policy's mutate-existing traits, or undefined when it mutates no existing object. */
export function mutateExistingOf(policy: CompiledSetPolicy): MutateExistingInfo | undefined {
  const key = policy.compiled as object;
  let info = known.get(key);
  if (info === undefined) {
    info =
      (policy.kind === 'cluster-policy'
        ? legacyInfo(policy)
        : policy.kind === 'mutating-policy'
          ? mutatingPolicyInfo(policy)
          : undefined) ?? null;
    known.set(key, info);
  }
  return info ?? undefined;
}
