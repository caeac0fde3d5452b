/**
 * @module Prometheus metrics under Kyverno's names and labels (reference §9.6, pkg/metrics), so that
 * existing dashboards work: admission requests and review durations per decision; policy results and
 * execution durations per rule (ClusterPolicy/Policy) or per policy (the CEL kinds' own metrics).
 * Durations of the rules of one policy share the policy's measured time equally (the engine times
 * policies, not rules).
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { CompiledSetPolicy, PolicyRef, PolicyResult, PolicySet } from '../../engine/index.js';
import type { Decision, HttpHandler } from '../http.js';

/** Kyverno's default histogram boundaries (pkg/config/metricsconfig.go), in seconds. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30];

const ADMISSION_LABELS = [
  'resource_kind',
  'resource_namespace',
  'resource_request_operation',
  'request_allowed',
  'request_webhook',
] as const;

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
] as const;

const CEL_BASE = [
  'policy_background_mode',
  'policy_name',
  'policy_namespace',
  'resource_kind',
  'resource_namespace',
  'resource_request_operation',
  'execution_cause',
  'result',
] as const;

/** The CEL kinds' metric families (pkg/metrics/vpol.go, ivpol.go, mpol.go, gpol.go) and their labels. */
const CEL_FAMILIES: Readonly<Record<string, { prefix: string; labels: readonly string[] }>> = {
  ValidatingPolicy: { prefix: 'validating_policy', labels: ['policy_validation_mode', ...CEL_BASE] },
  NamespacedValidatingPolicy: {
    prefix: 'validating_policy',
    labels: ['policy_validation_mode', ...CEL_BASE],
  },
  ImageValidatingPolicy: {
    prefix: 'image_validating_policy',
    labels: ['policy_validation_mode', ...CEL_BASE],
  },
  NamespacedImageValidatingPolicy: {
    prefix: 'image_validating_policy',
    labels: ['policy_validation_mode', ...CEL_BASE],
  },
  MutatingPolicy: { prefix: 'mutating_policy', labels: CEL_BASE },
  NamespacedMutatingPolicy: { prefix: 'mutating_policy', labels: CEL_BASE },
  GeneratingPolicy: {
    prefix: 'generating_policy',
    labels: CEL_BASE.filter((l) => l !== 'policy_background_mode'),
  },
  NamespacedGeneratingPolicy: {
    prefix: 'generating_policy',
    labels: CEL_BASE.filter((l) => l !== 'policy_background_mode'),
  },
};

const RULE_TYPES: Readonly<Record<string, string>> = {
  Validation: 'validate',
  Mutation: 'mutate',
  Generation: 'generate',
  ImageVerify: 'imageVerify',
};

type Labels = Record<string, string>;

interface Family {
  readonly results: Counter<string>;
  readonly durations: Histogram<string>;
}

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

/** A fresh registry with Kyverno's admission and policy metrics (and Node's process metrics). */
export function createMetrics(options: { readonly processMetrics?: boolean } = {}): WebhookMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'kyverno_admission_requests_total',
    help: 'can be used to track the number of admission requests encountered by Kyverno in the cluster',
    labelNames: ADMISSION_LABELS,
    registers: [registry],
  });
  const reviews = new Histogram({
    name: 'kyverno_admission_review_duration_seconds',
    help: 'can be used to track the latencies (in seconds) associated with the entire individual admission review',
    labelNames: ADMISSION_LABELS,
    buckets: BUCKETS,
    registers: [registry],
  });
  const family = (prefix: string, labels: readonly string[]): Family => ({
    results: new Counter({
      name: `kyverno_${prefix}_results_total`,
      help: `can be used to track the results associated with the ${prefix.replaceAll('_', ' ')} rules applied`,
      labelNames: labels,
      registers: [registry],
    }),
    durations: new Histogram({
      name: `kyverno_${prefix}_execution_duration_seconds`,
      help: `can be used to track the latencies (in seconds) of the ${prefix.replaceAll('_', ' ')} rules`,
      labelNames: labels,
      buckets: BUCKETS,
      registers: [registry],
    }),
  });
  const legacy = family('policy', POLICY_LABELS);
  const cel = new Map<string, Family>();
  for (const { prefix, labels } of Object.values(CEL_FAMILIES))
    if (!cel.has(prefix)) cel.set(prefix, family(prefix, labels));

  const recordResult = (d: Decision, set: PolicySet | undefined, r: PolicyResult): void => {
    const request = d.request;
    const background = String(set !== undefined && policyOf(set, r.policy)?.traits.background === true);
    const rules = r.response.rules;
    const kind = r.policy.kind;
    const operation = request.operation.toLowerCase();
    if (kind === 'ClusterPolicy' || kind === 'Policy') {
      // Kyverno's label order (pkg/metrics/policy_engine.go), which is also the exposition order.
      const seconds = (r.durationMs ?? 0) / 1000 / Math.max(1, rules.length);
      for (const rule of rules) {
        const labels: Labels = {
          policy_validation_mode: r.response.validationFailureAction === 'Enforce' ? 'enforce' : 'audit',
          policy_type: kind === 'Policy' ? 'namespaced' : 'cluster',
          policy_background_mode: background,
          policy_namespace: r.policy.namespace ?? '-',
          policy_name: r.policy.name,
          resource_kind: request.kind.kind,
          resource_namespace: request.namespace,
          resource_request_operation: operation,
          rule_name: rule.name,
          rule_result: rule.status,
          rule_type: RULE_TYPES[rule.type] ?? '-',
          rule_execution_cause: 'admission_request',
          dry_run: String(request.dryRun === true),
        };
        legacy.results.inc(labels);
        legacy.durations.observe(labels, seconds);
      }
      return;
    }
    const spec = CEL_FAMILIES[kind];
    const fam = spec !== undefined ? cel.get(spec.prefix) : undefined;
    if (spec === undefined || fam === undefined) return;
    for (const rule of rules) {
      const all: Labels = {
        policy_validation_mode: r.response.validationFailureAction === 'Enforce' ? 'Deny' : 'Audit',
        policy_background_mode: background,
        policy_name: r.policy.name,
        policy_namespace: r.policy.namespace ?? '',
        resource_kind: request.kind.kind,
        resource_namespace: request.namespace,
        resource_request_operation: operation,
        execution_cause: 'admission_request',
        result: rule.status,
      };
      const labels = Object.fromEntries(spec.labels.map((l) => [l, all[l] ?? '']));
      fam.results.inc(labels);
      fam.durations.observe(labels, (r.durationMs ?? 0) / 1000);
    }
  };

  return {
    registry,
    record(d, seconds) {
      const labels: Labels = {
        resource_kind: d.request.kind.kind,
        resource_namespace: d.request.namespace,
        resource_request_operation: d.request.operation.toLowerCase(),
        request_allowed: String(d.answer.response.allowed),
        request_webhook: d.endpoint.webhook,
      };
      requests.inc(labels);
      reviews.observe(labels, seconds);
      for (const r of d.answer.outcome?.responses ?? []) recordResult(d, d.loaded?.set, r);
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
