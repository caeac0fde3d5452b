/**
 * @module What a Kubernetes event says, in Kyverno's terms (pkg/event: reason.go, source.go,
 * action.go, info.go): the reason, the component that reports it, the action taken, the object it
 * is about (`regarding`) and the other object involved (`related`). Builders (policy-events.ts)
 * make these values; the writer (event-writer.ts) queues, aggregates and sends them.
 */

/** Kyverno's four reasons; `--omit-events` names some of them. */
export const EVENT_REASONS = ['PolicyViolation', 'PolicyApplied', 'PolicyError', 'PolicySkipped'] as const;
export type EventReason = (typeof EVENT_REASONS)[number];

/** Kyverno's default `omitEvents` (its chart's `config.omitEvents.eventTypes`). */
export const DEFAULT_OMITTED_EVENTS: readonly EventReason[] = ['PolicyApplied', 'PolicySkipped'];

/** The reporting controller, as Kyverno names each of its components. */
export type EventSource =
  | 'kyverno-admission'
  | 'kyverno-scan'
  | 'kyverno-generate'
  | 'kyverno-mutate'
  | 'kyverno-cleanup';

export type EventAction =
  | 'Resource Blocked'
  | 'Resource Passed'
  | 'Resource Generated'
  | 'Resource Mutated'
  | 'Resource Cleaned Up'
  | 'None';

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
}

export interface EventInfo {
  readonly regarding: ObjectRef;
  readonly related?: ObjectRef;
  readonly reason: EventReason;
  readonly message: string;
  readonly action: EventAction;
  readonly source: EventSource;
  /** Default: Normal for PolicyApplied and PolicySkipped, Warning otherwise (Kyverno's rule). */
  readonly type?: 'Normal' | 'Warning';
}

/** Where events go; `add` never waits and never throws. */
export interface EventSink {
  add(...infos: readonly EventInfo[]): void;
}

/** A sink that keeps nothing (no cluster, tests). */
export const NO_EVENTS: EventSink = { add: () => undefined };
