/**
 * @module The user-info part of a resource filter: `subjects`, `roles`, `clusterRoles`.
 * See Kyverno pkg/utils/match/subjects.go and pkg/engine/utils/match.go.
 */
import type { Subject, UserInfoFilter } from '../kinds/cluster-policy/types.js';
import type { AdmissionUserInfo, RequestInfo } from '../request.js';
import { wildcardMatch } from '../units/wildcard.js';

/** True if any subject matches the requesting user (wildcards on names). */
export function subjectsMatch(subjects: readonly Subject[], user: AdmissionUserInfo): boolean {
  const username = user.username ?? '';
  for (const s of subjects) {
    switch (s.kind) {
      case 'ServiceAccount':
        if (wildcardMatch(`system:serviceaccount:${s.namespace ?? ''}:${s.name}`, String(username)))
          return true;
        break;
      case 'Group':
        if ((user.groups ?? []).some((g) => wildcardMatch(String(s.name), String(g)))) return true;
        break;
      case 'User':
        if (wildcardMatch(String(s.name), String(username))) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** Every specified attribute must match; within a list, any entry (roles/clusterRoles: exact). */
export function userInfoMatches(filter: UserInfoFilter, info: RequestInfo | undefined): boolean {
  const roles = info?.roles ?? [];
  const clusterRoles = info?.clusterRoles ?? [];
  if (filter.roles && filter.roles.length > 0 && !filter.roles.some((r) => roles.includes(r))) return false;
  if (
    filter.clusterRoles &&
    filter.clusterRoles.length > 0 &&
    !filter.clusterRoles.some((r) => clusterRoles.includes(r))
  ) {
    return false;
  }
  if (
    filter.subjects &&
    filter.subjects.length > 0 &&
    !subjectsMatch(filter.subjects, info?.userInfo ?? {})
  ) {
    return false;
  }
  return true;
}

/** No admission info at all (background scan, CLI without a user-info file). */
export function isEmptyRequestInfo(info: RequestInfo | undefined): boolean {
  if (info === undefined) return true;
  const u = info.userInfo ?? {};
  return (
    info.roles.length === 0 &&
    info.clusterRoles.length === 0 &&
    !u.username &&
    !u.uid &&
    (u.groups ?? []).length === 0 &&
    Object.keys(u.extra ?? {}).length === 0
  );
}

/** Presence, not length: Go's DeepEqual treats a decoded `[]` as set (nil vs empty slice). */
export function hasUserInfo(filter: UserInfoFilter): boolean {
  return filter.roles != null || filter.clusterRoles != null || filter.subjects != null;
}
