/**
 * @module admit, scan and evaluatePayload: a compiled set evaluated against one request, phase by
 * phase in Kyverno's order (see PHASES), each kind from the table in turn.
 */

import { EMPTIED_RESOURCE } from '../kinds/cluster-policy/mutate/emptied-resource.js';
import { withExtraExceptions } from '../kinds/policy-exception/exception-index.js';
import { RequestBudget, type RequestBudgetOptions } from '../limits.js';
import type { KubeObject } from '../model/kube-object.js';
import { evaluateWithAsyncPorts } from '../port-bridge.js';
import { clockMillis, type Ports } from '../ports.js';
import type { AdmissionRuntime, EvaluationRuntime } from '../runtime.js';
import { getOrCreate } from '../units/get-or-create.js';
import { groupByKind } from './compile.js';
import { decide } from './decision.js';
import { KIND_TABLE } from './kinds.js';
import {
  type AdmissionRequest,
  admittedObject,
  type EvaluationProfile,
  requestForObject,
} from './request.js';
import type {
  AdmissionOutcome,
  AdmissionState,
  AdmitOptions,
  CompiledSetPolicy,
  KindName,
  Phase,
  PolicyResult,
  PolicySet,
  ScanOutcome,
  ScanSkip,
} from './types.js';
import { PHASES } from './types.js';

const KIND_BY_NAME = new Map(KIND_TABLE.map((entry) => [entry.name, entry]));

// Grouping is per policy list: the whole set (cli) or one memoised policiesFor answer (admission).
const groups = new WeakMap<readonly CompiledSetPolicy[], Map<KindName, unknown[]>>();

function grouped(policies: readonly CompiledSetPolicy[]): Map<KindName, unknown[]> {
  return getOrCreate(groups, policies, () => groupByKind(policies));
}

/**
 * One budget for the whole request: every policy and rule shares its time and total work. `startedAt`
 * keeps the request's start across the replays of asynchronous ports (each replay counts work afresh).
 */
function requestBudget(runtime: EvaluationRuntime, startedAt: { at?: number }): RequestBudget {
  const clock = runtime.ports.clock;
  const now = clock !== undefined ? clockMillis(clock) : undefined;
  if (now !== undefined) startedAt.at ??= now();
  // Field by field: no object literal with something after a spread on the request path (see
  // docs/decisions/0007-performance.md: V8 builds those in the old space, which keeps the request's
  // young objects alive through scavenges).
  const options: { -readonly [K in keyof RequestBudgetOptions]: RequestBudgetOptions[K] } = {};
  if (runtime.limits !== undefined) options.limits = runtime.limits;
  if (now !== undefined) options.now = now;
  if (runtime.signal !== undefined) options.signal = runtime.signal;
  if (startedAt.at !== undefined) options.startedAt = startedAt.at;
  return new RequestBudget(options);
}

function newState(
  set: PolicySet,
  request: AdmissionRequest,
  runtime: EvaluationRuntime,
  profile: EvaluationProfile,
  celPorts: Ports | undefined,
  startedAt: { at?: number } = {},
): AdmissionState {
  const original = admittedObject(request);
  const extra = request.context?.exceptions ?? [];
  // Evaluation-time compiles (a pattern read from data) go to the set's memo, freed with the set.
  const rt: EvaluationRuntime = Object.assign({}, runtime, {
    compileMemo: set.compileMemo,
    budget: runtime.budget ?? requestBudget(runtime, startedAt),
  });
  return {
    request,
    profile,
    runtime: rt,
    celRuntime: celPorts === undefined ? rt : Object.assign({}, rt, { ports: celPorts }),
    original,
    object: original,
    exceptions: withExtraExceptions(set.exceptions, extra),
    results: [],
    warnings: [],
    legacyRequests: {},
  };
}

