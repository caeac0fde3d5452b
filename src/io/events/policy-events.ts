/**
 * @module The events Kyverno emits for policy outcomes (pkg/event/events.go, pkg/webhooks/utils/
 * event.go, pkg/controllers/report/utils/events.go), built from the engine's results with the same
 * reasons, actions and messages: violations on the policy and on the resource, exceptions, applied
 * policies, generated and mutated objects, background errors and cleanup deletions.
 */
import type { KubeObject, PolicyResult, RuleResult } from '../../engine/index.js';
import type { EventInfo, EventSource, ObjectRef } from './event-info.js';

interface PolicyRefLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function refOfObject(object: KubeObject): ObjectRef {
  const namespace = str(object.metadata?.namespace);
  const uid = str(object.metadata?.uid);
  return {
    apiVersion: str(object.apiVersion),
    kind: str(object.kind),
    name: str(object.metadata?.name),
    ...(namespace !== '' ? { namespace } : {}),
    ...(uid !== '' ? { uid } : {}),
  };
}

export function refOfPolicy(policy: PolicyRefLike): ObjectRef {
  return {
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    name: policy.name,
    ...(policy.namespace !== undefined && policy.namespace !== '' ? { namespace: policy.namespace } : {}),
    ...(policy.uid !== undefined && policy.uid !== '' ? { uid: policy.uid } : {}),
  };
}

/** `Kind ns/name`, or `Kind name` for a cluster-scoped object. */
const described = (r: ObjectRef): string =>
  r.namespace !== undefined ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;

/** `Kind/ns/name`, Kyverno's resourceKey. */
const keyOf = (r: ObjectRef): string =>
  r.namespace !== undefined ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;

const failed = (rule: RuleResult): boolean => rule.status === 'fail' || rule.status === 'error';

/** Kyverno's NewPolicyFailEvent: on the policy, about the resource. */
export function policyFailEvent(
  source: EventSource,
  result: PolicyResult,
  rule: RuleResult,
  blocked: boolean,
): EventInfo {
  const resource = refOfObject(result.response.resource);
  let message = described(resource);
  message += rule.name !== '' ? `: [${rule.name}] ${rule.status}` : `: ${rule.status}`;
  if (blocked) message += ' (blocked)';
  if (rule.message !== '') message += `; ${rule.message}`;
  return {
    regarding: refOfPolicy(result.policy),
    related: resource,
    reason: 'PolicyViolation',
    source,
    message,
    action: blocked ? 'Resource Blocked' : 'Resource Passed',
  };
}

/** Kyverno's NewResourceViolationEvent: on the resource. */
export function resourceViolationEvent(
  source: EventSource,
  result: PolicyResult,
  rule: RuleResult,
): EventInfo {
  return {
    regarding: refOfObject(result.response.resource),
    reason: 'PolicyViolation',
    source,
    message: `policy ${result.policy.name}/${rule.name} ${rule.status}: ${rule.message}`,
    action: 'Resource Passed',
  };
}

/** Kyverno's NewPolicyAppliedEvent: on the policy, about the resource. */
export function policyAppliedEvent(source: EventSource, result: PolicyResult): EventInfo {
  const resource = refOfObject(result.response.resource);
  const mutated =
    result.response.rules.length > 0 && result.response.rules.every((r) => r.type === 'Mutation');
  return {
    regarding: refOfPolicy(result.policy),
    related: resource,
    reason: 'PolicyApplied',
    source,
    message: mutated ? `${described(resource)} is successfully mutated` : `${described(resource)}: pass`,
    action: mutated ? 'Resource Mutated' : 'Resource Passed',
  };
}

/** Kyverno's NewPolicyExceptionEvents: on each exception and on the policy. */
export function exceptionEvents(source: EventSource, result: PolicyResult, rule: RuleResult): EventInfo[] {
  const exceptions = rule.exceptions ?? [];
  if (exceptions.length === 0) return [];
  const resource = refOfObject(result.response.patchedResource);
  const p = result.policy;
  const policyName = p.namespace !== undefined && p.namespace !== '' ? `${p.namespace}/${p.name}` : p.name;
  const out: EventInfo[] = exceptions.map((ex) => {
    const [ns, name] = ex.includes('/')
      ? [ex.slice(0, ex.indexOf('/')), ex.slice(ex.indexOf('/') + 1)]
      : ['', ex];
    return {
      regarding: {
        apiVersion: 'kyverno.io/v2',
        kind: 'PolicyException',
        name,
        ...(ns !== '' ? { namespace: ns } : {}),
      },
      related: resource,
      reason: 'PolicySkipped',
      source,
      message: `resource ${keyOf(resource)} was skipped from policy rule ${policyName}/${rule.name}`,
      action: 'Resource Passed',
    };
  });
  out.push({
    regarding: refOfPolicy(p),
    related: resource,
    reason: 'PolicySkipped',
    source,
    message: `resource ${keyOf(resource)} was skipped from rule ${rule.name} due to policy exceptions ${exceptions.join(', ')}`,
    action: 'Resource Passed',
  });
  return out;
}

/** Whether a rule decides the request when it fails: its failure action, else the policy's. */
const enforced = (result: PolicyResult, rule: RuleResult): boolean =>
  (result.ruleActions?.[rule.name] ?? result.response.validationFailureAction) === 'Enforce';

