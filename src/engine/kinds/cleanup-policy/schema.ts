/**
 * @module Structural schema of kyverno.io/v2 ClusterCleanupPolicy / CleanupPolicy (after
 * api/kyverno/v2/cleanup_policy_types.go). The engine does not run cleanup policies yet; the schema
 * is here so that their CRDs come from the same place as every other kind's.
 */
import {
  anyAllConditions,
  contextEntry,
  matchResourcesV2,
  namedObjectMeta,
} from '../../schema/common-schema.js';
import { any, array, enumOf, object, req, type SchemaNode, string } from '../../schema/schema-dsl.js';

export const cleanupPolicySchema: SchemaNode = object({
  apiVersion: req(string()),
  kind: req(string()),
  metadata: req(namedObjectMeta),
  spec: req(
    object({
      context: array(contextEntry),
      match: req(matchResourcesV2),
      exclude: matchResourcesV2,
      schedule: req(string({ nonEmpty: true })),
      conditions: anyAllConditions,
      deletionPropagationPolicy: enumOf(['Foreground', 'Background', 'Orphan']),
    }),
  ),
  status: any(),
});
