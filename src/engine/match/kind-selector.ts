/**
 * @module Kind selectors in match/exclude (`Pod`, `v1/Pod`, `apps/v1/Deployment/scale`, `Pod.status`,
 * `*\/scale`, `*\/*`, `*`) and how they match a resource's group/version/kind and subresource.
 * Mirrors Kyverno pkg/utils/kube/kind.go (ParseKindSelector) and pkg/utils/match/kind.go (CheckKind).
 */
import { wildcardMatch } from '../units/wildcard.js';

export interface KindSelector {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly subresource: string;
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** `v1`, `v1beta2`, `v2alpha1` or `*`: decides whether a leading segment is a version. */
function isVersionSegment(s: string): boolean {
  if (s === '*') return true;
  const m = /^v(\d+)(?:(?:alpha|beta)(\d+))?$/.exec(s);
  return m !== null;
}

/**
 * Never throws; a selector with more than four segments yields empty parts (matches nothing useful).
 * Pure: a compiled policy parses its selectors once and keeps them (see `CompileMemo`).
 */
export function parseKindSelector(input: string): KindSelector {
  const slashParts = String(input).split('/');
  // Only the last segment may carry the `Kind.subresource` form.
  const last = slashParts.pop() ?? '';
  const parts = [...slashParts, ...last.split('.')];
  const sel = (group: string, version: string, kind: string, subresource: string): KindSelector => ({
    group,
    version,
    kind,
    subresource,
  });
  switch (parts.length) {
    case 1:
      return sel('*', '*', parts[0]!, '');
    case 2: {
      const [a, b] = parts as [string, string];
      if (a === '*' && b === '*') return sel('*', '*', '*', '*');
      // `*/status`: an all-lowercase second part after `*` is a subresource.
      if (a === '*' && b.toLowerCase() === b) return sel('*', '*', a, b);
      if (isVersionSegment(a)) return sel('*', a, b, '');
      return sel('*', '*', a, b);
    }
    case 3: {
      const [a, b, c] = parts as [string, string, string];
      if (isVersionSegment(a)) return sel('*', a, b, c);
      return sel(a, b, c, '');
    }
    case 4: {
      const [a, b, c, d] = parts as [string, string, string, string];
      return sel(a, b, c, d);
    }
    default:
      return sel('', '', '', '');
  }
}

/** Group and version from an object's apiVersion (`apps/v1` → apps, v1; `v1` → core group). */
export function gvkOf(apiVersion: string | undefined, kind: string | undefined): GroupVersionKind {
  const av = apiVersion ?? '';
  const slash = av.indexOf('/');
  if (slash < 0) return { group: '', version: av, kind: kind ?? '' };
  return { group: av.slice(0, slash), version: av.slice(slash + 1), kind: kind ?? '' };
}

/** Where parsed selectors are kept (a compiled policy's `CompileMemo`). */
export interface KindSelectorSource {
  kindSelector(selector: string): KindSelector;
  /** Every selector of a rule's `kinds` list, parsed (kept per list by an owner that can). */
  kindSelectors?(kinds: readonly string[]): readonly KindSelector[];
}

/**
 * True if any selector matches. A selector without subresource does not match subresource requests,
 * except that `Pod` also matches `pods/ephemeralcontainers` when allowEphemeralContainers is set
 * (Kyverno keeps this for backward compatibility). Selectors are parsed by `selectors` when given.
 */
export function kindsMatch(
  kinds: readonly string[],
  gvk: GroupVersionKind,
  subresource: string,
  allowEphemeralContainers: boolean,
  selectors?: KindSelectorSource,
): boolean {
  const parsed = Array.isArray(kinds) ? selectors?.kindSelectors?.(kinds) : undefined;
  for (let i = 0; i < kinds.length; i++) {
    const s =
      parsed?.[i] ??
      (selectors !== undefined
        ? selectors.kindSelector(String(kinds[i]))
        : parseKindSelector(String(kinds[i])));
    if (!wildcardMatch(s.group, gvk.group)) continue;
    if (!wildcardMatch(s.version, gvk.version)) continue;
    if (!wildcardMatch(s.kind, gvk.kind)) continue;
    if (wildcardMatch(s.subresource, subresource)) return true;
    if (
      allowEphemeralContainers &&
      gvk.group === '' &&
      gvk.version === 'v1' &&
      gvk.kind === 'Pod' &&
      subresource === 'ephemeralcontainers'
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Kyverno's ContainsKind: the kind part of any entry (GetKindFromGVK then without subresource)
 * equals `kind` exactly. Used by autogen, not by matching.
 */
export function kindListContains(list: readonly string[], kind: string): boolean {
  return list.some((entry) => kindNameOf(entry) === kind);
}

function kindNameOf(rawEntry: string): string {
  const entry = String(rawEntry);
  const parts = entry.split('/');
  const formatSub = (s: string): string => s.replace('.', '/');
  let k: string;
  switch (parts.length) {
    case 1:
      k = formatSub(entry);
      break;
    case 2:
      if (parts[0] === '*' && parts[1] === '*') k = '*/*';
      else if (isVersionSegment(parts[0]!)) k = formatSub(parts[1]!);
      else k = `${parts[0]}/${parts[1]}`;
      break;
    case 3:
      if (isVersionSegment(parts[0]!)) k = `${parts[1]}/${parts[2]}`;
      else k = formatSub(parts[2]!);
      break;
    case 4:
      k = `${parts[2]}/${parts[3]}`;
      break;
    default:
      k = '';
  }
  // SplitSubresource: only a two-part `Kind/sub` is split.
  const kp = k.split('/');
  return kp.length === 2 ? kp[0]! : k;
}