/**
 * Admission's events (Kyverno's webhook GenerateEvents). Blocked: the Enforce failures, on the policy
 * only (the resource was never stored). Allowed: each failure on the policy and on the resource; a
 * response all skipped by exceptions, its exception events; any other response, PolicyApplied.
 */
export function admissionEvents(responses: readonly PolicyResult[], blocked: boolean): EventInfo[] {
  const source: EventSource = 'kyverno-admission';
  const out: EventInfo[] = [];
  for (const result of responses) {
    const rules = result.response.rules;
    if (rules.length === 0 || str(result.response.resource.metadata?.name) === '') continue;
    if (rules.some(failed)) {
      for (const rule of rules) {
        if (blocked) {
          if (failed(rule) && enforced(result, rule)) out.push(policyFailEvent(source, result, rule, true));
          continue;
        }
        // Kyverno also emits a resource event for the passing rules of a failed policy, named
        // PolicyViolation; only the failures are violations here.
        if (!failed(rule)) continue;
        out.push(policyFailEvent(source, result, rule, false));
        out.push(resourceViolationEvent(source, result, rule));
      }
    } else if (rules.every((r) => r.status === 'skip')) {
      if (!blocked) for (const rule of rules) out.push(...exceptionEvents(source, result, rule));
    } else if (!blocked) out.push(policyAppliedEvent(source, result));
  }
  return out;
}

/** A background scan's events (Kyverno's reports controller): failures, exceptions, applied. */
export function scanEvents(results: readonly PolicyResult[]): EventInfo[] {
  const source: EventSource = 'kyverno-scan';
  const out: EventInfo[] = [];
  for (const result of results) {
    if (str(result.response.resource.metadata?.name) === '') continue;
    let anyFailed = false;
    for (const rule of result.response.rules) {
      if (rule.status !== 'pass' && rule.status !== 'skip') {
        anyFailed = true;
        out.push(resourceViolationEvent(source, result, rule));
        out.push(policyFailEvent(source, result, rule, false));
      } else if (rule.status === 'skip') out.push(...exceptionEvents(source, result, rule));
    }
    if (!anyFailed && result.response.rules.some((r) => r.status === 'pass'))
      out.push(policyAppliedEvent(source, result));
  }
  return out;
}

/** Kyverno's NewResourceGenerationEvent and NewBackgroundSuccessEvent for one generated object. */
export function generatedEvents(policy: PolicyRefLike, rule: string, object: KubeObject): EventInfo[] {
  const target = refOfObject(object);
  return [
    {
      regarding: target,
      reason: 'PolicyApplied',
      source: 'kyverno-generate',
      message: `Created ${target.kind} ${target.name} as a result of applying policy ${policy.name}/${rule}`,
      action: 'None',
    },
    {
      regarding: refOfPolicy(policy),
      related: target,
      reason: 'PolicyApplied',
      source: 'kyverno-generate',
      message: 'resource generated',
      action: 'Resource Generated',
    },
  ];
}

/** Kyverno's NewBackgroundSuccessEvent for a mutated target. */
export function mutatedEvent(policy: PolicyRefLike, object: KubeObject): EventInfo {
  return {
    regarding: refOfPolicy(policy),
    related: refOfObject(object),
    reason: 'PolicyApplied',
    source: 'kyverno-mutate',
    message: 'resource mutated',
    action: 'Resource Mutated',
  };
}

/** Kyverno's NewBackgroundFailedEvent: on the policy, about the trigger. */
export function backgroundFailedEvent(
  source: 'kyverno-generate' | 'kyverno-mutate',
  policy: PolicyRefLike,
  rule: string,
  error: string,
  trigger: ObjectRef,
): EventInfo {
  return {
    regarding: refOfPolicy(policy),
    related: trigger,
    reason: 'PolicyError',
    source,
    message:
      rule === '' ? `policy ${policy.name} error: ${error}` : `policy ${policy.name}/${rule} error: ${error}`,
    action: 'None',
  };
}

/**
 * Kyverno's NewCleanupPolicyEvent and NewDeletingPolicyEvent: a deletion (or its failure) on the
 * policy, about the object. `deleting`: a DeletingPolicy's wording.
 */
export function cleanupEvent(
  policy: PolicyRefLike,
  object: KubeObject,
  error: string | undefined,
  deleting = false,
): EventInfo {
  const target = refOfObject(object);
  const id = `${target.kind}/${target.namespace ?? ''}/${target.name}`;
  const { uid: _uid, ...related } = target;
  const base = { regarding: refOfPolicy(policy), related, source: 'kyverno-cleanup' as const };
  if (error === undefined)
    return {
      ...base,
      reason: 'PolicyApplied',
      action: 'Resource Cleaned Up',
      message: deleting
        ? `successfully deleted the target resource ${id}`
        : `successfully cleaned up the target resource ${id}`,
    };
  return {
    ...base,
    reason: 'PolicyError',
    action: 'None',
    message: deleting
      ? `failed to delete the target resource ${id}: ${error}`
      : `failed to clean up the target resource ${id}: ${error}`,
  };
}