function candidates(set: PolicySet, request: AdmissionRequest): readonly CompiledSetPolicy[] {
  return set.policiesFor({ kind: request.kind.kind, resource: request.resource.resource }, request.namespace);
}

type Select = NonNullable<AdmitOptions['select']>;

// Memoised per candidate list (itself memoised by the set's index) and per selecting function.
const selections = new WeakMap<readonly CompiledSetPolicy[], WeakMap<Select, readonly CompiledSetPolicy[]>>();

function selected(policies: readonly CompiledSetPolicy[], select: Select | undefined) {
  if (select === undefined) return policies;
  const bySelect = getOrCreate(selections, policies, () => new WeakMap());
  return getOrCreate(bySelect, select, () => policies.filter(select));
}

/** Runs one kind's policies in a phase; with a timer, one policy at a time, stamping its results. */
function runEntry(
  entry: (typeof KIND_TABLE)[number],
  policies: readonly unknown[],
  phase: Phase,
  state: AdmissionState,
  timer: (() => number) | undefined,
): void {
  if (timer === undefined) {
    entry.evaluate(policies, phase, state);
    return;
  }
  // One clock read per policy: a policy's end is the next one's start.
  let started = timer();
  for (const p of policies) {
    const from = state.results.length;
    entry.evaluate([p], phase, state);
    const ended = timer();
    const durationMs = ended - started;
    started = ended;
    for (let i = from; i < state.results.length; i++) {
      const r = state.results[i];
      // Object.assign, not a spread with an added field (V8's slow path): once per policy.
      if (r !== undefined) state.results[i] = Object.assign({}, r, { durationMs });
    }
  }
}

/**
 * Runs a synchronous evaluation with `runtime`'s ports: at once for synchronous ports, by replay for
 * asynchronous ones. Rejects only when the signal was aborted before it started.
 */
async function withRuntime<T>(runtime: AdmissionRuntime, run: (rt: EvaluationRuntime) => T): Promise<T> {
  runtime.signal?.throwIfAborted();
  if (!('asyncPorts' in runtime)) return run(runtime);
  const { asyncPorts, maxPortRounds, ...rest } = runtime;
  const options: { signal?: AbortSignal; maxRounds?: number } = {};
  if (runtime.signal !== undefined) options.signal = runtime.signal;
  if (maxPortRounds !== undefined) options.maxRounds = maxPortRounds;
  return evaluateWithAsyncPorts(asyncPorts, (ports) => run(Object.assign({}, rest, { ports })), options);
}

/** The kinds Kyverno's CLI evaluates on the resource as loaded, apart from the others. */
const RUN_ON_LOADED: ReadonlySet<string> = new Set(['image-validating-policy', 'deleting-policy']);

/**
 * Evaluates every policy of the set that applies to `request`, phase by phase. The `cli` profile
 * (Kyverno's CLI verdicts) evaluates every policy and keeps its quirks; `admission` (the default)
 * evaluates only the policies `policiesFor` names. `options` narrow it to some phases and policies
 * (a webhook endpoint) and time each policy. Rejects only when `runtime.signal` is aborted
 * before it starts; an abort while ports are answering ends those calls with a timeout/cancelled
 * error that the rules needing them report.
 */
export function admit(
  set: PolicySet,
  request: AdmissionRequest,
  runtime: AdmissionRuntime,
  options: AdmitOptions = {},
): Promise<AdmissionOutcome> {
  const profile = options.profile ?? 'admission';
  const startedAt = {};
  return withRuntime(runtime, (rt) => {
    const state = newState(set, request, rt, profile, options.celPorts, startedAt);
    const all = profile === 'cli' ? set.policies : candidates(set, request);
    const byKind = grouped(selected(all, options.select));
    for (const phase of PHASES) {
      if (options.phases !== undefined && !options.phases.includes(phase)) continue;
      for (const entry of KIND_TABLE) {
        if (!entry.phases.includes(phase)) continue;
        // Kyverno's CLI goes on with a mutate error's empty object, which no policy of any kind
        // matches; its ImageValidatingPolicies and DeletingPolicies run apart, on the resources
        // as loaded (apply's applyImageValidatingPolicies / applyDeletingPolicies).
        if (state.object === EMPTIED_RESOURCE && !(profile === 'cli' && RUN_ON_LOADED.has(entry.name)))
          continue;
        const policies = byKind.get(entry.name);
        if (policies !== undefined && policies.length > 0)
          runEntry(entry, policies, phase, state, options.timer);
      }
    }
    return decide(state);
  });
}

