/**
 * @module The cleanup, deleting and TTL controllers' counters under Kyverno's names and labels
 * (pkg/metrics/cleanup.go, deleting.go, ttl_info.go), exposed as Prometheus counters with the
 * `_total` suffix Kyverno's OpenTelemetry exporter gives them. `resource_namespace` and
 * `deletion_propagation` are left out when empty, as Kyverno does.
 */
import { Counter, type Registry } from 'prom-client';

export interface PolicyLabels {
  readonly policyType: string;
  readonly policyNamespace: string;
  readonly policyName: string;
}

/** The labels naming `policy` (its kind, namespace or '' and name). */
export function policyLabels(policy: {
  readonly kind: string;
  readonly metadata: { readonly namespace?: string; readonly name: string };
}): PolicyLabels {
  return {
    policyType: policy.kind,
    policyNamespace: policy.metadata.namespace ?? '',
    policyName: policy.metadata.name,
  };
}

export interface CleanupMetrics {
  /** A ClusterCleanupPolicy/CleanupPolicy deleted (or failed to delete or list) objects of `kind`. */
  cleanup(
    outcome: 'deleted' | 'error',
    p: PolicyLabels,
    kind: string,
    namespace: string,
    propagation?: string,
  ): void;
  /** A DeletingPolicy likewise, by resource. */
  deleting(
    outcome: 'deleted' | 'error',
    p: PolicyLabels,
    resource: string,
    namespace: string,
    propagation?: string,
  ): void;
  /** The TTL label deleted (or failed to delete) an object. */
  ttl(
    outcome: 'deleted' | 'error',
    gvr: { readonly group: string; readonly version: string; readonly resource: string },
    namespace: string,
  ): void;
}

const POLICY = ['policy_type', 'policy_namespace', 'policy_name'] as const;
const TTL = ['resource_namespace', 'resource_group', 'resource_version', 'resource_resource'] as const;

function counter(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<string>;
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}

export function createCleanupMetrics(registry: Registry): CleanupMetrics {
  const c = {
    cleanup: {
      deleted: counter(
        registry,
        'kyverno_cleanup_controller_deletedobjects_total',
        'can be used to track number of deleted objects.',
        [...POLICY, 'resource_kind', 'resource_namespace', 'deletion_propagation'],
      ),
      error: counter(
        registry,
        'kyverno_cleanup_controller_errors_total',
        'can be used to track number of cleanup failures.',
        [...POLICY, 'resource_kind', 'resource_namespace', 'deletion_propagation'],
      ),
    },
    deleting: {
      deleted: counter(
        registry,
        'kyverno_deleting_controller_deletedobjects_total',
        'can be used to track number of deleted objects by the deleting controller.',
        [...POLICY, 'resource', 'resource_namespace', 'deletion_propagation'],
      ),
      error: counter(
        registry,
        'kyverno_deleting_controller_errors_total',
        'can be used to track number of deleting failures.',
        [...POLICY, 'resource', 'resource_namespace', 'deletion_propagation'],
      ),
    },
    ttl: {
      deleted: counter(
        registry,
        'kyverno_ttl_controller_deletedobjects_total',
        'can be used to track number of objects deleted by the cleanup ttl controller.',
        TTL,
      ),
      error: counter(
        registry,
        'kyverno_ttl_controller_errors_total',
        'can be used to track number of errors encountered by the cleanup ttl controller.',
        TTL,
      ),
    },
  };
  const policyLabels = (
    p: PolicyLabels,
    namespace: string,
    propagation?: string,
  ): Record<string, string> => ({
    policy_type: p.policyType,
    policy_namespace: p.policyNamespace,
    policy_name: p.policyName,
    ...(namespace !== '' ? { resource_namespace: namespace } : {}),
    ...(propagation !== undefined ? { deletion_propagation: propagation } : {}),
  });
  return {
    cleanup: (outcome, p, kind, namespace, propagation) =>
      c.cleanup[outcome].inc({ ...policyLabels(p, namespace, propagation), resource_kind: kind }),
    deleting: (outcome, p, resource, namespace, propagation) =>
      c.deleting[outcome].inc({ ...policyLabels(p, namespace, propagation), resource }),
    ttl: (outcome, gvr, namespace) =>
      c.ttl[outcome].inc({
        resource_namespace: namespace,
        resource_group: gvr.group,
        resource_version: gvr.version,
        resource_resource: gvr.resource,
      }),
  };
}
