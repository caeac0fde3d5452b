/**
 * @module The cleanup controller (docs/decisions/0017): while this replica leads, it reads the
 * cleanup policies (ClusterCleanupPolicy, CleanupPolicy, DeletingPolicy, NamespacedDeletingPolicy)
 * every `pollMs`, runs each one whose cron tick has come (schedule.ts), then records the run in
 * `status.lastExecutionTime`, which also tells the next leader when the policy ran last. A policy
 * that does not compile is logged once per version and skipped. The clock is injected: tests call
 * `runDue()` at chosen times instead of waiting for a real minute.
 */
import {
  type AsyncPorts,
  compileCleanupPolicy,
  compileDeletingPolicy,
  DEFAULT_RESOURCE_FILTERS,
  type KubeObject,
  loadDeletingPolicy,
  parseResourceFilters,
  type ResourceFilter,
} from '../../engine/index.js';
import { abortableSleep } from '../../io/abortable-sleep.js';
import type { BackgroundLogger } from '../../io/background.js';
import type { CleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import type { EventSink } from '../../io/events/event-info.js';
import { refOfObject } from '../../io/events/policy-events.js';
import type { CleanupMetrics } from './metrics.js';
import { runCleanupPolicy } from './run-cleanup-policy.js';
import { errorText, type RunContext, type RunOutcome } from './run-context.js';
import { runDeletingPolicy } from './run-deleting-policy.js';
import { nextRun } from './schedule.js';

export interface CleanupControllerOptions {
  readonly cluster: CleanupCluster;
  readonly metrics: CleanupMetrics;
  readonly logger: BackgroundLogger;
  readonly ports?: AsyncPorts;
  readonly now?: () => Date;
  /** How often the policies are read again (default 10 s; a due run wakes the loop earlier). */
  readonly pollMs?: number;
  /** Kyverno's resourceFilters (default: its chart's); objects they name are never deleted. */
  readonly filters?: readonly ResourceFilter[];
  /** Kyverno's kyverno-cleanup events. */
  readonly events?: EventSink;
}

export interface PolicyRun extends RunOutcome {
  readonly policy: string;
}

export interface CleanupController {
  /** Runs the due policies until `signal` aborts. */
  lead(signal: AbortSignal): Promise<void>;
  /** One pass: reads the policies, runs those due now; answers the runs and when the next is due. */
  runDue(signal?: AbortSignal): Promise<{ runs: PolicyRun[]; nextAt: Date | undefined }>;
}

const policyKey = (p: KubeObject): string =>
  `${String(p.kind)} ${p.metadata?.namespace !== undefined ? `${p.metadata.namespace}/` : ''}${String(p.metadata?.name)}`;

const IS_DELETING = new Set(['DeletingPolicy', 'NamespacedDeletingPolicy']);

export function createCleanupController(options: CleanupControllerOptions): CleanupController {
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 10_000;
  const { logger } = options;
  const filters = options.filters ?? parseResourceFilters(DEFAULT_RESOURCE_FILTERS);
  const reported = new Set<string>();
  const problem = (p: KubeObject, what: string): void => {
    const key = `${policyKey(p)}@${String(p.metadata?.resourceVersion)}`;
    if (reported.has(key)) return;
    reported.add(key);
    logger.warn('cleanup policy skipped', { policy: policyKey(p), problem: what });
  };

  const runOne = async (p: KubeObject, run: RunContext): Promise<RunOutcome | undefined> => {
    if (IS_DELETING.has(String(p.kind))) {
      const loaded = loadDeletingPolicy(p);
      const compiled = loaded.ok ? compileDeletingPolicy(loaded.value) : loaded;
      if (!compiled.ok) return void problem(p, compiled.issues.map((d) => d.message).join('; '));
      return runDeletingPolicy(compiled.value, run);
    }
    const compiled = compileCleanupPolicy(p);
    if (!compiled.ok) return void problem(p, compiled.issues.map((d) => d.message).join('; '));
    return runCleanupPolicy(compiled.value, run);
  };

  const runDue = async (signal: AbortSignal = new AbortController().signal) => {
    const runs: PolicyRun[] = [];
    let nextAt: Date | undefined;
    const policies = await options.cluster.listPolicies();
    for (const p of policies) {
      if (signal.aborted) break;
      if (p.metadata?.deletionTimestamp !== undefined) continue;
      const due = nextRun(p);
      if ('problem' in due) {
        problem(p, due.problem);
        continue;
      }
      let next = due.at;
      if (due.at.getTime() <= now().getTime()) {
        const run: RunContext = {
          cluster: options.cluster,
          metrics: options.metrics,
          logger,
          now,
          signal,
          filters,
          ...(options.ports !== undefined ? { ports: options.ports } : {}),
          ...(options.events !== undefined
            ? { events: { sink: options.events, policy: refOfObject(p) } }
            : {}),
        };
        const outcome = await runOne(p, run);
        if (outcome === undefined || signal.aborted) continue;
        const at = now();
        // Leadership is checked before the write: a replica that stopped leading records nothing.
        await options.cluster.writeLastExecution(p, at);
        runs.push({ policy: policyKey(p), ...outcome });
        logger.info('cleanup policy ran', { policy: policyKey(p), ...outcome });
        const after = nextRun({
          ...p,
          status: { ...(p.status as object), lastExecutionTime: at.toISOString() },
        });
        if (!('at' in after)) continue;
        next = after.at;
      }
      if (nextAt === undefined || next < nextAt) nextAt = next;
    }
    return { runs, nextAt };
  };

  return {
    runDue,
    async lead(signal) {
      while (!signal.aborted) {
        let wait = pollMs;
        try {
          const { nextAt } = await runDue(signal);
          if (nextAt !== undefined)
            wait = Math.min(pollMs, Math.max(200, nextAt.getTime() - now().getTime()));
        } catch (err) {
          logger.error('cleanup controller pass failed; retrying', { error: errorText(err) });
        }
        await abortableSleep(wait, signal);
      }
    },
  };
}
