/**
 * @module Admission's Kubernetes events (Kyverno's resource handlers, docs/decisions/0022): from what
 * each answered request leaves for the background controllers, the events of its validate endpoint
 * (violations on the policy; on the resource too when it was allowed) and of its mutate endpoint
 * (mutation rules only, so a rule is never reported twice). Built after the answer is on its way
 * (`setImmediate`), and the writer's `add` never waits: events never slow or fail admission.
 */
import type { PolicyResult, RuleType } from '../engine/index.js';
import type { AdmittedRequest } from '../io/background.js';
import type { EventSink } from '../io/events/event-info.js';
import { admissionEvents } from '../io/events/policy-events.js';

const ROLE_RULES: Record<AdmittedRequest['role'], ((t: RuleType) => boolean) | undefined> = {
  validate: (t) => t === 'Validation' || t === 'ImageVerify',
  mutate: (t) => t === 'Mutation',
  // Generate's outcomes are the generate controller's events.
  generate: undefined,
};

/** The responses' rules of the kinds `role` reports. */
function ofRole(responses: readonly PolicyResult[], keep: (t: RuleType) => boolean): PolicyResult[] {
  const out: PolicyResult[] = [];
  for (const r of responses) {
    const rules = r.response.rules.filter((rule) => keep(rule.type));
    if (rules.length === 0) continue;
    out.push(rules.length === r.response.rules.length ? r : { ...r, response: { ...r.response, rules } });
  }
  return out;
}

/** Kyverno's events for one answered request (never a dry run). */
export function eventsOfAdmission(admitted: AdmittedRequest): ReturnType<typeof admissionEvents> {
  const keep = ROLE_RULES[admitted.role];
  if (keep === undefined || admitted.responses.length === 0) return [];
  return admissionEvents(ofRole(admitted.responses, keep), !admitted.allowed);
}

/** Feeds `sink` the events of each answered request, off the request's path. */
export function admissionEventFeed(sink: EventSink): (admitted: AdmittedRequest) => void {
  return (admitted) => {
    if (admitted.responses.length === 0) return;
    setImmediate(() => sink.add(...eventsOfAdmission(admitted)));
  };
}
