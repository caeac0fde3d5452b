/**
 * @module The TTL controller (docs/decisions/0017; Kyverno pkg/controllers/ttl): while this replica
 * leads, every `intervalMs` (Kyverno's `--ttlReconciliationInterval`, 1 m) it lists, in every
 * resource it may list, watch and delete, the objects labelled `cleanup.kyverno.io/ttl`, and deletes
 * those whose time has come (ttl.ts in the engine), with the propagation policy of their
 * `cleanup.kyverno.io/propagation-policy` annotation. It wakes early for the first object due before
 * the next pass, so an object goes at its time, not up to a minute later. A resource it may not list
 * (403) is skipped quietly, as Kyverno skips resources it lacks the rights for; an unreadable label
 * value is left alone (admission warned about it).
 */
import { type KubeObject, TTL_LABEL, ttlDeletionTime, ttlPropagationPolicy } from '../../engine/index.js';
import { abortableSleep } from '../../io/abortable-sleep.js';
import type { BackgroundLogger } from '../../io/background.js';
import type { CleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import { KubeApiError } from '../../io/cluster/kube-rest.js';
import type { ServedResource } from '../../io/cluster/served-resources.js';
import type { CleanupMetrics } from '../cleanup/metrics.js';

export interface TtlControllerOptions {
  readonly cluster: CleanupCluster;
  readonly metrics: CleanupMetrics;
  readonly logger: BackgroundLogger;
  readonly now?: () => Date;
  /** Between full passes (default 60 s). */
  readonly intervalMs?: number;
}

export interface TtlPass {
  readonly deleted: readonly string[];
  readonly errors: number;
  /** The earliest deletion time still ahead, if any. */
  readonly nextAt: Date | undefined;
}

export interface TtlController {
  lead(signal: AbortSignal): Promise<void>;
  /** One pass over every labelled object. */
  pass(signal?: AbortSignal): Promise<TtlPass>;
}

const text = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createTtlController(options: TtlControllerOptions): TtlController {
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? 60_000;
  const { cluster, metrics, logger } = options;
  const forbidden = new Set<string>();

  const handle = async (
    r: ServedResource,
    o: KubeObject,
    out: { deleted: string[]; errors: number; nextAt?: Date },
  ) => {
    if (o.metadata?.deletionTimestamp !== undefined) return;
    const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
    const value = labels[TTL_LABEL];
    if (value === undefined) return;
    const at = ttlDeletionTime(value, o.metadata?.creationTimestamp as string | undefined);
    if (at === undefined) return;
    if (at.getTime() > now().getTime()) {
      if (out.nextAt === undefined || at < out.nextAt) out.nextAt = at;
      return;
    }
    const namespace = o.metadata?.namespace ?? '';
    const name = String(o.metadata?.name ?? '');
    const propagation = ttlPropagationPolicy(o.metadata?.annotations as Record<string, string> | undefined);
    try {
      if (await cluster.delete(r, namespace, name, propagation)) {
        metrics.ttl('deleted', r, namespace);
        const id = `${r.resource}/${namespace !== '' ? `${namespace}/` : ''}${name}`;
        out.deleted.push(id);
        logger.info('ttl: deleted', { object: id, ttl: value });
      }
    } catch (err) {
      metrics.ttl('error', r, namespace);
      out.errors++;
      logger.warn('ttl: delete failed', { object: `${r.resource}/${namespace}/${name}`, error: text(err) });
    }
  };

  const pass = async (signal: AbortSignal = new AbortController().signal): Promise<TtlPass> => {
    const out: { deleted: string[]; errors: number; nextAt?: Date } = { deleted: [], errors: 0 };
    const skipped: string[] = [];
    for (const r of await cluster.deletableResources()) {
      if (signal.aborted) break;
      let objects: KubeObject[];
      try {
        objects = await cluster.list(r, undefined, TTL_LABEL);
      } catch (err) {
        const key = `${r.group}/${r.resource}`;
        if (err instanceof KubeApiError && (err.status === 403 || err.status === 404 || err.status === 405)) {
          if (!forbidden.has(key)) skipped.push(key);
          forbidden.add(key);
        } else {
          out.errors++;
          logger.warn('ttl: cannot list', { resource: key, error: text(err) });
        }
        continue;
      }
      for (const o of objects) await handle(r, o, out);
    }
    // One line for what the account may not list (its RBAC decides what the label can delete).
    if (skipped.length > 0)
      logger.info('ttl: resources not watched (no rights to list them)', { resources: skipped });
    return { deleted: out.deleted, errors: out.errors, nextAt: out.nextAt };
  };

  return {
    pass,
    async lead(signal) {
      while (!signal.aborted) {
        let wait = intervalMs;
        try {
          const { nextAt } = await pass(signal);
          if (nextAt !== undefined)
            wait = Math.min(intervalMs, Math.max(200, nextAt.getTime() - now().getTime()));
        } catch (err) {
          logger.error('ttl controller pass failed; retrying', { error: text(err) });
        }
        await abortableSleep(wait, signal);
      }
    },
  };
}
