// The podSecurity shortcuts against their general forms over the conformance corpora's resources:
// - `decodes` (the walk that only says whether a resource decodes) against the exact decoder, on
//   every pod-carrying resource and on variants with one field given a value of another JSON type;
// - exclusions that run only the excluded control's checks, and only when one of them failed,
//   against running every check on each excluded part, for the corpora's `podSecurity.exclude`
//   lists and a table of single excludes, at several levels and versions;
// - checks kept per pod against a fresh run, whichever rule asked first;
// - the revisions planned per level and version against walking the registry for each pod.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corpusDocuments } from '../../../../../../test/support/corpus-documents.js';
import type { PodSecurityExclude } from '../../types.js';
import { DEFAULT_CHECKS } from './checks/registry.js';
import { CONTROL_CHECK_IDS } from './controls.js';
import { applyExclusions } from './excludes.js';
import { extractPod, TEMPLATE_KINDS } from './pod-spec.js';
import { keptChecks, runChecks } from './run-checks.js';
import { decodes, exactDecodeError, type GoType } from './typed-decode.js';
import { CRONJOB_TYPE, DEPLOYMENT_TYPE, POD_TYPE } from './typed-pod.js';
import type { PssCheckResult } from './types.js';
import { type LevelVersion, parseLevelVersion } from './version.js';

const docs = corpusDocuments();
const podKinds = (k: unknown) => k === 'Pod' || k === 'CronJob' || TEMPLATE_KINDS.has(String(k));
const everyPod = docs.filter((d) => podKinds(d.kind));
/** A spread of `n` of the corpora's pod-carrying resources. */
const spread = (n: number) =>
  everyPod.filter((_, i) => i % Math.max(1, Math.floor(everyPod.length / n)) === 0);
const resources = spread(600);
const typeOf = (kind: unknown): GoType =>
  kind === 'Pod' ? POD_TYPE : kind === 'CronJob' ? CRONJOB_TYPE : DEPLOYMENT_TYPE;

/** Copies of `value` with one leaf or node replaced by a value of another JSON type (bounded). */
function variants(value: unknown, limit: number): unknown[] {
  const out: unknown[] = [];
  const others = (v: unknown): unknown[] =>
    typeof v === 'string'
      ? [5, true, ['x'], '1.5x']
      : typeof v === 'number'
        ? ['5', 2.5, 2 ** 40, false]
        : typeof v === 'boolean'
          ? ['true', 1]
          : Array.isArray(v)
            ? [{ a: 1 }, 'x']
            : ['x', [1], 3];
  const walk = (v: unknown, rebuild: (x: unknown) => unknown): void => {
    if (out.length >= limit) return;
    for (const o of others(v)) out.push(rebuild(o));
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        walk(item, (x) => rebuild(v.map((e, j) => (j === i ? x : e))));
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) walk(item, (x) => rebuild({ ...v, [k]: x }));
    }
  };
  walk(value, (x) => x);
  return out.slice(0, limit);
}

describe('decodes agrees with the exact decoder', () => {
  test('on the corpora resources that carry a pod, and on mistyped variants of them', () => {
    assert.ok(resources.length > 100, `only ${resources.length} pod resources`);
    let failing = 0;
    let total = 0;
    for (const r of resources) {
      const type = typeOf(r.kind);
      for (const v of [r, ...variants(r, 30)]) {
        const exact = exactDecodeError(v, type);
        assert.equal(decodes(v, type), exact === undefined, JSON.stringify(v).slice(0, 300));
        if (exact !== undefined) failing++;
        total++;
      }
    }
    // The variants must exercise both answers.
    assert.ok(failing > 1000 && total - failing > 1000, `${failing} failing of ${total}`);
  });
});

function corpusExcludes(): PodSecurityExclude[][] {
  const lists: PodSecurityExclude[][] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.exclude) && 'level' in o) lists.push(o.exclude as PodSecurityExclude[]);
      if (Array.isArray(o.podSecurity)) lists.push(o.podSecurity as PodSecurityExclude[]);
      for (const x of Object.values(o)) visit(x);
    }
  };
  for (const d of docs) visit(d);
  return lists;
}

function tableExcludes(): PodSecurityExclude[][] {
  const lists: PodSecurityExclude[][] = [];
  for (const controlName of [...Object.keys(CONTROL_CHECK_IDS), 'Unknown control']) {
    for (const images of [undefined, ['*'], ['nginx*', 'busybox*'], ['no-such-image']]) {
      for (const restrictedField of [undefined, 'spec.containers[*].securityContext.capabilities.add']) {
        for (const values of controlName === 'Capabilities'
          ? [undefined, ['*'], ['SYS_ADMIN']]
          : [undefined]) {
          const e: { controlName: string; images?: string[]; restrictedField?: string; values?: string[] } = {
            controlName,
          };
          if (images !== undefined) e.images = images;
          if (restrictedField !== undefined) e.restrictedField = restrictedField;
          if (values !== undefined) e.values = values;
          lists.push([e as PodSecurityExclude]);
        }
      }
    }
  }
  return lists;
}

