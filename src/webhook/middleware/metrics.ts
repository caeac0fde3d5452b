/**
 * @module Prometheus metrics under Kyverno's names and labels (reference §9.6, pkg/metrics), so that
 * existing dashboards work: admission requests and review durations per decision; policy results and
 * execution durations per rule (ClusterPolicy/Policy) or per policy (the CEL kinds' own metrics).
 * Durations of the rules of one policy share the policy's measured time equally (the engine times
 * policies, not rules). Exposed through prom-client's registry, with Node's process metrics.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CompiledSetPolicy, PolicyRef, PolicyResult, PolicySet } from '../../engine/index.js';
import type { Decision, HttpHandler } from '../http.js';
import {
  type CounterRecord,
  CounterSeries,
  type HistogramRecord,
  HistogramSeries,
  seriesKey,
} from './metric-series.js';

/** Kyverno's default histogram boundaries (pkg/config/metricsconfig.go), in seconds. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30];

const ADMISSION_LABELS = [
  'resource_kind',
  'resource_namespace',
  'resource_request_operation',
  'request_allowed',
  'request_webhook',
];

// Kyverno's order (pkg/metrics/policy_engine.go), which is also the exposition order.
const POLICY_LABELS = [
  'policy_validation_mode',
  'policy_type',
  'policy_background_mode',
  'policy_namespace',
  'policy_name',
  'resource_kind',
  'resource_namespace',
  'resource_request_operation',
  'rule_name',
  'rule_result',
  'rule_type',
  'rule_execution_cause',
  'dry_run',
];

/** Every label a CEL kind's family may carry (pkg/metrics/vpol.go, ivpol.go, mpol.go, gpol.go). */
const CEL_LABELS = [
  'policy_validation_mode',
  'policy_background_mode',
  'policy_name',
  'policy_namespace',
  'resource_kind',
  'resource_namespace',
  'resource_request_operation',
  'execution_cause',
  'result',
];

interface CelFamilySpec {
  readonly prefix: string;
  /** Indexes into CEL_LABELS of the labels this family carries. */
  readonly labels: readonly number[];
}

const ALL = CEL_LABELS.map((_, i) => i);
const NO_MODE = ALL.filter((i) => CEL_LABELS[i] !== 'policy_validation_mode');
const NO_MODE_NO_BACKGROUND = NO_MODE.filter((i) => CEL_LABELS[i] !== 'policy_background_mode');

const CEL_FAMILIES: Readonly<Record<string, CelFamilySpec>> = {
  ValidatingPolicy: { prefix: 'validating_policy', labels: ALL },
  NamespacedValidatingPolicy: { prefix: 'validating_policy', labels: ALL },
  ImageValidatingPolicy: { prefix: 'image_validating_policy', labels: ALL },
  NamespacedImageValidatingPolicy: { prefix: 'image_validating_policy', labels: ALL },
  MutatingPolicy: { prefix: 'mutating_policy', labels: NO_MODE },
  NamespacedMutatingPolicy: { prefix: 'mutating_policy', labels: NO_MODE },
  GeneratingPolicy: { prefix: 'generating_policy', labels: NO_MODE_NO_BACKGROUND },
  NamespacedGeneratingPolicy: { prefix: 'generating_policy', labels: NO_MODE_NO_BACKGROUND },
};

const RULE_TYPES: Readonly<Record<string, string>> = {
  Validation: 'validate',
  Mutation: 'mutate',
  Generation: 'generate',
  ImageVerify: 'imageVerify',
};

interface Family {
  readonly results: CounterSeries;
  readonly durations: HistogramSeries;
}

interface AdmissionSeries {
  readonly count: CounterRecord;
  readonly duration: HistogramRecord;
}

interface RuleSeries {
  readonly result: CounterRecord;
  readonly duration: HistogramRecord;
}

/** A rule result's series in audit (0) and enforce (1) mode, made on first use. */
type ModeSlots = [RuleSeries | undefined, RuleSeries | undefined];

export interface WebhookMetrics {
  readonly registry: Registry;
  /** Records one admission decision (`seconds`: from the body read to the answer). */
  record(decision: Decision, seconds: number): void;
}

