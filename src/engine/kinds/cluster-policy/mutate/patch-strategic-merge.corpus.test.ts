// Conformance corpus: every kyverno-test suite whose mutate rules are patchStrategicMerge rules
// (plain or a flat foreach; no JSON patch, context entries or mutate targets) is replayed through
// applyStrategicMergePatch, rule by rule (autogen included, preconditions evaluated, variables
// substituted from request.object / element) and the result compared with the suite's patched
// resource in full. A `fail` row expects a difference.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { evaluateConditions } from '../../../conditions/evaluate.js';
import { extractImages } from '../../../context/images.js';
import { JsonContext } from '../../../context/json-context.js';
import { isMap } from '../../../model/json-map.js';
import type { KubeObject } from '../../../model/kube-object.js';
import { substituteVariables } from '../../../variables/substitute.js';
import { computeRules } from '../autogen/autogen.js';
import { loadKyvernoPolicy } from '../load.js';
import type { Conditions, KyvernoPolicy, Rule } from '../types.js';
import { applyStrategicMergePatch } from './patch-strategic-merge.js';

const CORPUS = resolve(import.meta.dirname, '../../../../../../shared/conformance/kyverno-policies');

interface Case {
  readonly name: string;
  readonly result: string;
  readonly rules: readonly Rule[];
  readonly resource: KubeObject;
  readonly expected: KubeObject;
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name === 'kyverno-test.yaml' && dirname(full).endsWith('.kyverno-test')) out.push(full);
  }
  return out;
}

function readDocs(path: string): KubeObject[] {
  if (!existsSync(path)) return [];
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as KubeObject)
    .filter((d) => d !== null && typeof d === 'object');
}

function ruleKinds(rule: Rule): string[] {
  const match = rule.match as Record<string, unknown> | undefined;
  const blocks = [
    match?.resources,
    ...(Array.isArray(match?.any) ? match.any : []),
    ...(Array.isArray(match?.all) ? match.all : []),
  ];
  const kinds: string[] = [];
  for (const b of blocks) {
    const resources = isMap(b) && isMap(b.resources) ? b.resources : b;
    if (isMap(resources) && Array.isArray(resources.kinds)) kinds.push(...(resources.kinds as string[]));
  }
  return kinds;
}

/** Plain patchStrategicMerge rules only; undefined when the policy needs more than that. */
function plainPsmRules(policy: KyvernoPolicy): Rule[] | undefined {
  const rules = computeRules(policy).filter((r) => r.mutate !== undefined);
  if (rules.length === 0) return undefined;
  for (const r of rules) {
    const m = r.mutate as Record<string, unknown>;
    const foreach = Array.isArray(m.foreach) ? (m.foreach as Record<string, unknown>[]) : [];
    const flat = foreach.every(
      (f) => f.patchStrategicMerge !== undefined && f.foreach === undefined && f.context === undefined,
    );
    if ((m.patchStrategicMerge === undefined && foreach.length === 0) || !flat) return undefined;
    if (m.patchesJson6902 !== undefined || m.targets !== undefined || r.context !== undefined)
      return undefined;
    if (isMap(r.exclude) && Object.keys(r.exclude).length > 0) return undefined;
  }
  return rules;
}

function collectCases(): Case[] {
  const cases: Case[] = [];
  for (const testFile of findTests(CORPUS)) {
    const dir = dirname(testFile);
    const suite = readDocs(testFile)[0] as Record<string, unknown> | undefined;
    if (!isMap(suite) || !Array.isArray(suite.results)) continue;
    const policies = ((suite.policies as string[] | undefined) ?? []).flatMap((p) => readDocs(join(dir, p)));
    const resources = ((suite.resources as string[] | undefined) ?? []).flatMap((p) =>
      readDocs(join(dir, p)),
    );
    for (const row of suite.results as Record<string, unknown>[]) {
      const patchedFile = row.patchedResources ?? row.patchedResource;
      if (typeof patchedFile !== 'string') continue;
      const policyName = String(row.policy).split('/').pop();
      const doc = policies.find((p) => p.metadata?.name === policyName);
      const loaded = doc === undefined ? undefined : loadKyvernoPolicy(doc);
      if (loaded === undefined || !loaded.ok) continue;
      const rules = plainPsmRules(loaded.value);
      if (rules === undefined) continue;
      const expectedDocs = readDocs(join(dir, patchedFile));
      const names = Array.isArray(row.resources) ? (row.resources as string[]) : [String(row.resource)];
      for (const name of names) {
        const short = name.split('/').pop();
        const byName = (d: KubeObject): boolean => d.metadata?.name === short && d.kind === row.kind;
        const resource = resources.find(byName);
        const expected =
          expectedDocs.find(byName) ?? (expectedDocs.length === 1 ? expectedDocs[0] : undefined);
        if (resource === undefined || expected === undefined) continue;
        const label = `${dir.slice(CORPUS.length + 1, -'/.kyverno-test'.length)} ${row.kind}/${short}`;
        if (cases.some((c) => c.name === label)) continue;
        cases.push({
          name: label,
          result: String(row.result),
          rules: rules.filter((r) => ruleKinds(r).includes(String(row.kind))),
          resource,
          expected,
        });
      }
    }
  }
  return cases;
}

