/**
 * @module One run of a DeletingPolicy/NamespacedDeletingPolicy (Kyverno pkg/controllers/deleting):
 * list the resources its `matchConstraints.resourceRules` name (a namespaced policy lists only its
 * namespace, and no cluster-scoped resource), delete each object the engine says matches
 * (`evaluateDeletingPolicy`: constraints, selectors, exceptions, CEL conditions) with the policy's
 * propagation.
 */
import {
  type CompiledDeletingPolicy,
  type EvaluationRuntime,
  evaluateDeletingPolicy,
  evaluateWithAsyncPorts,
  type KubeObject,
} from '../../engine/index.js';
import type { ServedResource } from '../../io/cluster/served-resources.js';
import { policyLabels } from './metrics.js';
import { errorText, namespaceCache, type RunContext, type RunOutcome } from './run-context.js';
import { type SweepPolicy, sweepObjects } from './sweep.js';

export async function runDeletingPolicy(
  compiled: CompiledDeletingPolicy,
  run: RunContext,
): Promise<RunOutcome> {
  const { cluster, metrics, logger } = run;
  const policy = compiled.policy;
  const labels = policyLabels(policy);
  const propagation = policy.spec.deletionPropagationPolicy;
  const outcome: RunOutcome = { deleted: 0, errors: 0 };
  const namespaceOf = namespaceCache(cluster);
  const evaluate = async (resource: ServedResource, object: KubeObject, nsObject: KubeObject | null) => {
    const attributes = {
      group: resource.group,
      version: resource.version,
      kind: resource.kind,
      resource: resource.resource,
      subresource: '',
      namespace: object.metadata?.namespace ?? '',
      name: String(object.metadata?.name ?? ''),
      object,
      oldObject: null,
    };
    const once = (runtime: EvaluationRuntime) =>
      evaluateDeletingPolicy(compiled, attributes, nsObject, runtime);
    return run.ports !== undefined
      ? evaluateWithAsyncPorts(run.ports, (ports) => once({ ports, signal: run.signal }), {
          signal: run.signal,
        })
      : once({ ports: { clock: { now: run.now } } });
  };
  let resources: readonly ServedResource[];
  try {
    resources = await cluster.resourcesForRules(policy.spec.matchConstraints?.resourceRules ?? []);
  } catch (err) {
    logger.warn('deleting policy: resources not resolved', {
      policy: policy.metadata.name,
      error: errorText(err),
    });
    outcome.errors++;
    return outcome;
  }
  for (const resource of resources) {
    if (compiled.namespace !== undefined && !resource.namespaced) continue;
    let objects: KubeObject[];
    try {
      objects = await cluster.list(resource, compiled.namespace);
    } catch (err) {
      metrics.deleting('error', labels, resource.resource, '', propagation);
      logger.warn('deleting policy: cannot list', {
        policy: policy.metadata.name,
        resource: resource.resource,
        error: errorText(err),
      });
      outcome.errors++;
      continue;
    }
    const sweep: SweepPolicy = {
      subject: 'deleting policy',
      undecided: 'evaluation failed',
      policyName: policy.metadata.name,
      propagation,
      deletingPolicy: true,
      count: (result, namespace) =>
        metrics.deleting(result, labels, resource.resource, namespace, propagation),
      described: () => ({ resource: resource.resource }),
      decide: async (object, namespace) => {
        const nsObject = namespace !== '' ? ((await namespaceOf(namespace)) ?? null) : null;
        const result = await evaluate(resource, object, nsObject);
        if (result === undefined) return 'keep';
        if (result.status === 'error') return { error: result.message };
        return result.status === 'pass' ? 'delete' : 'keep';
      },
    };
    if (!(await sweepObjects(run, resource, objects, sweep, outcome))) return outcome;
  }
  return outcome;
}
