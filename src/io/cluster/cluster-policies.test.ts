import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { getPolicyDecoder } from '../files/policy-decoder.js';
import { loadPolicyFolder } from '../policy-folder.js';
import { compileClusterPolicies, newRejections } from './cluster-policies.js';
import type { KubeObject } from './list-watch-client.js';
import { ObjectDocuments } from './object-documents.js';

const CORPUS = resolve(import.meta.dirname, '../../../../shared/conformance/kyverno-policies');
const FOLDER = join(CORPUS, 'pod-security/baseline');

function objectsBelow(dir: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...objectsBelow(full));
    else if (e.name.endsWith('.yaml'))
      for (const d of parseAllDocuments(readFileSync(full, 'utf8'))) out.push(d.toJS() as KubeObject);
  }
  return out;
}

const summary = (
  policies: readonly { ref: { kind: string; name: string }; ruleCount: number; traits: unknown }[],
) => policies.map((p) => JSON.stringify([p.ref.kind, p.ref.name, p.ruleCount, p.traits])).sort();

test('the same policies give the same set from a folder and from the cluster', async () => {
  const folder = await loadPolicyFolder(FOLDER);
  assert.ok(folder.ok);
  const objects = objectsBelow(FOLDER).map((o, i) => ({
    ...o,
    metadata: { ...o.metadata, uid: `u${i}`, resourceVersion: '1' },
  }));
  const cluster = compileClusterPolicies(objects, new ObjectDocuments(), await getPolicyDecoder());
  assert.equal(cluster.rejected.size, 0);
  assert.ok(cluster.policyCount >= 10);
  assert.equal(cluster.policyCount, folder.policyCount);
  assert.deepEqual(summary(cluster.set.policies), summary(folder.set.policies));
});

test('a rejected object is named with its errors, which point into its JSON', async () => {
  const bad: KubeObject = {
    apiVersion: 'kyverno.io/v1',
    kind: 'Policy',
    metadata: { name: 'p', namespace: 'team-a' },
    spec: {
      rules: [
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { pattern: {} },
          mutat: {},
        },
      ],
    },
  };
  const load = compileClusterPolicies([bad], new ObjectDocuments(), await getPolicyDecoder());
  assert.equal(load.policyCount, 0);
  const issues = load.rejected.get('Policy/team-a/p') ?? [];
  assert.equal(issues[0]?.code, 'policy/unknown-field');
  assert.ok((issues[0]?.source?.line ?? 0) > 1, 'the line of the field in the object JSON');
});

test('newRejections answers a rejection when it appears or changes, not at every reload', () => {
  const issue = (message: string) => ({ code: 'x', severity: 'error', message }) as never;
  const since = newRejections();
  const load = (entries: [string, string][]) => ({
    rejected: new Map(entries.map(([p, m]) => [p, [issue(m)]])),
  });
  const names = (l: ReturnType<typeof load>) => since(l).map(([p]) => p);
  assert.deepEqual(names(load([['Policy/a', 'bad']])), ['Policy/a']);
  assert.deepEqual(names(load([['Policy/a', 'bad']])), [], 'the same problem again');
  assert.deepEqual(names(load([['Policy/a', 'worse']])), ['Policy/a'], 'a new message');
  assert.deepEqual(names(load([])), [], 'fixed');
  assert.deepEqual(names(load([['Policy/a', 'worse']])), ['Policy/a'], 'back after a fix');
});
