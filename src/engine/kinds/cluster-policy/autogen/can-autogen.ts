/**
 * @module Whether a policy is eligible for Pod-controller rule generation at all (Kyverno CanAutoGen).
 * Decided for the whole policy: any generate rule or patchesJson6902 (also in foreach) disables it;
 * any match/exclude description using name, names, selector, annotations, or listing Pod together
 * with other kinds disables it; at least one description must name Pod or a controller kind.
 * See Kyverno pkg/autogen/v1/autogen.go.
 */
import { kindListContains } from '../../../match/kind-selector.js';
import type { MatchResources, PolicySpec, ResourceDescription, Rule } from '../types.js';

export const POD_CONTROLLERS: readonly string[] = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'CronJob',
];

const POD_AND_CONTROLLERS = new Set(['Pod', ...POD_CONTROLLERS]);

export function canAutoGen(spec: PolicySpec): boolean {
  let needed = false;
  for (const rule of spec.rules ?? []) {
    if (rule.generate != null || usesJsonPatch(rule)) return false;
    for (const rd of descriptionsOf(rule.match)) {
      if (!supportsAutogen(rd)) return false;
      // Exact kind strings, as Kyverno's set lookup: `v1/Pod` does not count here.
      if ((rd.kinds ?? []).some((k) => POD_AND_CONTROLLERS.has(k))) needed = true;
    }
    for (const rd of descriptionsOf(rule.exclude)) {
      if (!supportsAutogen(rd)) return false;
      if ((rd.kinds ?? []).some((k) => POD_AND_CONTROLLERS.has(k))) needed = true;
    }
  }
  return needed;
}

function usesJsonPatch(rule: Rule): boolean {
  const mutate = rule.mutate;
  if (mutate == null) return false;
  if (typeof mutate.patchesJson6902 === 'string' && mutate.patchesJson6902 !== '') return true;
  const foreach = Array.isArray(mutate.foreach) ? mutate.foreach : [];
  return foreach.some(
    (f) => isRecord(f) && typeof f.patchesJson6902 === 'string' && f.patchesJson6902 !== '',
  );
}

/** Top-level (legacy), any[] and all[] descriptions; an absent one counts as an empty description. */
function descriptionsOf(m: MatchResources | undefined): ResourceDescription[] {
  if (m == null) return [];
  return [
    m.resources ?? {},
    ...(m.any ?? []).map((f) => f.resources ?? {}),
    ...(m.all ?? []).map((f) => f.resources ?? {}),
  ];
}

function supportsAutogen(rd: ResourceDescription): boolean {
  if (rd.name || (rd.names?.length ?? 0) > 0 || rd.selector != null || rd.annotations != null) return false;
  const kinds = rd.kinds ?? [];
  return !(kinds.length > 1 && kindListContains(kinds, 'Pod'));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
