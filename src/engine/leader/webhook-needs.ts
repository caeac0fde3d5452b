/**
 * @module What one compiled policy asks of the API server's admission webhooks (reference §9.1,
 * Kyverno's webhook controller): which webhook family, which failure-policy bucket, which kinds and
 * operations (ClusterPolicy/Policy, resolved to resources through discovery later) or which resource
 * rules (the CEL kinds name resources already), and a timeout. Each kind entry answers for its own
 * policies (KindEntry.webhooks); webhook-configurations.ts merges the needs into configurations.
 */

import type { LabelSelector } from '../model/kube-object.js';

export type AdmissionOp = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export const ALL_OPERATIONS: readonly AdmissionOp[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

/**
 * The webhooks Palisade registers, by the path family that serves them: `validate` and `mutate` take
 * ClusterPolicy/Policy by failure-policy bucket; the others name their policies in the path.
 */
export type WebhookFamily =
  | 'validate'
  | 'mutate'
  | 'vpol'
  | 'nvpol'
  | 'mpol'
  | 'nmpol'
  | 'ivpol'
  | 'nivpol'
  | 'gpol'
  | 'ngpol';

/** A kind selector of a match block (`Pod`, `apps/v1/Deployment`, `Pod/exec`, `*`) and its operations. */
export interface KindNeed {
  readonly selector: string;
  readonly operations: readonly AdmissionOp[];
}

/** A resource rule as a CEL policy's matchConstraints give it. */
export interface ResourceRuleNeed {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly AdmissionOp[];
  readonly scope: '*' | 'Cluster' | 'Namespaced';
}

export interface MatchConditionNeed {
  readonly name: string;
  readonly expression: string;
}

/**
 * A CEL policy that gets a webhook of its own (Kyverno's fine-grained CEL policies: valid
 * matchConditions, `matchConstraints.matchPolicy: Exact` or `webhookConfiguration.timeoutSeconds`).
 */
export interface OwnWebhookNeed {
  /** What the API server evaluates: the valid conditions, each restricted to its autogen targets. */
  readonly matchConditions: readonly MatchConditionNeed[];
  readonly matchPolicy: 'Exact' | 'Equivalent';
  /** `matchConstraints.namespaceSelector` / `objectSelector` (a namespaced policy: its namespace). */
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
}

export interface WebhookNeed {
  readonly family: WebhookFamily;
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** The policy's own webhook timeout (seconds); the bucket takes the largest, capped at 30. */
  readonly timeoutSeconds?: number;
  /** ClusterPolicy/Policy: kinds to resolve through discovery. */
  readonly kinds?: readonly KindNeed[];
  /** CEL kinds: resource rules as written. */
  readonly rules?: readonly ResourceRuleNeed[];
  /** A namespaced policy: its wildcard kinds register for namespaced resources only. */
  readonly namespaced: boolean;
  /**
   * `spec.webhookConfiguration.matchConditions` of a ClusterPolicy/Policy: it gets a webhook of its
   * own (Kyverno's fine-grained webhook), on `/…/finegrained/[ns/]name`.
   */
  readonly matchConditions?: readonly MatchConditionNeed[];
  /** CEL kinds: the policy's own webhook, on `/…/finegrained/[ns/]name`, its timeout its own. */
  readonly ownWebhook?: OwnWebhookNeed;
}
