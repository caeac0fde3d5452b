/**
 * @module `cli.kyverno.io/v1alpha1` UserInfo files (kyverno-reference §8.5; Kyverno
 * cmd/cli/kubectl-kyverno/apis/v1alpha1/user_info.go, RequestInfo inlined).
 */

import {
  type ObjectMeta,
  objectMetaSchema as objectMeta,
  type Result,
  schemaDsl,
} from '../../engine/index.js';
import { validateCliFile } from './cli-file.js';

const { array, bool, map, object, string } = schemaDsl;
type ObjectNode = schemaDsl.ObjectNode;

/** authentication/v1 UserInfo. */
export interface AdmissionUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface UserInfoFile {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  roles?: string[];
  clusterRoles?: string[];
  userInfo?: AdmissionUserInfo;
  dryRun?: boolean;
}

const CI = { keyCase: 'insensitive' } as const;

export const userInfoFileSchema: ObjectNode = object(
  {
    apiVersion: string(),
    kind: string(),
    metadata: objectMeta,
    roles: array(string()),
    clusterRoles: array(string()),
    userInfo: object(
      { username: string(), uid: string(), groups: array(string()), extra: map(array(string())) },
      CI,
    ),
    dryRun: bool(),
  },
  CI,
);

/** Validates a UserInfo file document (strict: unknown fields are errors). Never throws. */
export function validateUserInfoFile(doc: unknown): Result<UserInfoFile> {
  return validateCliFile<UserInfoFile>(doc, 'UserInfo', userInfoFileSchema);
}
