/**
 * @module `excludeGroups`, `excludeUsernames`, `excludeRoles`, `excludeClusterRoles` of Kyverno's
 * `kyverno` ConfigMap (reference §9.5): requests by matching users are allowed unevaluated; a `!`
 * entry re-includes. Mirrors pkg/config/config.go (parseExclusions, IsExcluded).
 */
import { wildcardMatch } from '../units/wildcard.js';

export interface UserPatterns {
  readonly usernames: readonly string[];
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly clusterRoles: readonly string[];
}

export interface UserExclusions {
  readonly exclude: UserPatterns;
  readonly include: UserPatterns;
}

/** The Helm chart's default: requests by kubelets (`system:nodes`) are not evaluated. */
export const DEFAULT_EXCLUDE_GROUPS = 'system:nodes';

/** A comma-separated list split into exclusions and (`!`-prefixed) inclusions. Never throws. */
export function parseExclusionList(text: string): { exclude: string[]; include: string[] } {
  const exclude: string[] = [];
  const include: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (!entry.startsWith('!')) exclude.push(entry);
    else if (entry.slice(1).trim() !== '') include.push(entry.slice(1).trim());
  }
  return { exclude, include };
}

/** Exclusions from the four ConfigMap keys (each a comma-separated list; absent: none). */
export function userExclusions(keys: {
  readonly excludeUsernames?: string;
  readonly excludeGroups?: string;
  readonly excludeRoles?: string;
  readonly excludeClusterRoles?: string;
}): UserExclusions {
  const u = parseExclusionList(keys.excludeUsernames ?? '');
  const g = parseExclusionList(keys.excludeGroups ?? '');
  const r = parseExclusionList(keys.excludeRoles ?? '');
  const c = parseExclusionList(keys.excludeClusterRoles ?? '');
  return {
    exclude: { usernames: u.exclude, groups: g.exclude, roles: r.exclude, clusterRoles: c.exclude },
    include: { usernames: u.include, groups: g.include, roles: r.include, clusterRoles: c.include },
  };
}

export interface RequestUser {
  readonly username: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly clusterRoles: readonly string[];
}

/** Whether a pattern matches a value: loops, not closures, as this runs once or twice per review. */
function anyMatch(patterns: readonly string[], values: readonly string[]): boolean {
  for (const pattern of patterns) for (const value of values) if (wildcardMatch(pattern, value)) return true;
  return false;
}

function matches(p: UserPatterns, user: RequestUser): boolean {
  for (const pattern of p.usernames) if (wildcardMatch(pattern, user.username)) return true;
  return (
    anyMatch(p.groups, user.groups) ||
    anyMatch(p.roles, user.roles) ||
    anyMatch(p.clusterRoles, user.clusterRoles)
  );
}

/** Whether the user's request is left unevaluated: excluded and not re-included. */
export function isExcludedUser(exclusions: UserExclusions, user: RequestUser): boolean {
  if (matches(exclusions.include, user)) return false;
  return matches(exclusions.exclude, user);
}
