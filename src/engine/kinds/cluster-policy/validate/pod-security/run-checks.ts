/** @module Runs the PSA checks for a level and version, as Kyverno's evaluatePSS. */
import { BoundedMemo } from '../../../../units/bounded-memo.js';
import { RecentMemo } from '../../../../units/recent-memo.js';
import { DEFAULT_CHECKS } from './checks/registry.js';
import type { CheckResult, JsonMap, PodMeta, PssCheckResult, VersionedCheck } from './types.js';
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
  /** The revision's index among every revision planned (see slotOf): where a pod keeps its result. */
  readonly slot: number;
}

// Each revision (a checkPod function) gets one index, whichever level and version plans it: the
// restricted profile runs the baseline checks' same revisions, so a pod's result is kept per slot.
const slots = new Map<VersionedCheck['checkPod'], number>();

function slotOf(checkPod: VersionedCheck['checkPod']): number {
  let slot = slots.get(checkPod);
  if (slot === undefined) {
    slot = slots.size;
    slots.set(checkPod, slot);
  }
  return slot;
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
    for (const revision of revisions)
      plan.push({ id: check.id, checkPod: revision.checkPod, slot: slotOf(revision.checkPod) });
  }
  return plan;
}

/**
 * Plans by level and version, made once each: a policy names its pair as text, so the kinds are few
 * in practice, but the memo is bounded for sets with many distinct ones.
 */
const plans = new BoundedMemo<string, readonly PlannedRevision[]>(64);

// The keys made so far, per level and version: a key built per call is a new string, hashed again
// at each lookup (per podSecurity rule and resource). Levels come from policies: bounded all the same.
const levelKeys = new Map<string, Map<LevelVersion['version'], string>>();

function levelKey(lv: LevelVersion): string {
  let byVersion = levelKeys.get(lv.level);
  if (byVersion === undefined) {
    byVersion = new Map();
    if (levelKeys.size < 256) levelKeys.set(lv.level, byVersion);
  }
  let key = byVersion.get(lv.version);
  if (key === undefined) {
    key = `${lv.level}\0${lv.version}`;
    if (byVersion.size < 256) byVersion.set(lv.version, key);
  }
  return key;
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

/** What a pod's checks gave: per level and version, and per revision (shared by the levels). */
interface KeptPod {
  readonly byLevel: Map<string, readonly PssCheckResult[]>;
  /** Indexed by PlannedRevision.slot; undefined where that revision has not run on the pod. */
  readonly byRevision: (CheckResult | undefined)[];
}

/** The results of `runChecks` on a pod (the pod's views are not changed). */
const kept = new RecentMemo<PodView, KeptPod>(8);

/**
 * `runChecks` on `pod`, kept per pod: the podSecurity rules of a set that share a level and version
 * (the restricted profile with different exclusions, say) check the same pod once, and a revision
 * that several levels run (the baseline checks, in restricted too) runs once per pod.
 */
export function keptChecks(lv: LevelVersion, pod: PodView): readonly PssCheckResult[] {
  let entry = kept.get(pod);
  if (entry === undefined) {
    entry = { byLevel: new Map(), byRevision: [] };
    kept.set(pod, entry);
  }
  const key = levelKey(lv);
  let results = entry.byLevel.get(key);
  if (results === undefined) {
    const byRevision = entry.byRevision;
    const out: PssCheckResult[] = [];
    for (const revision of plannedChecks(lv, key)) {
      let result = byRevision[revision.slot];
      if (result === undefined) {
        result = revision.checkPod(pod.meta, pod.spec);
        byRevision[revision.slot] = result;
      }
      if (!result.allowed) out.push({ id: revision.id, result });
    }
    results = out;
    entry.byLevel.set(key, results);
  }
  return results;
}
