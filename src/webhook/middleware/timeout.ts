/**
 * @module The evaluation deadline, set below the webhook timeout so that the server, not the API
 * server, decides what a slow review means (reference §9.1: the webhook's failure policy). The
 * evaluation is mostly synchronous, so a timer alone could not stop it: the deadline's clock aborts
 * the signal the first time it is read past the deadline, and the engine checks both at every step.
 */
import type { Clock, EvaluationSignal } from '../../engine/index.js';

interface DeadlineParts {
  /** The wall clock for the engine; reading it past the deadline aborts `signal`. */
  readonly clock: Clock;
  /** Milliseconds from the start to the deadline. */
  readonly ms: number;
  expired(): boolean;
}

/**
 * Aborted at the deadline: by a timer while the evaluation waits, by `clock` while it computes. Only
 * a handler that waits (`waits`, on I/O ports) has an AbortSignal its port calls can listen to.
 */
export type Deadline = DeadlineParts &
  (
    | { readonly waits: true; readonly signal: AbortSignal }
    | { readonly waits: false; readonly signal: EvaluationSignal }
  );

export interface DeadlineOptions {
  readonly ms: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /**
   * Whether the handler can wait (on I/O ports; default true). One that cannot runs to its end in one
   * synchronous stretch, its promise settled by microtasks before any timer could fire: it gets no
   * timer, no race and no AbortController (~5 µs a request together), and the clock alone stops it.
   */
  readonly waits?: boolean;
}

/**
 * The signal of a handler that cannot wait: what the engine reads of a signal while it computes
 * (`aborted`, `reason`, `throwIfAborted`), without the EventTarget an AbortController builds per
 * request. Nobody can listen to it: only the clock aborts it, during the handler's own run.
 */
class ClockSignal implements EvaluationSignal {
  aborted = false;
  reason: unknown = undefined;
  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
  /** As AbortController.abort: the signal is its own controller. */
  abort(reason: unknown): void {
    this.reason = reason;
    this.aborted = true;
  }
}

/**
 * One request's deadline, its own clock: one object per request where closures over the request's
 * times were six (the engine binds `now` and `nowMs` to it, as to any clock).
 */
class RequestDeadline implements DeadlineParts, Clock {
  readonly waits: boolean;
  readonly signal: AbortSignal | ClockSignal;
  readonly ms: number;
  readonly #controller: AbortController | ClockSignal;
  readonly #now: () => number;
  readonly #origin: number;
  readonly #endsAt: number;

  constructor(
    controller: AbortController | ClockSignal,
    ms: number,
    now: () => number,
    origin: number,
    endsAt: number,
  ) {
    this.#controller = controller;
    this.waits = controller instanceof AbortController;
    this.signal = controller instanceof AbortController ? controller.signal : controller;
    this.ms = ms;
    this.#now = now;
    this.#origin = origin;
    this.#endsAt = endsAt;
  }

  get clock(): Clock {
    return this;
  }

  expire(): void {
    if (this.signal.aborted) return;
    // A TimeoutError, so port calls it ends say `timeout` rather than `cancelled`.
    const reason = new DOMException(`evaluation deadline of ${this.ms} ms exceeded`, 'TimeoutError');
    this.#controller.abort(reason);
  }

  now(): Date {
    if (this.#now() >= this.#endsAt) this.expire();
    return new Date();
  }

  // What the engine's limits read at every step: no Date built, one clock read.
  nowMs(): number {
    const t = this.#now();
    if (t >= this.#endsAt) this.expire();
    return this.#origin + t;
  }

  expired(): boolean {
    return this.signal.aborted || this.#now() >= this.#endsAt;
  }
}

/** An input that may say when its request arrived (the deadline then counts from there). */
interface Timed {
  readonly receivedAt?: number;
}

/** A handler that evaluates within a deadline. */
export type DeadlineHandler<I, O> = (input: I, deadline: Deadline) => Promise<O>;

/**
 * Runs `handler` with a deadline. Past the deadline the answer is `onExpired(input)`: at once when the
 * handler is waiting, or as soon as it returns (its partial result is not used).
 */
export function withDeadline<I extends Timed, O>(
  handler: DeadlineHandler<I, O>,
  options: DeadlineOptions,
  onExpired: (input: I, deadline: Deadline) => O,
): (input: I) => Promise<O> {
  const now = options.now ?? (() => performance.now());
  const waits = options.waits ?? true;
  // The handler's answer, or the deadline's if it ran past it (its partial result is not used).
  const finish = async (input: I, deadline: Deadline): Promise<O> => {
    const out = await handler(input, deadline);
    return deadline.expired() ? onExpired(input, deadline) : out;
  };
  return (input) => {
    // The monotonic clock's zero on the wall clock, per request: `nowMs` is wall-clock time from one read.
    const origin = Date.now() - now();
    const controller = waits ? new AbortController() : new ClockSignal();
    // A request that queued behind others has had part of its time already.
    const endsAt = (input.receivedAt ?? now()) + options.ms;
    const remaining = endsAt - now();
    const state = new RequestDeadline(controller, options.ms, now, origin, endsAt);
    const deadline = state as Deadline;
    // Out of time before it starts (queued too long): not worth evaluating, the answer is known.
    if (remaining <= 0) {
      state.expire();
      return Promise.resolve(onExpired(input, deadline));
    }
    const run = finish(input, deadline);
    if (!waits) return run;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<O>((resolve) => {
      timer = setTimeout(() => {
        state.expire();
        resolve(onExpired(input, deadline));
      }, remaining);
    });
    return Promise.race([run, timedOut]).finally(() => clearTimeout(timer));
  };
}
