/**
 * @module Kubernetes label selectors as Kyverno evaluates them in match/exclude `selector` and
 * `namespaceSelector`: matchLabels keys/values may hold `*`/`?` wildcards, expanded against the
 * object's labels first (an unmatched wildcard becomes `0`, as Kyverno does), then the selector is
 * validated and evaluated like metav1.LabelSelectorAsSelector. An invalid selector matches nothing.
 * See Kyverno pkg/utils/match/labels.go and pkg/engine/wildcards/wildcards.go.
 */
import type { LabelSelector, LabelSelectorRequirement } from '../model/kube-object.js';
import { hasWildcard, wildcardMatch } from '../units/wildcard.js';

type Labels = Readonly<Record<string, string>>;

/** Never throws. `{}` matches everything; a malformed selector matches nothing. */
export function labelSelectorMatches(selector: LabelSelector, rawLabels: Labels): boolean {
  // YAML may decode `version: 1` as a number; Kubernetes label values are strings.
  const labels: Labels = Object.fromEntries(Object.entries(rawLabels).map(([k, v]) => [k, String(v)]));
  const matchLabels = expandWildcards(selector.matchLabels ?? {}, labels);
  for (const [k, v] of Object.entries(matchLabels)) {
    if (!isQualifiedName(k) || !isLabelValue(v)) return false;
    if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const ok = requirementMatches(req, labels);
    if (ok === undefined || !ok) return false;
  }
  return true;
}

/** Kyverno's replaceWildcardsInMapKeyValues: a wildcard pair takes the first label it matches. */
function expandWildcards(pattern: Labels, labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(pattern)) {
    const value = String(v);
    if (!hasWildcard(k) && !hasWildcard(value)) {
      out[k] = value;
      continue;
    }
    const hit = Object.entries(labels).find(([lk, lv]) => wildcardMatch(k, lk) && wildcardMatch(value, lv));
    if (hit) out[hit[0]] = hit[1];
    else out[zeroWildcards(k)] = zeroWildcards(value);
  }
  return out;
}

function zeroWildcards(s: string): string {
  return s.replaceAll('*', '0').replaceAll('?', '0');
}

/** undefined = invalid requirement (the whole selector then fails). */
function requirementMatches(req: LabelSelectorRequirement, labels: Labels): boolean | undefined {
  const key = req.key;
  const values = (req.values ?? []).map(String);
  if (typeof key !== 'string' || !isQualifiedName(key)) return undefined;
  if (!values.every(isLabelValue)) return undefined;
  const present = Object.hasOwn(labels, key);
  switch (req.operator) {
    case 'In':
      if (values.length === 0) return undefined;
      return present && values.includes(labels[key]!);
    case 'NotIn':
      if (values.length === 0) return undefined;
      return !present || !values.includes(labels[key]!);
    case 'Exists':
      if (values.length > 0) return undefined;
      return present;
    case 'DoesNotExist':
      if (values.length > 0) return undefined;
      return !present;
    default:
      return undefined;
  }
}

const NAME_CHARS = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Label key: optional DNS-subdomain prefix plus `/`, then a name of at most 63 characters. */
function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
    name = parts[1]!;
  } else {
    return false;
  }
  return name.length > 0 && name.length <= 63 && NAME_CHARS.test(name);
}

function isLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && NAME_CHARS.test(v));
}
