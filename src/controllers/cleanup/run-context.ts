/**
 * @module What one run of a cleanup policy works with: the cluster, the counters, the log, the
 * clock, and the ports its context entries and CEL read through; plus the namespace lookup shared by
 * the candidates of a run (one GET per namespace per run).
 */
import {
  type AsyncPorts,
  isFilteredRequest,
  type KubeObject,
  type ResourceFilter,
} from '../../engine/index.js';
import type { BackgroundLogger } from '../../io/background.js';
import type { CleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import type { ServedResource } from '../../io/cluster/served-resources.js';
import type { EventSink, ObjectRef } from '../../io/events/event-info.js';
import { cleanupEvent } from '../../io/events/policy-events.js';
import type { CleanupMetrics } from './metrics.js';

export interface RunContext {
  readonly cluster: CleanupCluster;
  readonly metrics: CleanupMetrics;
  readonly logger: BackgroundLogger;
  readonly now: () => Date;
  /** Ports for context entries and CEL libraries; absent: the clock only. */
  readonly ports?: AsyncPorts;
  readonly signal: AbortSignal;
  /** Kyverno's resourceFilters: a candidate they name is never deleted. */
  readonly filters: readonly ResourceFilter[];
  /** Kyverno's kyverno-cleanup events, on `policy`: each deletion and each failed one. */
  readonly events?: { readonly sink: EventSink; readonly policy: ObjectRef };
}

/** Emits the event of a deletion (`error` undefined) or of a failed one. */
export function deletionEvent(run: RunContext, object: KubeObject, error?: string, deleting = false): void {
  if (run.events !== undefined) run.events.sink.add(cleanupEvent(run.events.policy, object, error, deleting));
}

export interface RunOutcome {
  deleted: number;
  errors: number;
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Namespace objects by name, read once per run; undefined when gone. */
export function namespaceCache(cluster: CleanupCluster): (name: string) => Promise<KubeObject | undefined> {
  const seen = new Map<string, Promise<KubeObject | undefined>>();
  return (name) => {
    let hit = seen.get(name);
    if (hit === undefined) {
      hit = cluster.namespace(name);
      seen.set(name, hit);
    }
    return hit;
  };
}

/**
 * Whether the resource filters leave the candidate alone, as Kyverno's cleanup and deleting
 * controllers check before matching (`ToFilter(gvk, "", namespace, name)`; Kyverno passes the kind
 * as the subresource there, its #17621, which makes no plain filter match: we pass none).
 */
export function filteredOut(run: RunContext, resource: ServedResource, object: KubeObject): boolean {
  return isFilteredRequest(run.filters, {
    kind: { group: resource.group, version: resource.version, kind: resource.kind },
    namespace: object.metadata?.namespace ?? '',
    name: String(object.metadata?.name ?? ''),
  });
}
