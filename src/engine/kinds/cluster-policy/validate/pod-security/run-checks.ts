/** @module Runs the PSA checks for a level and version, as Kyverno's evaluatePSS. */
import { BoundedMemo } from '../../../../units/bounded-memo.js';
import { RecentMemo } from '../../../../units/recent-memo.js';
import { DEFAULT_CHECKS } from './checks/registry.js';
import type { JsonMap, PodMeta, PssCheckResult, VersionedCheck } from './types.js';
import type { LevelVersion } from './version.js';

export interface PodView {
  readonly meta: PodMeta;
  readonly spec: JsonMap;
}

function latestOf(versions: readonly VersionedCheck[]): VersionedCheck | undefined {
  let latest: VersionedCheck | undefined;
  for (const v of versions) if (latest === undefined || v.minimumVersion >= latest.minimumVersion) latest = v;
  return latest;
}

/** One revision of a check to run, with the check's id. */
interface PlannedRevision {
  readonly id: string;
  readonly checkPod: VersionedCheck['checkPod'];
}

/** The revisions a level and version runs, in order: they depend on the pair alone. */
function planChecks(lv: LevelVersion): PlannedRevision[] {
  const plan: PlannedRevision[] = [];
  for (const check of DEFAULT_CHECKS) {
    if (lv.level === 'baseline' && check.level !== 'baseline') continue;
    const revisions =
      lv.version === 'latest'
        ? [latestOf(check.versions)].filter((v) => v !== undefined)
        : check.versions.filter((v) => v.minimumVersion <= (lv.version as number));
    for (const revision of revisions) plan.push({ id: check.id, checkPod: revision.checkPod });
  }
  return plan;
}

/**
 * Plans by level and version, made once each: a policy names its pair as text, so the kinds are few
 * in practice, but the memo is bounded for sets with many distinct ones.
 */
const plans = new BoundedMemo<string, readonly PlannedRevision[]>(64);

function levelKey(lv: LevelVersion): string {
  return `${lv.level}\0${lv.version}`;
}

function plannedChecks(lv: LevelVersion, key = levelKey(lv)): readonly PlannedRevision[] {
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = planChecks(lv);
    plans.set(key, plan);
  }
  return plan;
}

/**
 * The failed checks (only those named in `ids` when given: an exclusion reads no other). `latest` runs each check's newest revision; a pinned version runs every revision
 * whose minimum version it reaches, so a check can fail twice (Kyverno does the same).
 */
export function runChecks(lv: LevelVersion, pod: PodView, ids?: readonly string[]): PssCheckResult[] {
  return runPlanned(plannedChecks(lv), pod, ids);
}

function runPlanned(
  plan: readonly PlannedRevision[],
  pod: PodView,
  ids?: readonly string[],
): PssCheckResult[] {
  const results: PssCheckResult[] = [];
  for (const revision of plan) {
    if (ids !== undefined && !ids.includes(revision.id)) continue;
    const result = revision.checkPod(pod.meta, pod.spec);
    if (!result.allowed) results.push({ id: revision.id, result });
  }
  return results;
}

/** The results of `runChecks` on a pod, per level and version (the pod's views are not changed). */
const kept = new RecentMemo<PodView, Map<string, readonly PssCheckResult[]>>(8);

/**
 * `runChecks` on `pod`, kept per pod: the podSecurity rules of a set that share a level and version
 * (the restricted profile with different exclusions, say) check the same pod once.
 */
export function keptChecks(lv: LevelVersion, pod: PodView): readonly PssCheckResult[] {
  let byLevel = kept.get(pod);
  if (byLevel === undefined) {
    byLevel = new Map();
    kept.set(pod, byLevel);
  }
  const key = levelKey(lv);
  let results = byLevel.get(key);
  if (results === undefined) {
    results = runPlanned(plannedChecks(lv, key), pod);
    byLevel.set(key, results);
  }
  return results;
}
