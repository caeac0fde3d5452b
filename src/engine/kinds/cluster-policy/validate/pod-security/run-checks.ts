/** @module Runs the PSA checks for a level and version, as Kyverno's evaluatePSS. */
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

/**
 * The failed checks. `latest` runs each check's newest revision; a pinned version runs every revision
 * whose minimum version it reaches, so a check can fail twice (Kyverno does the same).
 */
export function runChecks(lv: LevelVersion, pod: PodView): PssCheckResult[] {
  const results: PssCheckResult[] = [];
  for (const check of DEFAULT_CHECKS) {
    if (lv.level === 'baseline' && check.level !== 'baseline') continue;
    const revisions =
      lv.version === 'latest'
        ? [latestOf(check.versions)].filter((v) => v !== undefined)
        : check.versions.filter((v) => v.minimumVersion <= (lv.version as number));
    for (const revision of revisions) {
      const result = revision.checkPod(pod.meta, pod.spec);
      if (!result.allowed) results.push({ id: check.id, result });
    }
  }
  return results;
}
