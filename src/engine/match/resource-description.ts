/**
 * @module The `resources` part of a resource filter: operations, kinds, name/names, namespaces,
 * annotations, selector and namespaceSelector, ANDed; OR within each list.
 * See Kyverno pkg/engine/utils/match.go (doesResourceMatchConditionBlock).
 */
import type { ResourceDescription } from '../kinds/cluster-policy/types.js';
import { wildcardMatch } from '../units/wildcard.js';
import { gvkOf, kindsMatch } from './kind-selector.js';
import { labelSelectorMatches } from './label-selector.js';
import type { MatchInput } from './match-input.js';

/** Labels/annotations that are not a mapping read as absent, as Kubernetes' unstructured accessors do. */
/**
 * The object's labels or annotations as Kyverno reads them (GetLabels/GetAnnotations, i.e.
 * NestedStringMap): a value that is neither a string nor null makes the whole map read as empty;
 * null values are left out.
 */
export function stringMapOrEmpty(v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  let out: Record<string, string> | undefined;
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'string') continue;
    if (value !== null) return {};
    out ??= { ...(v as Record<string, string>) };
    delete out[k];
  }
  return out ?? (v as Record<string, string>);
}

/** Presence-based emptiness, like Go's DeepEqual against a zero ResourceDescription. */
export function isEmptyResourceDescription(rd: ResourceDescription | undefined): boolean {
  if (rd == null) return true;
  return (
    rd.kinds == null &&
    !rd.name &&
    rd.names == null &&
    rd.namespaces == null &&
    rd.annotations == null &&
    rd.selector == null &&
    rd.namespaceSelector == null &&
    rd.operations == null
  );
}

/**
 * `exception` mode follows Kyverno's exception matcher, which differs on namespaceSelector: a
 * Namespace object or a kind-less object skips the check there instead of failing/being special-cased.
 */
export type MatchMode = 'rule' | 'exception';

export function resourceDescriptionMatches(
  rd: ResourceDescription,
  input: MatchInput,
  mode: MatchMode = 'rule',
): boolean {
  const resource = input.resource;
  const kind = resource.kind ?? '';
  const meta = resource.metadata ?? {};
  if (rd.operations && rd.operations.length > 0 && !rd.operations.some((o) => String(o) === input.operation))
    return false;
  if (rd.kinds && rd.kinds.length > 0) {
    const gvk = input.resourceKind ?? gvkOf(resource.apiVersion, resource.kind);
    if (!kindsMatch(rd.kinds, gvk, input.subresource ?? '', true, input.selectors)) return false;
  }
  // Objects created with generateName have no name yet at admission time.
  const name = String(meta.name || meta.generateName || '');
  if (rd.name && !wildcardMatch(String(rd.name), name)) return false;
  if (rd.names && rd.names.length > 0 && !rd.names.some((n) => wildcardMatch(String(n), name))) return false;
  if (rd.namespaces && rd.namespaces.length > 0) {
    // A Namespace object is matched by its own name.
    const ns = String(kind === 'Namespace' ? (meta.name ?? '') : (meta.namespace ?? ''));
    if (!rd.namespaces.some((p) => wildcardMatch(String(p), ns))) return false;
  }
  if (rd.annotations && Object.keys(rd.annotations).length > 0) {
    if (!annotationsMatch(rd.annotations, stringMapOrEmpty(meta.annotations))) return false;
  }
  if (rd.selector != null && !labelSelectorMatches(rd.selector, stringMapOrEmpty(meta.labels))) return false;
  if (rd.namespaceSelector != null && mode === 'exception') {
    if (kind !== 'Namespace' && kind !== '') {
      if (!labelSelectorMatches(rd.namespaceSelector, input.namespaceLabels ?? {})) return false;
    }
  } else if (rd.namespaceSelector != null) {
    if (kind === 'Namespace') return false;
    // Kyverno skips the check for kind-less objects unless the filter matches every kind.
    if (kind !== '' || (rd.kinds ?? []).includes('*')) {
      if (!labelSelectorMatches(rd.namespaceSelector, input.namespaceLabels ?? {})) return false;
    }
  }
  return true;
}

/** Each expected key/value pair must wildcard-match some annotation of the object. */
export function annotationsMatch(
  expected: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>>,
): boolean {
  const entries = Object.entries(actual);
  return Object.entries(expected).every(([k, v]) =>
    entries.some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(String(v), String(av))),
  );
}
