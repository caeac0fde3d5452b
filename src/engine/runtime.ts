/**
 * @module What one evaluation runs with: the ports it may call and the signal that cancels it. Passed down
 * explicitly from `admit`/`scan` (never stored in a module), so concurrent evaluations cannot see each other's.
 */
import type { AsyncPorts } from './async-ports.js';
import type { CompileMemo } from './compile-memo.js';
import type { Limits, RequestBudget } from './limits.js';
import type { Ports } from './ports.js';

/**
 * What a synchronous evaluation reads of the signal that cancels it, and no more: it polls, never
 * listens. An AbortSignal is one; so is a plain object a caller aborts itself (a webhook handler that
 * cannot wait has no use for the EventTarget an AbortController builds per request).
 */
export interface EvaluationSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
}

export interface EvaluationRuntime {
  readonly ports: Ports;
  /** Aborted when the caller stops waiting (a webhook deadline, a cancelled CLI run). */
  readonly signal?: EvaluationSignal;
  /** Bounds on the evaluation; unset ones take their defaults (`DEFAULT_EVALUATION_LIMITS`, docs/limits.md). */
  readonly limits?: Partial<Limits>;
  /**
   * The budget of the request being evaluated, shared by all its policies (`admit` and `scan` set it
   * from `limits`, `ports.clock` and `signal`). Absent: each evaluation is bounded on its own.
   */
  readonly budget?: RequestBudget;
  /**
   * The memo of the policy set being evaluated (`admit` and `scan` set it), where what only evaluation
   * knows (a regex pattern read from data) is compiled once. Absent: such artifacts are compiled afresh.
   */
  readonly compileMemo?: CompileMemo;
}

/**
 * A runtime whose ports do I/O: `admit` and `scan` run the synchronous evaluation by replay
 * (port-bridge.ts), answering it from what these ports returned for this request.
 */
export interface AsyncEvaluationRuntime {
  readonly asyncPorts: AsyncPorts;
  /**
   * Ends every open port call with a timeout/cancelled error; the rules that needed them report it. An
   * AbortSignal, not an EvaluationSignal: the calls in flight listen to it.
   */
  readonly signal?: AbortSignal;
  /** Rounds of dependent port calls allowed per request (port-bridge's default when absent). */
  readonly maxPortRounds?: number;
  /** As EvaluationRuntime.limits. */
  readonly limits?: Partial<Limits>;
}

/** What `admit` and `scan` accept. */
export type AdmissionRuntime = EvaluationRuntime | AsyncEvaluationRuntime;
