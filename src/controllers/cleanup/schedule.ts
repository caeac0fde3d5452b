/**
 * @module When a cleanup policy runs next: the first cron tick after its last run
 * (`status.lastExecutionTime`), or after its creation when it never ran (Kyverno's
 * GetExecutionTime). The state lives in the policy's status, so a new leader picks up the schedule
 * where the last one left it: a tick missed while nobody led runs once, not once per missed tick.
 */
import { type KubeObject, nextCronTime, parseCronSchedule } from '../../engine/index.js';

export type Due = { readonly at: Date } | { readonly problem: string };

export function nextRun(policy: KubeObject): Due {
  const spec = (policy.spec ?? {}) as { schedule?: unknown };
  const schedule = parseCronSchedule(typeof spec.schedule === 'string' ? spec.schedule : '');
  if (typeof schedule === 'string') return { problem: `spec.schedule: ${schedule}` };
  const status = (policy.status ?? {}) as { lastExecutionTime?: unknown };
  const last =
    typeof status.lastExecutionTime === 'string' ? Date.parse(status.lastExecutionTime) : Number.NaN;
  const from = Number.isNaN(last) ? Date.parse(String(policy.metadata?.creationTimestamp ?? '')) : last;
  if (Number.isNaN(from))
    return { problem: 'neither status.lastExecutionTime nor metadata.creationTimestamp is a time' };
  const at = nextCronTime(schedule, new Date(from));
  return at === undefined ? { problem: 'spec.schedule: never fires' } : { at };
}
