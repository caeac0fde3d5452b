/**
 * @module Which collections a background scan lists: every resource the API server serves (from
 * discovery, subresources left out, one version per group and kind) that some background policy of
 * the set may match (its own namespace's for a namespaced policy), less what the resource filters
 * exclude for every object of the kind and the report kinds themselves.
 */
import {
  type DiscoveredResource,
  isFilteredRequest,
  type PolicySet,
  type ResourceFilter,
} from '../../engine/index.js';

export interface ScanTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** The collection path over every namespace, e.g. /apis/apps/v1/deployments. */
  readonly path: string;
}

/** Kinds never scanned: reports and ephemeral reports (Kyverno's own objects), and Events. */
const NEVER = new Set([
  'PolicyReport',
  'ClusterPolicyReport',
  'Report',
  'ClusterReport',
  'EphemeralReport',
  'ClusterEphemeralReport',
  'Event',
]);

export function scanTargets(
  set: PolicySet,
  discovery: readonly DiscoveredResource[],
  filters: readonly ResourceFilter[],
): ScanTarget[] {
  const namespaces = [
    '',
    ...new Set(set.policies.flatMap((p) => (p.ref.namespace !== undefined ? [p.ref.namespace] : []))),
  ];
  const seen = new Set<string>();
  const out: ScanTarget[] = [];
  for (const r of discovery) {
    if (r.resource.includes('/') || NEVER.has(r.kind)) continue;
    const key = `${r.group}/${r.kind}`;
    if (seen.has(key)) continue;
    const target = { kind: r.kind, resource: r.resource };
    const wanted = namespaces.some((ns) =>
      set.policiesFor(target, ns).some((p) => p.traits.background && (ns === '' || r.namespaced)),
    );
    if (!wanted) continue;
    // A filter naming the kind with any namespace and name excludes every object of it.
    const kind = { group: r.group, version: r.version, kind: r.kind };
    if (isFilteredRequest(filters, { kind, namespace: '\u0000', name: '\u0000' })) continue;
    seen.add(key);
    const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    out.push({
      apiVersion: r.group === '' ? r.version : `${r.group}/${r.version}`,
      kind: r.kind,
      namespaced: r.namespaced,
      path: `${base}/${r.resource}`,
    });
  }
  return out;
}