/**
 * Background evaluation of an existing object (reference §9.3): a CREATE with no user info, by the
 * policies with background enabled; MutatingPolicies report drift. Every policy that may match the
 * object and is not evaluated is listed in `skipped` with its reason (its kind is not scanned, its
 * background mode is off, ...), never left out silently. Rejects only when `runtime.signal` is
 * aborted before it starts.
 */
export function scan(
  set: PolicySet,
  object: KubeObject,
  runtime: AdmissionRuntime,
  options: { readonly namespaceObject?: KubeObject | null } = {},
): Promise<ScanOutcome> {
  const context = options.namespaceObject !== undefined ? { namespaceObject: options.namespaceObject } : {};
  const request = requestForObject(object, 'CREATE', { context });
  const startedAt = {};
  const all = candidates(set, request);
  const skipped: ScanSkip[] = [];
  const scanned = all.filter((p) => {
    const reason = KIND_BY_NAME.get(p.kind)?.scanSkip(p.compiled);
    if (reason !== undefined) skipped.push({ policy: p.ref, reason });
    return reason === undefined;
  });
  return withRuntime(runtime, (rt) => {
    const state = newState(set, request, rt, 'admission', undefined, startedAt);
    const byKind = groupByKind(scanned);
    for (const entry of KIND_TABLE) {
      const policies = byKind.get(entry.name);
      if (entry.scan !== undefined && policies !== undefined && policies.length > 0)
        entry.scan(policies, state);
    }
    const stoppedBy = state.runtime.budget?.stopped;
    return { results: state.results, skipped, ...(stoppedBy !== undefined ? { stoppedBy } : {}) };
  });
}

/**
 * A JSON payload (`--json`, a test's `jsonPayloads`): JSON-mode ValidatingPolicies (every response
 * kept) and DeletingPolicies evaluate it; `request` names it (its object is the payload). Never throws.
 */
export function evaluatePayload(
  set: PolicySet,
  request: AdmissionRequest,
  runtime: EvaluationRuntime,
  options: Pick<AdmitOptions, 'celPorts'> = {},
): PolicyResult[] {
  const state = newState(set, request, runtime, 'cli', options.celPorts);
  const byKind = grouped(set.policies);
  for (const entry of KIND_TABLE) {
    const policies = byKind.get(entry.name);
    if (entry.payload !== undefined && policies !== undefined && policies.length > 0)
      entry.payload(policies, state);
  }
  return state.results;
}

/**
 * One authorization request (an Envoy or HTTP CheckRequest as JSON, the test's `envoyPayloads` /
 * `httpPayloads`) through the set's ValidatingPolicies of that evaluation mode: one result each.
 */
export function evaluateAuthzPayload(
  set: PolicySet,
  mode: 'Envoy' | 'HTTP',
  checkRequest: unknown,
  runtime: EvaluationRuntime,
  options: Pick<AdmitOptions, 'celPorts'> = {},
): PolicyResult[] {
  const state = newState(set, requestForObject(checkRequest as KubeObject), runtime, 'cli', options.celPorts);
  const byKind = grouped(set.policies);
  for (const entry of KIND_TABLE) {
    const policies = byKind.get(entry.name);
    if (entry.authz !== undefined && policies !== undefined && policies.length > 0)
      entry.authz(policies, state, mode);
  }
  return state.results;
}
