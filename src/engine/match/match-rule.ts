/**
 * @module match/exclude evaluation for a ClusterPolicy/Policy rule (kyverno.io "Selecting Resources").
 * `match.any` ORs its filters, `match.all` ANDs them, otherwise the legacy top-level
 * `resources`/subjects form is used; exclude is checked only when match succeeded (`exclude.any`:
 * excluded if any filter matches, `exclude.all`: only if all do). Within a filter the resource
 * description and the user info must both match. See Kyverno pkg/engine/utils/match.go.
 */
import type { MatchResources, ResourceFilter, Rule } from '../kinds/cluster-policy/types.js';
import { hasWildcard } from '../units/wildcard.js';
import { type KindSelectorSource, parseKindSelector } from './kind-selector.js';
import type { MatchInput } from './match-input.js';
import {
  isEmptyResourceDescription,
  type MatchMode,
  resourceDescriptionMatches,
} from './resource-description.js';
import { hasUserInfo, isEmptyRequestInfo, userInfoMatches } from './user-info.js';

/** Never throws. True when the rule's match selects the input and its exclude does not. */
export function ruleMatches(rule: Rule, input: MatchInput): boolean {
  const ns = input.policyNamespace;
  if (ns && ns !== (input.resource.metadata?.namespace ?? '')) return false;
  if (!resourcesMatch(rule.match ?? {}, input)) return false;
  return !isExcluded(rule.exclude, input);
}

/**
 * The kinds a rule's `match` can select, when every filter it checks names its kinds without
 * wildcards: a resource of another kind is not matched (whatever else the filters say), so a caller
 * can skip the rule at once. Undefined when that cannot be known from the kinds alone.
 */
export function matchKindGate(
  match: MatchResources | undefined,
  selectors?: KindSelectorSource,
): ReadonlySet<string> | undefined {
  if (match == null) return undefined;
  const any = match.any;
  const all = match.all;
  const filters =
    any != null && any.length > 0 ? any : all != null && all.length > 0 ? all : [legacyFilter(match)];
  const kinds = new Set<string>();
  for (const f of filters) {
    // Without kinds a filter may match any kind; with them, kindsMatch needs the kind to match one.
    const list = f.resources?.kinds;
    if (list == null || list.length === 0) return undefined;
    for (const k of list) {
      const kind = (selectors?.kindSelector(String(k)) ?? parseKindSelector(String(k))).kind;
      if (hasWildcard(kind)) return undefined;
      kinds.add(kind);
    }
  }
  return kinds;
}

/**
 * Whether a match block selects the input. `rule` mode (default) is the match side of a rule:
 * legacy top-level form allowed, user-info ignored when there is no admission info. `exception`
 * mode is Kyverno's PolicyException matcher: only any/all, user info always checked.
 */
export function resourcesMatch(match: MatchResources, input: MatchInput, mode: MatchMode = 'rule'): boolean {
  // Loops rather than some/every with a closure: this runs for every rule and resource.
  const any = match.any;
  if (any != null && any.length > 0) {
    for (const f of any) if (filterMatches(f, input, mode)) return true;
    return false;
  }
  const all = match.all;
  if (all != null && all.length > 0) {
    for (const f of all) if (!filterMatches(f, input, mode)) return false;
    return true;
  }
  if (mode === 'exception') return false;
  return filterMatches(legacyFilter(match), input, mode);
}

function filterMatches(f: ResourceFilter, input: MatchInput, mode: MatchMode): boolean {
  return mode === 'rule' ? matchFilterMatches(f, input) : exceptionFilterMatches(f, input);
}

function isExcluded(exclude: MatchResources | undefined, input: MatchInput): boolean {
  if (exclude == null) return false;
  const any = exclude.any ?? [];
  const all = exclude.all ?? [];
  if (any.length > 0) return any.some((f) => excludeFilterMatches(f, input));
  if (all.length > 0) return all.every((f) => excludeFilterMatches(f, input));
  return excludeFilterMatches(legacyFilter(exclude), input);
}

function legacyFilter(m: MatchResources): ResourceFilter {
  const f: ResourceFilter = {};
  if (m.resources != null) f.resources = m.resources;
  if (m.roles != null) f.roles = m.roles;
  if (m.clusterRoles != null) f.clusterRoles = m.clusterRoles;
  if (m.subjects != null) f.subjects = m.subjects;
  return f;
}

/** Match side: without admission info, subjects/roles are dropped; an empty filter never matches. */
function matchFilterMatches(filter: ResourceFilter, input: MatchInput): boolean {
  const ignoreUser = isEmptyRequestInfo(input.requestInfo);
  const checkUser = !ignoreUser && hasUserInfo(filter);
  const hasResources = !isEmptyResourceDescription(filter.resources);
  if (!hasResources && !checkUser) return false;
  if (hasResources && !resourceDescriptionMatches(filter.resources!, input)) return false;
  return !checkUser || userInfoMatches(filter, input.requestInfo);
}

/** Exclude side: an empty filter excludes nothing; user info is always checked. */
function excludeFilterMatches(filter: ResourceFilter, input: MatchInput): boolean {
  const hasResources = !isEmptyResourceDescription(filter.resources);
  if (!hasResources && !hasUserInfo(filter)) return false;
  if (hasResources && !resourceDescriptionMatches(filter.resources!, input)) return false;
  return userInfoMatches(filter, input.requestInfo);
}

function exceptionFilterMatches(filter: ResourceFilter, input: MatchInput): boolean {
  const hasResources = !isEmptyResourceDescription(filter.resources);
  if (!hasResources && !hasUserInfo(filter)) return false;
  if (hasResources && !resourceDescriptionMatches(filter.resources!, input, 'exception')) return false;
  return userInfoMatches(filter, input.requestInfo);
}