describe('exclusions running only the excluded control', () => {
  test('leave the same checks as running every check, for the corpora and table excludes', () => {
    const lists = [...corpusExcludes(), ...tableExcludes()];
    assert.ok(corpusExcludes().length >= 3, 'the corpora have podSecurity exclude lists');
    let exempted = 0;
    for (const r of spread(80)) {
      let pod: ReturnType<typeof extractPod>;
      try {
        pod = extractPod(r);
      } catch {
        continue;
      }
      for (const [level, version] of [
        ['baseline', 'latest'],
        ['restricted', 'latest'],
        ['restricted', 'v1.19'],
        ['restricted', 'v1.25'],
      ] as const) {
        const lv = parseLevelVersion(level, version);
        const checks = runChecks(lv, pod);
        for (const excludes of lists) {
          const fast = applyExclusions(lv, excludes, checks, pod);
          const slow = applyExclusions(lv, excludes, checks, pod, true);
          assert.deepEqual(fast, slow);
          if (JSON.stringify(fast) !== JSON.stringify(checks)) exempted++;
        }
      }
    }
    assert.ok(exempted > 100, `only ${exempted} exclusions changed a result`);
  });
});

describe('checks kept per pod', () => {
  test('equal a fresh run at every level and version, in any order of asking', () => {
    const lvs = ['v1.0', 'latest', 'v1.25', 'v1.19'].flatMap((v) =>
      ['restricted', 'baseline'].map((l) => parseLevelVersion(l, v)),
    );
    for (const r of resources) {
      let pod: ReturnType<typeof extractPod>;
      try {
        pod = extractPod(r);
      } catch {
        continue;
      }
      assert.equal(extractPod(r), pod);
      for (const lv of lvs) {
        assert.deepEqual(keptChecks(lv, pod), runChecks(lv, pod));
        assert.equal(keptChecks(lv, pod), keptChecks(lv, pod));
      }
    }
  });

  test('a revision shared by levels answers each level as a fresh run, baseline asked first or last', () => {
    // Revisions are kept per pod across levels: a copy of the pod is a new key, so both orders run.
    let failed = 0;
    for (const r of resources) {
      let first: ReturnType<typeof extractPod>;
      let second: ReturnType<typeof extractPod>;
      try {
        first = extractPod(r);
        second = extractPod(structuredClone(r));
      } catch {
        continue;
      }
      for (const [pod, levels] of [
        [first, ['baseline', 'restricted']],
        [second, ['restricted', 'baseline']],
      ] as const) {
        for (const level of levels) {
          const lv = parseLevelVersion(level, 'latest');
          const got = keptChecks(lv, pod);
          assert.deepEqual(got, runChecks(lv, pod));
          failed += got.length;
        }
      }
    }
    assert.ok(failed > 100, `only ${failed} failed checks compared`);
  });
});

/** runChecks as it was before revisions were planned per level and version: the registry walked per pod. */
function registryChecks(lv: LevelVersion, pod: ReturnType<typeof extractPod>, ids?: readonly string[]) {
  const results: PssCheckResult[] = [];
  for (const check of DEFAULT_CHECKS) {
    if (lv.level === 'baseline' && check.level !== 'baseline') continue;
    if (ids !== undefined && !ids.includes(check.id)) continue;
    const newest = check.versions.reduce((a, b) => (b.minimumVersion >= a.minimumVersion ? b : a));
    const revisions =
      lv.version === 'latest'
        ? [newest]
        : check.versions.filter((v) => v.minimumVersion <= (lv.version as number));
    for (const revision of revisions) {
      const result = revision.checkPod(pod.meta, pod.spec);
      if (!result.allowed) results.push({ id: check.id, result });
    }
  }
  return results;
}

describe('revisions planned per level and version', () => {
  test('run what walking the registry per pod runs, with and without ids', () => {
    const lvs = ['v1.0', 'v1.8', 'v1.19', 'v1.22', 'v1.25', 'v1.31', 'v1.99', 'latest'].flatMap((v) =>
      ['restricted', 'baseline', 'privileged', ''].map((l) => parseLevelVersion(l, v)),
    );
    const idLists = [undefined, ['runAsNonRoot'], CONTROL_CHECK_IDS.Capabilities ?? [], []];
    let failed = 0;
    for (const r of spread(200)) {
      let pod: ReturnType<typeof extractPod>;
      try {
        pod = extractPod(r);
      } catch {
        continue;
      }
      for (const lv of lvs)
        for (const ids of idLists) {
          const want = registryChecks(lv, pod, ids);
          assert.deepEqual(runChecks(lv, pod, ids), want);
          failed += want.length;
        }
    }
    assert.ok(failed > 1000, `only ${failed} failed checks compared`);
  });
});
