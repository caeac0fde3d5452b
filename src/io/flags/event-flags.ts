/**
 * @module The event flags `palisade serve` and `palisade controller` share (Kyverno's --omitEvents,
 * --maxQueuedEvents, --eventsRateLimitQPS, --eventsRateLimitBurst), parsed into one value.
 */

import { DEFAULT_OMITTED_EVENTS, EVENT_REASONS, type EventReason } from '../events/event-info.js';
import { parseCountValue, parseRateValue } from './limits-flags.js';

export interface EventFlags {
  readonly omit: ReadonlySet<EventReason>;
  readonly maxQueued: number;
  readonly qps: number;
  readonly burst: number;
}

export const EVENT_OPTIONS = {
  'omit-events': { type: 'string' },
  'max-queued-events': { type: 'string' },
  'events-rate-limit-qps': { type: 'string' },
  'events-rate-limit-burst': { type: 'string' },
} as const;

export const EVENT_HELP = `      --omit-events LIST         event reasons not emitted, of PolicyViolation, PolicyApplied,
                                 PolicyError, PolicySkipped (default PolicyApplied,PolicySkipped,
                                 Kyverno's; "" emits all)
      --max-queued-events N      distinct events waiting to be sent at most; more are dropped and
                                 counted in kyverno_events_dropped_total (default 1000; 0: none)
      --events-rate-limit-qps N  events sent per second at most (default 1000)
      --events-rate-limit-burst N
                                 events sent at once above that rate (default 2000)`;

export const DEFAULT_EVENT_FLAGS: EventFlags = {
  omit: new Set(DEFAULT_OMITTED_EVENTS),
  maxQueued: 1000,
  qps: 1000,
  burst: 2000,
};

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The flag's value parsed by `parse` (the defaults when absent), or a usage error naming the flag. */
function flagNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  parse: (text: string) => number | undefined,
  expected: string,
): number {
  if (value === undefined) return fallback;
  const n = parse(value);
  if (n === undefined) throw new Error(`--${flag} expects ${expected} of 0 or more, got "${value}"`);
  return n;
}

/** The event flags of `values` (a parseArgs result), or an Error whose message is the usage error. */
export function parseEventFlags(values: Readonly<Record<string, unknown>>): EventFlags {
  const omitText = text(values['omit-events']);
  let omit = DEFAULT_EVENT_FLAGS.omit;
  if (omitText !== undefined) {
    const names = omitText
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const unknown = names.filter((n) => !(EVENT_REASONS as readonly string[]).includes(n));
    if (unknown.length > 0)
      throw new Error(`--omit-events: unknown reason "${unknown[0]}"; one of ${EVENT_REASONS.join(', ')}`);
    omit = new Set(names as EventReason[]);
  }
  return {
    omit,
    maxQueued: flagNumber(
      'max-queued-events',
      text(values['max-queued-events']),
      DEFAULT_EVENT_FLAGS.maxQueued,
      parseCountValue,
      'a count',
    ),
    qps: flagNumber(
      'events-rate-limit-qps',
      text(values['events-rate-limit-qps']),
      DEFAULT_EVENT_FLAGS.qps,
      parseRateValue,
      'a number',
    ),
    burst: flagNumber(
      'events-rate-limit-burst',
      text(values['events-rate-limit-burst']),
      DEFAULT_EVENT_FLAGS.burst,
      parseCountValue,
      'a count',
    ),
  };
}
