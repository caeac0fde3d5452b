/**
 * @module The loop both cleanup runners share: for each listed object of one resource, skip what the
 * resource filters name, ask the policy kind whether to delete it, and delete it with the policy's
 * propagation, counting, logging and emitting an event for each deletion and each failure.
 */
import type { KubeObject } from '../../engine/index.js';
import type { ServedResource } from '../../io/cluster/served-resources.js';
import { deletionEvent, errorText, filteredOut, type RunContext, type RunOutcome } from './run-context.js';

/** What a policy kind says about one candidate: delete it, keep it, or it could not decide. */
export type SweepVerdict = 'delete' | 'keep' | { readonly error: string };

export interface SweepPolicy {
  /** The log lines' prefix: `cleanup` or `deleting policy`. */
  readonly subject: string;
  /** The log message of an undecided candidate, after the prefix. */
  readonly undecided: string;
  readonly policyName: string;
  readonly propagation: 'Foreground' | 'Background' | 'Orphan' | undefined;
  /** Whether the events are a DeletingPolicy's (their reason and message differ). */
  readonly deletingPolicy: boolean;
  /** Counts a deletion or an error of an object in `namespace`. */
  readonly count: (outcome: 'deleted' | 'error', namespace: string) => void;
  /** The fields naming what was deleted in the log line, before the object. */
  readonly described: (object: KubeObject) => Readonly<Record<string, unknown>>;
  readonly decide: (object: KubeObject, namespace: string) => Promise<SweepVerdict>;
}

/** Sweeps `objects` of `resource` into `outcome`; false when the run was aborted before the end. */
export async function sweepObjects(
  run: RunContext,
  resource: ServedResource,
  objects: readonly KubeObject[],
  policy: SweepPolicy,
  outcome: RunOutcome,
): Promise<boolean> {
  const { cluster, logger } = run;
  for (const object of objects) {
    if (run.signal.aborted) return false;
    const namespace = object.metadata?.namespace ?? '';
    const name = String(object.metadata?.name ?? '');
    if (filteredOut(run, resource, object)) continue;
    const verdict = await policy.decide(object, namespace);
    if (verdict === 'keep') continue;
    if (verdict !== 'delete') {
      logger.warn(`${policy.subject}: ${policy.undecided}`, {
        policy: policy.policyName,
        object: `${namespace}/${name}`,
        error: verdict.error,
      });
      outcome.errors++;
      continue;
    }
    try {
      if (await cluster.delete(resource, namespace, name, policy.propagation)) {
        policy.count('deleted', namespace);
        logger.info(`${policy.subject}: deleted`, {
          policy: policy.policyName,
          ...policy.described(object),
          object: namespace !== '' ? `${namespace}/${name}` : name,
        });
        outcome.deleted++;
        deletionEvent(run, object, undefined, policy.deletingPolicy);
      }
    } catch (err) {
      policy.count('error', namespace);
      deletionEvent(run, object, errorText(err), policy.deletingPolicy);
      logger.warn(`${policy.subject}: delete failed`, {
        policy: policy.policyName,
        object: `${namespace}/${name}`,
        error: errorText(err),
      });
      outcome.errors++;
    }
  }
  return true;
}
