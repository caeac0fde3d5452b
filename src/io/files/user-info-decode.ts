/** @module `cli.kyverno.io/v1alpha1` kind UserInfo → the engine's RequestInfo (pure, browser-safe). */
import type { AdmissionUserInfo, RequestInfo } from '../../engine/index.js';
import { type IoDiagnostic, ioDiagnostic } from '../codes.js';
import { validateUserInfoFile } from '../schemas/user-info-file.js';
import type { LoadedDocument } from '../yaml/load-documents.js';
import { locate } from '../yaml/source-map.js';

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

/** Decodes a UserInfo document (validated against Kyverno's schema). */
export function decodeUserInfoDocument(
  doc: LoadedDocument | undefined,
  file: string,
): { info?: RequestInfo; issues: readonly IoDiagnostic[] } {
  if (doc === undefined)
    return { issues: [ioDiagnostic('userinfo/invalid', 'user info file is empty', { file })] };
  const validated = validateUserInfoFile(doc.value);
  if (!validated.ok) return { issues: validated.issues.map((d) => ({ ...d, source: locate(doc, d.path) })) };
  return { info: toRequestInfo(validated.value as unknown as Record<string, unknown>), issues: [] };
}
