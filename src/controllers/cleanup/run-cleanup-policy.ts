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
import { policyLabels } from './metrics.js';
import { errorText, namespaceCache, type RunContext, type RunOutcome } from './run-context.js';
import { type SweepPolicy, sweepObjects } from './sweep.js';

export async function runCleanupPolicy(
  compiled: CompiledCleanupPolicy,
  run: RunContext,
): Promise<RunOutcome> {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels = policyLabels(policy);
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
      const sweep: SweepPolicy = {
        subject: 'cleanup',
        undecided: 'conditions failed',
        policyName: policy.metadata.name,
        propagation,
        deletingPolicy: false,
        count: (result, namespace) => metrics.cleanup(result, labels, kind, namespace, propagation),
        described: (object) => ({ kind: object.kind }),
        decide: async (object, namespace) => {
          const nsObject = namespace !== '' ? await namespaceOf(namespace) : undefined;
          const nsLabels = (nsObject?.metadata?.labels ?? {}) as Record<string, string>;
          if (!cleanupCandidateMatches(compiled, object, nsLabels)) return 'keep';
          const verdict = cleanupConditionsMet(compiled, context.root, object, run.now);
          if ('error' in verdict) return { error: verdict.error };
          return verdict.met ? 'delete' : 'keep';
        },
      };
      if (!(await sweepObjects(run, resource, objects, sweep, outcome))) return outcome;
    }
  }
  return outcome;
}
