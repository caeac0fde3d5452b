import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  DEFAULT_OMITTED_EVENTS,
  EVENT_REASONS
} from "./chunk-CIHTMZJI.mjs";
import {
  parseCountValue,
  parseLimitValue,
  parseRateValue
} from "./chunk-G5XHT7KU.mjs";
import {
  DEFAULT_ELECTION_TIMING,
  timingProblem
} from "./chunk-VRWKX5IU.mjs";

// src/io/flags/election-flags.ts
var ELECTION_TIMING_OPTIONS = {
  "lease-duration": { type: "string" },
  "renew-deadline": { type: "string" },
  "retry-period": { type: "string" }
};
var FLAGS = [
  ["lease-duration", "leaseDurationMs"],
  ["renew-deadline", "renewDeadlineMs"],
  ["retry-period", "retryPeriodMs"]
];
function parseElectionTiming(values) {
  const timing = { ...DEFAULT_ELECTION_TIMING };
  for (const [flag, field] of FLAGS) {
    const text2 = values[flag];
    if (typeof text2 !== "string") continue;
    const ms = parseLimitValue("duration", text2);
    if (ms === void 0)
      return { ok: false, error: `--${flag} expects a duration such as 2s, got "${text2}"` };
    timing[field] = ms;
  }
  const problem = timingProblem(timing);
  return problem === void 0 ? { ok: true, timing } : { ok: false, error: `leader election: ${problem}` };
}

// src/io/flags/event-flags.ts
var EVENT_OPTIONS = {
  "omit-events": { type: "string" },
  "max-queued-events": { type: "string" },
  "events-rate-limit-qps": { type: "string" },
  "events-rate-limit-burst": { type: "string" }
};
var EVENT_HELP = `      --omit-events LIST         event reasons not emitted, of PolicyViolation, PolicyApplied,
                                 PolicyError, PolicySkipped (default PolicyApplied,PolicySkipped,
                                 Kyverno's; "" emits all)
      --max-queued-events N      distinct events waiting to be sent at most; more are dropped and
                                 counted in kyverno_events_dropped_total (default 1000; 0: none)
      --events-rate-limit-qps N  events sent per second at most (default 1000)
      --events-rate-limit-burst N
                                 events sent at once above that rate (default 2000)`;
var DEFAULT_EVENT_FLAGS = {
  omit: new Set(DEFAULT_OMITTED_EVENTS),
  maxQueued: 1e3,
  qps: 1e3,
  burst: 2e3
};
var text = (v) => typeof v === "string" ? v : void 0;
function flagNumber(flag, value, fallback, parse, expected) {
  if (value === void 0) return fallback;
  const n = parse(value);
  if (n === void 0) throw new Error(`--${flag} expects ${expected} of 0 or more, got "${value}"`);
  return n;
}
function parseEventFlags(values) {
  const omitText = text(values["omit-events"]);
  let omit = DEFAULT_EVENT_FLAGS.omit;
  if (omitText !== void 0) {
    const names = omitText.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const unknown = names.filter((n) => !EVENT_REASONS.includes(n));
    if (unknown.length > 0)
      throw new Error(`--omit-events: unknown reason "${unknown[0]}"; one of ${EVENT_REASONS.join(", ")}`);
    omit = new Set(names);
  }
  return {
    omit,
    maxQueued: flagNumber(
      "max-queued-events",
      text(values["max-queued-events"]),
      DEFAULT_EVENT_FLAGS.maxQueued,
      parseCountValue,
      "a count"
    ),
    qps: flagNumber(
      "events-rate-limit-qps",
      text(values["events-rate-limit-qps"]),
      DEFAULT_EVENT_FLAGS.qps,
      parseRateValue,
      "a number"
    ),
    burst: flagNumber(
      "events-rate-limit-burst",
      text(values["events-rate-limit-burst"]),
      DEFAULT_EVENT_FLAGS.burst,
      parseCountValue,
      "a count"
    )
  };
}

export {
  ELECTION_TIMING_OPTIONS,
  parseElectionTiming,
  EVENT_OPTIONS,
  EVENT_HELP,
  parseEventFlags
};
