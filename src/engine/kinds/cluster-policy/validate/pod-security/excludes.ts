/**
 * @module `podSecurity.exclude` (and PolicyException `podSecurity`) applied as Kyverno's
 * ApplyPodSecurityExclusion: the checks are re-run on the excluded part of the pod (the pod-level
 * fields, or the containers whose image matches) and each field error found there, when it matches
 * `restrictedField` and `values`, removes the same field error from the original results.
 */

import { wildcardMatch } from '../../../../units/wildcard.js';
import type { PodSecurityExclude } from '../../types.js';
import { checkIdsForControl } from './controls.js';
import { asList, asMap, asString } from './helpers.js';
import type { PodView } from './run-checks.js';
import { runChecks } from './run-checks.js';
import type { BadValue, CheckResult, FieldError, JsonMap, PssCheckResult } from './types.js';
import type { LevelVersion } from './version.js';

const CONTAINER_KINDS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

interface ParsedField {
  /** The field with every digit run replaced by `*`. */
  readonly field: string;
  /** Set when the field lies under a container list: its list name and index. */
  readonly container?: { readonly kind: string; readonly index: number };
}

function wildcardIndexes(field: string): string {
  return field.replace(/\d+/g, '*');
}

/** Kyverno's parseField: the container list is the second alphabetic word of the path. */
function parseField(field: string, containerLevel: boolean): ParsedField {
  const starred = wildcardIndexes(field);
  if (!containerLevel) return { field: starred };
  const words = field.match(/[a-zA-Z]+/g) ?? [];
  const kind = words[1] ?? '';
  const index = Number((field.match(/\d+/) ?? ['0'])[0]);
  return CONTAINER_KINDS.has(kind) ? { field: starred, container: { kind, index } } : { field: starred };
}

function containerNameAt(pod: PodView, kind: string, index: number): string {
  return asString(asMap(asList(pod.spec[kind])[index])?.name);
}

/** extractBadValues: empty strings carry nothing; bools and ints are printed; lists are spread. */
function badValues(value: BadValue): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  return [...value];
}

function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => wildcardMatch(p, value));
}

/** Pod-level exclusion: the pod with a single empty container; container-level: matching containers only. */
function excludedPod(
  exclude: PodSecurityExclude,
  pod: PodView,
): { readonly view: PodView; readonly containerLevel: boolean } {
  const images = exclude.images ?? [];
  if (images.length === 0) {
    const spec: JsonMap = {
      ...pod.spec,
      containers: [{ name: 'fake' }],
      initContainers: undefined,
      ephemeralContainers: undefined,
    };
    return { view: { meta: pod.meta, spec }, containerLevel: false };
  }
  const spec: Record<string, unknown> = {};
  for (const kind of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const kept = asList(pod.spec[kind]).filter((c) => matchesAny(images, asString(asMap(c)?.image)));
    if (kept.length > 0) spec[kind] = kept;
  }
  const meta: { name?: string; namespace?: string; annotations: Record<string, string> } = {
    annotations: {},
  };
  if (pod.meta.name !== undefined) meta.name = pod.meta.name;
  if (pod.meta.namespace !== undefined) meta.namespace = pod.meta.namespace;
  return { view: { meta, spec }, containerLevel: true };
}

interface MutableResult {
  readonly id: string;
  readonly result: CheckResult;
  readonly errs: FieldError[];
}

function exempt(
  results: readonly PssCheckResult[],
  excludeResults: readonly PssCheckResult[],
  exclude: PodSecurityExclude,
  pod: PodView,
  matching: PodView,
  containerLevel: boolean,
): PssCheckResult[] {
  // Keyed by check ID: a check that failed twice (pinned version) keeps its last result, as Kyverno's map does.
  const byId = new Map<string, MutableResult>();
  for (const r of results)
    byId.set(r.id, { id: r.id, result: r.result, errs: [...(r.result.errList ?? [])] });
  const ids = checkIdsForControl(exclude.controlName);
  const values = exclude.values ?? [];
  const restrictedField = exclude.restrictedField ?? '';

  for (const excluded of excludeResults) {
    if (!ids.includes(excluded.id)) continue;
    for (const excludedErr of excluded.result.errList ?? []) {
      const ex = parseField(excludedErr.field, containerLevel);
      if (restrictedField !== '' && ex.field !== restrictedField) continue;
      if (values.length > 0 && !badValues(excludedErr.badValue).every((v) => matchesAny(values, v))) continue;
      const target = byId.get(excluded.id);
      if (target === undefined) continue;
      const exName = ex.container
        ? containerNameAt(matching, ex.container.kind, ex.container.index)
        : undefined;
      const idx = target.errs.findIndex((err) => {
        const def = parseField(err.field, containerLevel);
        if (def.field !== ex.field) return false;
        if (!def.container) return true;
        return containerNameAt(pod, def.container.kind, def.container.index) === (exName ?? '');
      });
      if (idx >= 0) {
        // Kyverno removes by swapping in the last element, which reorders the remaining errors.
        const last = target.errs.pop() as FieldError;
        if (idx < target.errs.length) target.errs[idx] = last;
      }
      if (target.errs.length === 0) byId.delete(excluded.id);
    }
  }
  return [...byId.values()].map((r) => ({ id: r.id, result: { ...r.result, errList: r.errs } }));
}

/** `exhaustive` runs every check on each excluded part, as Kyverno does (the tests' reference). */
export function applyExclusions(
  lv: LevelVersion,
  excludes: readonly PodSecurityExclude[],
  results: readonly PssCheckResult[],
  pod: PodView,
  exhaustive = false,
): PssCheckResult[] {
  let current = [...results];
  for (const exclude of excludes) {
    if (exhaustive) {
      const { view, containerLevel } = excludedPod(exclude, pod);
      current = exempt(current, runChecks(lv, view), exclude, pod, view, containerLevel);
      continue;
    }
    // Only the control's checks can exempt anything, and only when one of them failed: no other
    // check runs on the excluded part (`exempt` still rebuilds the list, as Kyverno's map does).
    const ids = checkIdsForControl(exclude.controlName);
    if (!current.some((r) => ids.includes(r.id))) {
      current = exempt(current, [], exclude, pod, pod, false);
      continue;
    }
    const { view, containerLevel } = excludedPod(exclude, pod);
    current = exempt(current, runChecks(lv, view, ids), exclude, pod, view, containerLevel);
  }
  return current;
}
