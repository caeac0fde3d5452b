/**
 * @module What one evaluation runs with: the ports it may call and the signal that cancels it. Passed down
 * explicitly from `admit`/`scan` (never stored in a module), so concurrent evaluations cannot see each other's.
 */
import type { Limits } from './limits.js';
import type { Ports } from './ports.js';

export interface EvaluationRuntime {
  readonly ports: Ports;
  /** Aborted when the caller stops waiting (a webhook deadline, a cancelled CLI run). */
  readonly signal?: AbortSignal;
  /** Bounds on the evaluation; unset ones take their defaults (`DEFAULT_EVALUATION_LIMITS`, docs/limits.md). */
  readonly limits?: Partial<Limits>;
}
