/**
 * @module `cli.kyverno.io/v1alpha1` ClusterResource files (Kyverno
 * cmd/cli/kubectl-kyverno/apis/v1alpha1/clusterresource.go): the objects and CRD files a test's fake
 * cluster holds.
 */
import {
  type ObjectMeta,
  objectMetaSchema as objectMeta,
  type Result,
  schemaDsl,
} from '../../engine/index.js';
import { validateCliFile } from './cli-file.js';

const { any, array, object, string } = schemaDsl;
type ObjectNode = schemaDsl.ObjectNode;

export interface ClusterResourceFile {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  spec?: { crds?: string[]; resources?: unknown[] };
}

const CI = { keyCase: 'insensitive' } as const;

export const clusterResourceFileSchema: ObjectNode = object(
  {
    apiVersion: string(),
    kind: string(),
    metadata: objectMeta,
    spec: object({ crds: array(string(), { label: 'a list of file paths' }), resources: array(any()) }, CI),
  },
  CI,
);

/** Validates a ClusterResource document (strict: unknown fields are errors). Never throws. */
export function validateClusterResourceFile(doc: unknown): Result<ClusterResourceFile> {
  return validateCliFile<ClusterResourceFile>(doc, 'ClusterResource', clusterResourceFileSchema);
}
