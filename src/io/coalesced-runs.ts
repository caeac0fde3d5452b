/**
 * @module Runs of one task that never overlap and keep their order: a request while a run is queued
 * joins that run, a request while one runs queues one more after it. For reloading a policy source
 * after changes: the state after the last change is always loaded, and a burst of changes during a
 * load costs one more load, not one per change.
 */
export class CoalescedRuns {
  readonly #task: () => Promise<void>;
  #chain: Promise<void> = Promise.resolve();
  #queued = false;

  /** `task` reports its own failures: a rejection would stop every later run. */
  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  /** Whether a run is waiting to start. */
  get queued(): boolean {
    return this.#queued;
  }

  /** Asks for a run; resolves once the run that serves this request has ended. */
  request(): Promise<void> {
    if (this.#queued) return this.#chain;
    this.#queued = true;
    this.#chain = this.#chain.then(() => {
      this.#queued = false;
      return this.#task();
    });
    return this.#chain;
  }
}
