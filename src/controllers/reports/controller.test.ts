import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compilePolicySet,
  type KubeObject,
  type PolicyDocument,
  type PolicySet,
} from '../../engine/index.js';
import type { ReportStore, StoredReport } from '../../io/cluster/report-store.js';
import { createReportsController } from './controller.js';

const POLICY = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'team' },
  spec: {
    background: true,
    rules: [
      {
        name: 'label',
        match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
        validate: {
          failureAction: 'Audit',
          message: 'team',
          pattern: { metadata: { labels: { team: '?*' } } },
        },
      },
    ],
  },
};

const setOf = (docs: PolicyDocument<string>['document'][]): PolicySet =>
  compilePolicySet(docs.map((document) => ({ document, source: 'test' }))).set;

const firstResult = (r: StoredReport | undefined): string =>
  String((r?.results?.[0] as { result?: string } | undefined)?.result);

function cm(name: string, version: string, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { name, namespace: 'apps', uid: `uid-${name}`, resourceVersion: version, labels } };
}

/** Reports in memory, with every write recorded. */
function fakeReports(): ReportStore & { stored: Map<string, StoredReport>; writes: string[] } {
  const stored = new Map<string, StoredReport>();
  const writes: string[] = [];
  let version = 0;
  const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
  const keyOf = (r: KubeObject) => key(r.metadata?.namespace as string | undefined, String(r.metadata?.name));
  return {
    api: 'wgpolicyk8s',
    stored,
    writes,
    served: async () => true,
    get: async (ns, name) => structuredClone(stored.get(key(ns, name))),
    async create(r) {
      assert.ok(!stored.has(keyOf(r)), 'created twice');
      writes.push(`create ${keyOf(r)}`);
      stored.set(keyOf(r), { ...r, metadata: { ...r.metadata, resourceVersion: String(++version) } });
    },
    async replace(r) {
      writes.push(`replace ${keyOf(r)}`);
      stored.set(keyOf(r), { ...r, metadata: { ...r.metadata, resourceVersion: String(++version) } });
    },
    async delete(ns, name) {
      writes.push(`delete ${key(ns, name)}`);
      stored.delete(key(ns, name));
    },
    async *pages() {
      yield [...stored.values()];
    },
  };
}

describe('the reports controller', () => {
  test('full pass, change pass, fixes, deletions and a new policy set', async () => {
    let objects = [
      cm('bad', '1'),
      cm('good', '1', { team: 'a' }),
      cm('quiet', '1', { 'reports.kyverno.io/disabled': '' }),
    ];
    let set = setOf([POLICY]);
    const reports = fakeReports();
    const controller = createReportsController({
      reports,
      list: async function* (path) {
        yield path === '/api/v1/configmaps' ? objects : [];
      },
      getNamespace: async (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
      discover: async () => ({
        resources: [
          { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true },
          { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true },
        ],
        failed: [],
      }),
      ports: {},
      policies: () => set,
      filters: [],
      logger: { info() {}, warn() {}, error() {} },
      intervalMs: 3_600_000,
      nowSeconds: () => 100,
    });
    const signal = new AbortController().signal;

    const first = await controller.pass(true, signal);
    assert.equal(first.complete, true);
    assert.deepEqual(reports.writes.sort(), ['create apps/uid-bad', 'create apps/uid-good']);
    assert.equal(firstResult(reports.stored.get('apps/uid-bad')), 'fail');

    // Nothing changed: a change pass scans nothing, a full pass rewrites nothing.
    reports.writes.length = 0;
    assert.equal((await controller.pass(false, signal)).scanned, 0);
    assert.equal((await controller.pass(true, signal)).scanned, 2);
    assert.deepEqual(reports.writes, []);

    // The bad one is fixed: only it is scanned again, and its report replaced.
    objects = [cm('bad', '2', { team: 'b' }), objects[1] as KubeObject, objects[2] as KubeObject];
    const change = await controller.pass(false, signal);
    assert.equal(change.scanned, 1);
    assert.deepEqual(reports.writes, ['replace apps/uid-bad']);
    assert.equal(firstResult(reports.stored.get('apps/uid-bad')), 'pass');

    // The policy goes: the next pass (full, as the set changed) removes every report.
    reports.writes.length = 0;
    set = setOf([]);
    const emptied = await controller.pass(false, signal);
    assert.equal(emptied.complete, true);
    assert.deepEqual(reports.writes.sort(), ['delete apps/uid-bad', 'delete apps/uid-good']);
    assert.equal(reports.stored.size, 0);
  });
});
