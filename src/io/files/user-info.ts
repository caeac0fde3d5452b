/** @module A UserInfo file read from disk (decoding: user-info-decode.ts). */
import type { RequestInfo } from '../../engine/index.js';
import type { IoDiagnostic } from '../codes.js';
import { loadSingleFile } from './load-files.js';
import { decodeUserInfoDocument } from './user-info-decode.js';

export { toRequestInfo } from './user-info-decode.js';

export function loadUserInfoFile(path: string): { info?: RequestInfo; issues: readonly IoDiagnostic[] } {
  const loaded = loadSingleFile(path, { duplicateKeys: 'error' });
  if (loaded.issues.length > 0) return { issues: loaded.issues };
  return decodeUserInfoDocument(loaded.document, path);
}
