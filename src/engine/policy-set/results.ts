/** @module Builders for the policy results every kind entry appends. */
import type { KubeObject, ObjectMeta } from '../model/kube-object.js';
import type { PolicyResponse, RuleResult } from '../verdict/types.js';
import type { AdmissionState, PolicyRef, PolicyResult } from './types.js';

interface PolicyDocumentHead {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta & { name: string };
}

// One ref per policy document, however many responses name it.
const refs = new WeakMap<PolicyDocumentHead, PolicyRef>();

/** The PolicyRef of a policy document; `namespace` is the one a namespaced policy is confined to. */
export function policyRefOf(policy: PolicyDocumentHead, namespace?: string): PolicyRef {
  const hit = refs.get(policy);
  if (hit !== undefined && hit.namespace === namespace) return hit;
  const annotations = policy.metadata.annotations;
  const ref: PolicyRef = {
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    name: policy.metadata.name,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(annotations !== undefined ? { annotations } : {}),
  };
  refs.set(policy, ref);
  return ref;
}

/** A response the kind's own evaluation built, naming its policy. */
export function withPolicy(
  response: PolicyResponse,
  policy: PolicyRef,
  failurePolicy: 'Fail' | 'Ignore' = 'Fail',
  ruleActions?: PolicyResult['ruleActions'],
): PolicyResult {
  return { policy, response, ruleActions, failurePolicy };
}

export interface CelResultInput {
  readonly policy: PolicyRef;
  readonly key: string;
  /** The object as admitted (the response's `resource`). */
  readonly resource: KubeObject;
  readonly rules: readonly RuleResult[];
  readonly enforce: boolean;
  /** The object after the policy; defaults to `resource`. */
  readonly patched?: KubeObject;
  readonly failurePolicy?: 'Fail' | 'Ignore';
}

/** The kyverno.io response shape for a rule-less (CEL or admission) policy. */
export function celResult(input: CelResultInput): PolicyResult {
  return withPolicy(
    celResponse(input.policy, input.key, input.resource, input.patched, input.rules, input.enforce),
    input.policy,
    input.failurePolicy,
  );
}

function celResponse(
  policy: PolicyRef,
  key: string,
  resource: KubeObject,
  patched: KubeObject | undefined,
  rules: readonly RuleResult[],
  enforce: boolean,
): PolicyResponse {
  // Built field by field in this order (no conditional spread, V8's slow path): once per policy.
  const response: { -readonly [K in keyof PolicyResponse]: PolicyResponse[K] } = {
    policyKey: key,
    policyName: policy.name,
  } as PolicyResponse;
  if (policy.namespace !== undefined) response.policyNamespace = policy.namespace;
  response.policyKind = policy.kind;
  response.resource = resource;
  response.patchedResource = patched ?? resource;
  response.rules = rules;
  response.validationFailureAction = enforce ? 'Enforce' : 'Audit';
  return response;
}

/** A compiled rule-less policy: its document, key and (namespaced kinds) namespace. */
export interface RulelessPolicy {
  readonly policy: PolicyDocumentHead;
  readonly key: string;
  readonly namespace?: string;
}

export interface RulelessAnswer {
  readonly rules: readonly RuleResult[];
  readonly enforce: boolean;
  /** The object after the policy; defaults to the admitted object. */
  readonly patched?: KubeObject;
  readonly failurePolicy?: 'Fail' | 'Ignore';
  /** Its validationActions include Warn: each failed rule is also an admission warning. */
  readonly warn?: boolean;
}

/**
 * Appends a rule-less policy's response to `state` (the admitted object as its resource) and, with
 * `warn`, a warning per failed rule.
 */
export function appendRulelessResult(state: AdmissionState, c: RulelessPolicy, answer: RulelessAnswer): void {
  const policy = policyRefOf(c.policy, c.namespace);
  // As celResult, without its input object (once per policy and request).
  state.results.push(
    withPolicy(
      celResponse(policy, c.key, state.original, answer.patched, answer.rules, answer.enforce),
      policy,
      answer.failurePolicy,
    ),
  );
  if (answer.warn !== true) return;
  // ValidatingAdmissionPolicies are the API server's own; the CEL kinds warn as Kyverno's handlers do.
  const vap = c.policy.kind === 'ValidatingAdmissionPolicy';
  for (const r of answer.rules) {
    if (vap && r.status === 'fail') state.warnings.push(warningFor(policy, r));
    if (!vap && (r.status === 'fail' || r.status === 'error'))
      state.warnings.push(celPolicyMessage(policy.name, r.status, r.message));
  }
}

/**
 * A CEL policy's failed or errored rule as Kyverno's handlers word it, in a denial or a warning
 * (pkg/webhooks/resource/vpol/handler.go): `Policy <name> failed: <message>`, `… error: …`.
 */
export function celPolicyMessage(policy: string, status: 'fail' | 'error', message: string): string {
  return `Policy ${policy} ${status === 'fail' ? 'failed' : 'error'}: ${message}`;
}

/** `policy <name>.<rule>: <message>` (reference §1.2 emitWarning); rule-less kinds drop the dot. */
export function warningFor(policy: PolicyRef, rule: RuleResult): string {
  const name = policy.namespace !== undefined ? `${policy.namespace}/${policy.name}` : policy.name;
  return rule.name === ''
    ? `policy ${name}: ${rule.message}`
    : `policy ${name}.${rule.name}: ${rule.message}`;
}
