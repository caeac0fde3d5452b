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
  return (input) => {
    // The monotonic clock's zero on the wall clock, per request: `nowMs` is wall-clock time from one read.
    const origin = Date.now() - now();
    const controller = waits ? new AbortController() : new ClockSignal();
    const signal = controller instanceof AbortController ? controller.signal : controller;
    // A request that queued behind others has had part of its time already.
    const endsAt = (input.receivedAt ?? now()) + options.ms;
    const remaining = endsAt - now();
    const expire = (): void => {
      if (signal.aborted) return;
      // A TimeoutError, so port calls it ends say `timeout` rather than `cancelled`.
      const reason = new DOMException(`evaluation deadline of ${options.ms} ms exceeded`, 'TimeoutError');
      controller.abort(reason);
    };
    const clock: Clock = {
      now() {
        if (now() >= endsAt) expire();
        return new Date();
      },
      // What the engine's limits read at every step: no Date built, one clock read.
      nowMs() {
        const t = now();
        if (t >= endsAt) expire();
        return origin + t;
      },
    };
    const expired = (): boolean => signal.aborted || now() >= endsAt;
    const deadline: Deadline =
      controller instanceof AbortController
        ? { waits: true, signal: controller.signal, ms: options.ms, clock, expired }
        : { waits: false, signal: controller, ms: options.ms, clock, expired };
    // Out of time before it starts (queued too long): not worth evaluating, the answer is known.
    if (remaining <= 0) {
      expire();
      return Promise.resolve(onExpired(input, deadline));
    }
    const run = handler(input, deadline).then((out) =>
      deadline.expired() ? onExpired(input, deadline) : out,
    );
    if (!waits) return run;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<O>((resolve) => {
      timer = setTimeout(() => {
        expire();
        resolve(onExpired(input, deadline));
      }, remaining);
    });
    return Promise.race([run, timedOut]).finally(() => clearTimeout(timer));
  };
}
