/**
 * @module One run of a ClusterCleanupPolicy/CleanupPolicy (Kyverno pkg/controllers/cleanup
 * `cleanup`): load its context once, list each kind it matches (a CleanupPolicy lists only its own
 * namespace, and never a cluster-scoped kind), keep what match/exclude/conditions select, delete it
 * with the policy's propagation. A kind that cannot be listed (forbidden, not served) is counted as an
 * error and skipped; the other kinds still run.
 */
import {
  type CompiledCleanupPolicy,
  cleanupCandidateMatches,
  cleanupConditionsMet,
  evaluateWithAsyncPorts,
  loadCleanupContext,
} from '../../engine/index.js';
import type { PolicyLabels } from './metrics.js';
import {
  deletionEvent,
  errorText,
  filteredOut,
  namespaceCache,
  type RunContext,
  type RunOutcome,
} from './run-context.js';

export async function runCleanupPolicy(
  compiled: CompiledCleanupPolicy,
  run: RunContext,
): Promise<RunOutcome> {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels: PolicyLabels = {
    policyType: policy.kind,
    policyNamespace: policy.metadata.namespace ?? '',
    policyName: policy.metadata.name,
  };
  const propagation = policy.spec.deletionPropagationPolicy;
  const outcome: RunOutcome = { deleted: 0, errors: 0 };
  const context =
    run.ports !== undefined
      ? await evaluateWithAsyncPorts(run.ports, (ports) => loadCleanupContext(compiled, ports), {
          signal: run.signal,
        })
      : loadCleanupContext(compiled, { clock: { now: run.now } });
  if (!context.ok) {
    logger.error('cleanup policy context not loaded; nothing deleted', {
      policy: policy.metadata.name,
      error: context.error,
    });
    outcome.errors++;
    return outcome;
  }
  const namespaceOf = namespaceCache(cluster);
  for (const kind of compiled.kinds) {
    let resources: Awaited<ReturnType<typeof cluster.resourcesForKind>>;
    try {
      resources = await cluster.resourcesForKind(kind);
      if (resources.length === 0) throw new Error(`the server serves no deletable kind ${kind}`);
    } catch (err) {
      metrics.cleanup('error', labels, kind, labels.policyNamespace, propagation);
      logger.warn('cleanup: kind skipped', { policy: policy.metadata.name, kind, error: errorText(err) });
      outcome.errors++;
      continue;
    }
    for (const resource of resources) {
      if (compiled.namespace !== undefined && !resource.namespaced) continue;
      let objects: Awaited<ReturnType<typeof cluster.list>>;
      try {
        objects = await cluster.list(resource, compiled.namespace);
      } catch (err) {
        metrics.cleanup('error', labels, kind, labels.policyNamespace, propagation);
        logger.warn('cleanup: cannot list', { policy: policy.metadata.name, kind, error: errorText(err) });
        outcome.errors++;
        continue;
      }
      for (const object of objects) {
        if (run.signal.aborted) return outcome;
        const namespace = object.metadata?.namespace ?? '';
        const name = String(object.metadata?.name ?? '');
        if (filteredOut(run, resource, object)) continue;
        const nsObject = namespace !== '' ? await namespaceOf(namespace) : undefined;
        const nsLabels = (nsObject?.metadata?.labels ?? {}) as Record<string, string>;
        if (!cleanupCandidateMatches(compiled, object, nsLabels)) continue;
        const verdict = cleanupConditionsMet(compiled, context.root, object, run.now);
        if ('error' in verdict) {
          logger.warn('cleanup: conditions failed', {
            policy: policy.metadata.name,
            object: `${namespace}/${name}`,
            error: verdict.error,
          });
          outcome.errors++;
          continue;
        }
        if (!verdict.met) continue;
        try {
          if (await cluster.delete(resource, namespace, name, propagation)) {
            metrics.cleanup('deleted', labels, kind, namespace, propagation);
            logger.info('cleanup: deleted', {
              policy: policy.metadata.name,
              kind: object.kind,
              object: namespace !== '' ? `${namespace}/${name}` : name,
            });
            outcome.deleted++;
            deletionEvent(run, object);
          }
        } catch (err) {
          metrics.cleanup('error', labels, kind, namespace, propagation);
          deletionEvent(run, object, errorText(err));
          logger.warn('cleanup: delete failed', {
            policy: policy.metadata.name,
            object: `${namespace}/${name}`,
            error: errorText(err),
          });
          outcome.errors++;
        }
      }
    }
  }
  return outcome;
}