// `kyverno test` compares patched resources after dropping empty maps, lists and nulls
// (cmd/cli/kubectl-kyverno/utils/resource Tidy). Every case is compared strictly except these,
// where the merge leaves empty maps behind (a `null` variable value under `+()`).
const TIDY_ONLY: ReadonlySet<string> = new Set(['karpenter/set-karpenter-non-cpu-limits Pod/test4']);

function tidy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = value.map(tidy).filter((v) => v !== undefined);
    return out.length === 0 ? undefined : out;
  }
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const t = tidy(v);
      if (t !== undefined) out[k] = t;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** What `kyverno test` does before evaluating: namespaced resources get the default namespace. */
function withNamespace(resource: KubeObject, expected: KubeObject): KubeObject {
  const ns = expected.metadata?.namespace;
  if (ns === undefined || resource.metadata?.namespace !== undefined) return resource;
  return { ...resource, metadata: { ...resource.metadata, namespace: ns } };
}

function mutate(resource: KubeObject, rules: readonly Rule[]): KubeObject {
  let current = resource;
  for (const rule of rules) {
    const images = extractImages(current);
    const ctx = new JsonContext({
      request: { object: current, operation: 'CREATE' },
      ...(images ? { images } : {}),
    });
    if (!evaluateConditions(rule.preconditions, ctx).met) continue;
    const m = rule.mutate as Record<string, unknown>;
    if (m.patchStrategicMerge !== undefined) {
      current = applyStrategicMergePatch(current, substituteVariables(m.patchStrategicMerge, ctx));
    }
    for (const entry of (m.foreach ?? []) as Record<string, unknown>[]) {
      current = mutateForeach(current, entry, ctx);
    }
  }
  return current;
}

// Kyverno walks a patchStrategicMerge foreach list in descending order by default.
function mutateForeach(resource: KubeObject, entry: Record<string, unknown>, ctx: JsonContext): KubeObject {
  const found = ctx.query(String(entry.list));
  const list = Array.isArray(found) ? found : found === null || found === undefined ? [] : [found];
  const indices = list.map((_, i) => i);
  if (entry.order !== 'Ascending') indices.reverse();
  let current = resource;
  ctx.checkpoint();
  for (const i of indices) {
    ctx.restore();
    if (list[i] === null) continue;
    ctx.set('element', list[i]);
    ctx.set('elementIndex', i);
    if (!evaluateConditions(entry.preconditions as Conditions | undefined, ctx).met) continue;
    current = applyStrategicMergePatch(current, substituteVariables(entry.patchStrategicMerge, ctx));
  }
  return current;
}

describe('patchStrategicMerge conformance corpus', { skip: !existsSync(CORPUS) }, () => {
  const cases = existsSync(CORPUS) ? collectCases() : [];
  test('finds the plain patchStrategicMerge suites', () => {
    assert.ok(cases.length >= 20, `only ${cases.length} cases found`);
  });
  for (const c of cases) {
    test(c.name, () => {
      const resource = withNamespace(c.resource, c.expected);
      const actual = mutate(resource, c.rules);
      if (c.result === 'fail') assert.notDeepEqual(tidy(actual), tidy(c.expected));
      else if (TIDY_ONLY.has(c.name)) assert.deepEqual(tidy(actual), tidy(c.expected));
      else assert.deepEqual(actual, c.expected);
    });
  }
});