// Per set: the set policy of each ref (refs are shared by a policy's results), for its traits.
const refIndex = new WeakMap<PolicySet, Map<PolicyRef, CompiledSetPolicy>>();

function policyOf(set: PolicySet, ref: PolicyRef): CompiledSetPolicy | undefined {
  let index = refIndex.get(set);
  if (index === undefined) {
    index = new Map(set.policies.map((p) => [p.ref, p]));
    refIndex.set(set, index);
  }
  return index.get(ref);
}

function backgroundOf(set: PolicySet | undefined, ref: PolicyRef): string {
  return String(set !== undefined && policyOf(set, ref)?.traits.background === true);
}

/** A fresh registry with Kyverno's admission and policy metrics (and Node's process metrics). */
export function createMetrics(options: { readonly processMetrics?: boolean } = {}): WebhookMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const admissionRequests = new CounterSeries(
    registry,
    'kyverno_admission_requests_total',
    'can be used to track the number of admission requests encountered by Kyverno in the cluster',
    ADMISSION_LABELS,
  );
  const reviews = new HistogramSeries(
    registry,
    'kyverno_admission_review_duration_seconds',
    'can be used to track the latencies (in seconds) associated with the entire individual admission review',
    ADMISSION_LABELS,
    BUCKETS,
  );
  const family = (prefix: string, labels: readonly string[]): Family => ({
    results: new CounterSeries(
      registry,
      `kyverno_${prefix}_results_total`,
      `can be used to track the results associated with the ${prefix.replaceAll('_', ' ')} rules applied`,
      labels,
    ),
    durations: new HistogramSeries(
      registry,
      `kyverno_${prefix}_execution_duration_seconds`,
      `can be used to track the latencies (in seconds) of the ${prefix.replaceAll('_', ' ')} rules`,
      labels,
      BUCKETS,
    ),
  });
  const legacy = family('policy', POLICY_LABELS);
  const cel = new Map<string, Family>();
  for (const { prefix, labels } of Object.values(CEL_FAMILIES))
    if (!cel.has(prefix))
      cel.set(
        prefix,
        family(
          prefix,
          labels.map((i) => CEL_LABELS[i] ?? ''),
        ),
      );

  // The series a rule's result goes to, found without building its label list or a key string: by
  // policy ref (kept by the set, so no per-request key), rule name, the request's part of the labels
  // (one string per decision), the result, and the mode. Label lists are built on a miss only.
  // By the request's part of the labels first (kind, namespace, operation, dry run: looked up once per
  // review), then by policy, rule and result.
  type RefSlots = WeakMap<PolicyRef, Map<string, Map<string, ModeSlots>>>;
  // The admission series also hang off the request's part (their labels are that part's kind,
  // namespace and lowered operation, the answer, the webhook): no label list or key per review.
  type RequestSlots = Map<string, [AdmissionSeries | undefined, AdmissionSeries | undefined]>;
  interface PartSlots {
    readonly byRef: RefSlots;
    readonly requests: RequestSlots;
  }
  const handles = new Map<string, PartSlots>();
  const partSlotsOf = (part: string): PartSlots => {
    let slots = handles.get(part);
    if (slots === undefined) {
      slots = { byRef: new WeakMap(), requests: new Map() };
      handles.set(part, slots);
    }
    return slots;
  };
  const admissionSeriesOf = (d: Decision, requests: RequestSlots): AdmissionSeries => {
    const webhook = d.endpoint.webhook;
    const allowed = d.answer.response.allowed;
    let pair = requests.get(webhook);
    if (pair === undefined) {
      pair = [undefined, undefined];
      requests.set(webhook, pair);
    }
    let s = pair[allowed ? 1 : 0];
    if (s === undefined) {
      const values = [
        d.request.kind.kind,
        d.request.namespace,
        d.request.operation.toLowerCase(),
        String(allowed),
        webhook,
      ];
      const key = seriesKey(values);
      s = { count: admissionRequests.series(values, key), duration: reviews.series(values, key) };
      pair[allowed ? 1 : 0] = s;
    }
    return s;
  };
  const slotsOf = (byRef: RefSlots, ref: PolicyRef, rule: string, status: string): ModeSlots => {
    let byRule = byRef.get(ref);
    if (byRule === undefined) {
      byRule = new Map();
      byRef.set(ref, byRule);
    }
    let byStatus = byRule.get(rule);
    if (byStatus === undefined) {
      byStatus = new Map();
      byRule.set(rule, byStatus);
    }
    let slots = byStatus.get(status);
    if (slots === undefined) {
      slots = [undefined, undefined];
      byStatus.set(status, slots);
    }
    return slots;
  };
  const seriesFor = (fam: Family, values: readonly string[]): RuleSeries => {
    const key = seriesKey(values);
    return { result: fam.results.series(values, key), duration: fam.durations.series(values, key) };
  };

  const recordResult = (d: Decision, set: PolicySet | undefined, r: PolicyResult, byRef: RefSlots): void => {
    const request = d.request;
    const rules = r.response.rules;
    const kind = r.policy.kind;
    const enforce = r.response.validationFailureAction === 'Enforce';
    const mode = enforce ? 1 : 0;
    if (kind === 'ClusterPolicy' || kind === 'Policy') {
      const seconds = (r.durationMs ?? 0) / 1000 / Math.max(1, rules.length);
      for (const rule of rules) {
        // A rule of a policy has one type: the type is not part of the lookup.
        const slots = slotsOf(byRef, r.policy, rule.name, rule.status);
        let s = slots[mode];
        if (s === undefined) {
          s = seriesFor(legacy, [
            enforce ? 'enforce' : 'audit',
            kind === 'Policy' ? 'namespaced' : 'cluster',
            backgroundOf(set, r.policy),
            r.policy.namespace ?? '-',
            r.policy.name,
            request.kind.kind,
            request.namespace,
            request.operation.toLowerCase(),
            rule.name,
            rule.status,
            RULE_TYPES[rule.type] ?? '-',
            'admission_request',
            String(request.dryRun === true),
          ]);
          slots[mode] = s;
        }
        s.result.count++;
        legacy.durations.observeIn(s.duration, seconds);
      }
      return;
    }
    const spec = CEL_FAMILIES[kind];
    const fam = spec !== undefined ? cel.get(spec.prefix) : undefined;
    if (spec === undefined || fam === undefined) return;
    for (const rule of rules) {
      const slots = slotsOf(byRef, r.policy, rule.name, rule.status);
      let s = slots[mode];
      if (s === undefined) {
        const all = [
          enforce ? 'Deny' : 'Audit',
          backgroundOf(set, r.policy),
          r.policy.name,
          r.policy.namespace ?? '',
          request.kind.kind,
          request.namespace,
          request.operation.toLowerCase(),
          'admission_request',
          rule.status,
        ];
        s = seriesFor(fam, spec.labels === ALL ? all : spec.labels.map((i) => all[i] ?? ''));
        slots[mode] = s;
      }
      s.result.count++;
      fam.durations.observeIn(s.duration, (r.durationMs ?? 0) / 1000);
    }
  };

  return {
    registry,
    record(d, seconds) {
      // What the series' labels take from the request, once per decision.
      const part = `${d.request.kind.kind}\u0000${d.request.namespace}\u0000${d.request.operation}\u0000${d.request.dryRun === true}`;
      const slots = partSlotsOf(part);
      const admission = admissionSeriesOf(d, slots.requests);
      admission.count.count++;
      reviews.observeIn(admission.duration, seconds);
      const responses = d.answer.outcome?.responses;
      if (responses === undefined || responses.length === 0) return;
      for (const r of responses) recordResult(d, d.loaded?.set, r, slots.byRef);
    },
  };
}

/** Records every admission decision the handler makes, timed from the call to the reply. */
export function withMetrics(handler: HttpHandler, metrics: WebhookMetrics, now: () => number): HttpHandler {
  return async (call) => {
    const started = now();
    const reply = await handler(call);
    if (reply.decision !== undefined) metrics.record(reply.decision, (now() - started) / 1000);
    return reply;
  };
}
