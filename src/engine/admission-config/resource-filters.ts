/**
 * @module The `resourceFilters` of Kyverno's `kyverno` ConfigMap (reference §9.5): `[Kind,Namespace,Name]`
 * entries whose matching admission requests are allowed without evaluating any policy. Mirrors
 * pkg/config/config.go (parseKinds, ToFilter) and pkg/webhooks/utils/exclude.go.
 */
import { parseKindSelector } from '../match/kind-selector.js';
import { wildcardMatch } from '../units/wildcard.js';

export interface ResourceFilter {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The Helm chart's defaults (charts/kyverno values.yaml `config.resourceFilters`), without the
 * entries that name Kyverno's own Deployments, roles and ConfigMaps.
 */
export const DEFAULT_RESOURCE_FILTERS =
  '[Event,*,*][*/*,kube-system,*][*/*,kube-public,*][*/*,kube-node-lease,*][Node,*,*][Node/?*,*,*]' +
  '[APIService,*,*][APIService/?*,*,*][TokenReview,*,*][SubjectAccessReview,*,*]' +
  '[SelfSubjectAccessReview,*,*][Binding,*,*][Pod/binding,*,*][ReplicaSet,*,*][ReplicaSet/?*,*,*]' +
  '[EphemeralReport,*,*][ClusterEphemeralReport,*,*]';

/** Kinds Kyverno never evaluates, whatever the filters say (its own report and request objects). */
const KYVERNO_KINDS = new Set([
  'AdmissionReport',
  'ClusterAdmissionReport',
  'BackgroundScanReport',
  'ClusterBackgroundScanReport',
  'UpdateRequest',
]);

const EMPTY: ResourceFilter = { group: '', version: '', kind: '', subresource: '', namespace: '', name: '' };

function filterOf(kind: string, namespace: string, name: string): ResourceFilter {
  if (kind === '') return EMPTY;
  const s = parseKindSelector(kind);
  return { group: s.group, version: s.version, kind: s.kind, subresource: s.subresource, namespace, name };
}

/** Every `[...]` entry of the text, as Kyverno reads it (1 to 3 comma-separated parts). Never throws. */
export function parseResourceFilters(text: string): ResourceFilter[] {
  const out: ResourceFilter[] = [];
  for (const m of text.matchAll(/\[([^[\]]*)\]/g)) {
    const parts = (m[1] ?? '').split(',');
    if (parts.length > 3) {
      // Kyverno keeps the previous entry for a malformed one; skipping it is the safer reading.
      continue;
    }
    out.push(filterOf(parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''));
  }
  return out;
}

export interface FilteredRequest {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly subResource?: string;
  readonly namespace: string;
  readonly name: string;
}

/** Whether the request is left alone: a filter matches it, or it is one of Kyverno's own kinds. */
export function isFilteredRequest(filters: readonly ResourceFilter[], request: FilteredRequest): boolean {
  const { group, version, kind } = request.kind;
  if (KYVERNO_KINDS.has(kind)) return true;
  const sub = request.subResource ?? '';
  for (const f of filters) {
    if (
      !wildcardMatch(f.group, group) ||
      !wildcardMatch(f.version, version) ||
      !wildcardMatch(f.kind, kind) ||
      !wildcardMatch(f.subresource, sub)
    )
      continue;
    if (wildcardMatch(f.namespace, request.namespace) && wildcardMatch(f.name, request.name)) return true;
    // A Namespace is filtered by its own name too: `[*,kube-system,*]` covers Namespace kube-system.
    if (group === '' && version === 'v1' && kind === 'Namespace' && wildcardMatch(f.namespace, request.name))
      return true;
  }
  return false;
}
