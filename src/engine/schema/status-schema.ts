/**
 * @module The `status` of each policy kind as the cluster stores it (what a controller writes and what
 * the reference's chainsaw suites assert: `conditions[type=Ready]`, `ready`, `rulecount` on
 * kyverno.io policies; `conditionStatus.{ready,conditions,message}` on policies.kyverno.io kinds).
 * Loaders accept any status (an exported policy may carry anything); CRDs use these shapes.
 */
import { any, array, bool, enumOf, number, object, req, string } from './schema-dsl.js';

/** metav1.Condition. */
export const condition = object({
  type: req(string({ nonEmpty: true })),
  status: req(enumOf(['True', 'False', 'Unknown'])),
  reason: string(),
  message: string(),
  lastTransitionTime: string(),
  observedGeneration: number({ integer: true, min: 0 }),
});

const count = number({ integer: true, min: 0 });

/** ClusterPolicy / Policy. */
export const kyvernoPolicyStatus = object({
  ready: bool(),
  conditions: array(condition),
  // Autogen rules are whole rules; their shape is the spec's, kept schemaless here.
  autogen: object({ rules: array(any()) }),
  rulecount: object({ validate: count, mutate: count, generate: count, verifyimages: count }),
  validatingadmissionpolicy: object({ generated: bool(), message: string() }),
});

/** ValidatingPolicy, MutatingPolicy, ... (and their Namespaced variants). */
export const celPolicyStatus = object({
  conditionStatus: object({ ready: bool(), message: string(), conditions: array(condition) }),
  autogen: object({ configs: any() }),
  generated: bool(),
});

/** DeletingPolicy / NamespacedDeletingPolicy: the CEL status and when the cleanup controller last ran it. */
export const deletingPolicyStatus = object({
  conditionStatus: object({ ready: bool(), message: string(), conditions: array(condition) }),
  lastExecutionTime: string(),
});

/** ClusterCleanupPolicy / CleanupPolicy. */
export const cleanupPolicyStatus = object({
  conditions: array(condition),
  lastExecutionTime: string(),
});

/** GlobalContextEntry. */
export const globalContextEntryStatus = object({
  ready: bool(),
  conditions: array(condition),
  lastRefreshTime: string(),
});
