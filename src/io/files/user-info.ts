/** @module `cli.kyverno.io/v1alpha1` kind UserInfo → the engine's RequestInfo. */
import type { AdmissionUserInfo, RequestInfo } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { validateUserInfoFile } from '../schemas/user-info-file.js';
import { locate } from '../yaml/source-map.js';
import { loadSingleFile } from './load-files.js';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Converts a decoded UserInfo document (already known to be a mapping). */
export function toRequestInfo(v: Record<string, unknown>): RequestInfo {
  const u = (v.userInfo ?? {}) as Record<string, unknown>;
  const userInfo: { -readonly [K in keyof AdmissionUserInfo]: AdmissionUserInfo[K] } = {};
  if (typeof u.username === 'string') userInfo.username = u.username;
  if (typeof u.uid === 'string') userInfo.uid = u.uid;
  if (Array.isArray(u.groups)) userInfo.groups = strings(u.groups);
  if (u.extra !== null && typeof u.extra === 'object') userInfo.extra = u.extra as Record<string, string[]>;
  const info: { -readonly [K in keyof RequestInfo]: RequestInfo[K] } = {
    userInfo,
    roles: strings(v.roles),
    clusterRoles: strings(v.clusterRoles),
  };
  if (typeof v.dryRun === 'boolean') info.dryRun = v.dryRun;
  return info;
}

export function loadUserInfoFile(path: string): { info?: RequestInfo; issues: readonly IoDiagnostic[] } {
  const loaded = loadSingleFile(path, { duplicateKeys: 'error' });
  if (loaded.issues.length > 0) return { issues: loaded.issues };
  const doc = loaded.document;
  if (doc === undefined)
    return { issues: [ioDiagnostic('userinfo/invalid', 'user info file is empty', { file: path })] };
  const validated = validateUserInfoFile(doc.value);
  if (!validated.ok) return { issues: validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })) };
  return { info: toRequestInfo(validated.value as unknown as Record<string, unknown>), issues: [] };
}
