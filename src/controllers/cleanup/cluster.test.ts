// The cleanup and TTL controllers on the real API server, with an injected clock (a cron tick is a
// minute away; the clock jumps instead): a ClusterCleanupPolicy deletes the ConfigMaps it selects and
// leaves the others, with status.lastExecutionTime written through the status subresource; a
// CleanupPolicy never deletes outside its namespace; a DeletingPolicy likewise; the TTL label deletes.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { parseResourceFilters, type ResourceFilter } from '../../engine/index.js';
import { cleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import { loadKubeConfig } from '../../io/cluster/kube-client.js';
import { kubeRest } from '../../io/cluster/kube-rest.js';
import { createTtlController } from '../ttl/controller.js';
import { createCleanupController } from './controller.js';
import { createCleanupMetrics } from './metrics.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CRDS = [
  'kyverno.io_clustercleanuppolicies.yaml',
  'kyverno.io_cleanuppolicies.yaml',
  'policies.kyverno.io_deletingpolicies.yaml',
  'policies.kyverno.io_namespaceddeletingpolicies.yaml',
];
const quiet = { info() {}, warn() {}, error() {} };

const configMap = (ns: string, name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data: { a: 'b' },
});

async function names(tb: Testbed, ns: string): Promise<string[]> {
  const r = await tb.api('GET', `/api/v1/namespaces/${ns}/configmaps`);
  return ((r.body as { items: { metadata: { name: string } }[] }).items ?? [])
    .map((o) => o.metadata.name)
    .filter((n) => n !== 'kube-root-ca.crt')
    .sort();
}

describe('cleanup and TTL controllers on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let registry: Registry;
  const later = () => new Date(Date.now() + 3 * 60_000);
  const controllers = (now: () => Date, filters?: readonly ResourceFilter[]) => {
    const rest = kubeRest(loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} }).config);
    const cluster = cleanupCluster(rest);
    const metrics = createCleanupMetrics(registry);
    return {
      cleanup: createCleanupController({
        cluster,
        metrics,
        logger: quiet,
        now,
        ...(filters !== undefined ? { filters } : {}),
      }),
      ttl: createTtlController({ cluster, metrics, logger: quiet, now }),
    };
  };

  before(async () => {
    tb = await startTestbed();
    registry = new Registry();
    for (const file of CRDS) {
      const r = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const ns of ['a', 'b', 'team', 'other']) {
      const r = await tb.api('POST', '/api/v1/namespaces', { metadata: { name: ns } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    for (const [path, ok] of [
      ['/apis/kyverno.io/v2/clustercleanuppolicies', 200],
      ['/apis/policies.kyverno.io/v1beta1/deletingpolicies', 200],
    ] as const) {
      for (let i = 0; i < 100 && (await tb.api('GET', path)).status !== ok; i++)
        await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(() => tb?.stop());

  test('a ClusterCleanupPolicy deletes what it selects on its tick, leaves the rest, records the run', async () => {
    for (const cm of [
      configMap('a', 'tmp-1', { tmp: 'yes' }),
      configMap('b', 'tmp-2', { tmp: 'yes' }),
      configMap('a', 'keep', { tmp: 'no' }),
      configMap('b', 'pinned', { tmp: 'yes', pin: 'yes' }),
    ])
      assert.equal(
        (await tb.api('POST', `/api/v1/namespaces/${cm.metadata.namespace}/configmaps`, cm)).status,
        201,
      );
    const policy = {
      apiVersion: 'kyverno.io/v2',
      kind: 'ClusterCleanupPolicy',
      metadata: { name: 'tmp-configmaps' },
      spec: {
        schedule: '*/1 * * * *',
        match: { any: [{ resources: { kinds: ['ConfigMap'], namespaces: ['a', 'b'] } }] },
        exclude: { any: [{ resources: { selector: { matchLabels: { pin: 'yes' } } } }] },
        conditions: {
          all: [{ key: '{{ target.metadata.labels.tmp || `""` }}', operator: 'Equals', value: 'yes' }],
        },
        deletionPropagationPolicy: 'Background',
      },
    };
    // Created and checked within one minute, so that its first tick is still ahead.
    while (new Date().getSeconds() > 50) await new Promise((r) => setTimeout(r, 500));
    const created = await tb.api('POST', '/apis/kyverno.io/v2/clustercleanuppolicies', policy);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // Not due yet: the tick after its creation is up to a minute away.
    const now = controllers(() => new Date());
    const early = await now.cleanup.runDue();
    assert.deepEqual(early.runs, []);
    const { cleanup } = controllers(later);
    const { runs } = await cleanup.runDue();
    assert.deepEqual(runs, [{ policy: 'ClusterCleanupPolicy tmp-configmaps', deleted: 2, errors: 0 }]);
    assert.deepEqual(await names(tb, 'a'), ['keep']);
    assert.deepEqual(await names(tb, 'b'), ['pinned']);
    const stored = (await tb.api('GET', '/apis/kyverno.io/v2/clustercleanuppolicies/tmp-configmaps'))
      .body as {
      status?: { lastExecutionTime?: string };
    };
    assert.match(stored.status?.lastExecutionTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The recorded run is the new start: the same clock runs nothing more.
    assert.deepEqual((await cleanup.runDue()).runs, []);
    assert.match(
      await registry.metrics(),
      /kyverno_cleanup_controller_deletedobjects_total\{policy_type="ClusterCleanupPolicy",policy_namespace="",policy_name="tmp-configmaps",resource_namespace="a",deletion_propagation="Background",resource_kind="ConfigMap"\} 1/,
    );
    await tb.api('DELETE', '/apis/kyverno.io/v2/clustercleanuppolicies/tmp-configmaps');
  });

  test('a CleanupPolicy never deletes outside its namespace', async () => {
    for (const ns of ['team', 'other'])
      assert.equal(
        (await tb.api('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(ns, 'x', { gone: 'yes' })))
          .status,
        201,
      );
    const policy = {
      apiVersion: 'kyverno.io/v2',
      kind: 'CleanupPolicy',
      metadata: { name: 'mine', namespace: 'team' },
      // Its match names the other namespace too: the policy's namespace still bounds it.
      spec: {
        schedule: '* * * * *',
        match: {
          any: [
            {
              resources: {
                kinds: ['ConfigMap', 'Namespace'],
                namespaces: ['team', 'other'],
                selector: { matchLabels: { gone: 'yes' } },
              },
            },
          ],
        },
      },
    };
    assert.equal(
      (await tb.api('POST', '/apis/kyverno.io/v2/namespaces/team/cleanuppolicies', policy)).status,
      201,
    );
    const { runs } = await controllers(later).cleanup.runDue();
    assert.deepEqual(runs, [{ policy: 'CleanupPolicy team/mine', deleted: 1, errors: 0 }]);
    assert.deepEqual(await names(tb, 'team'), []);
    assert.deepEqual(await names(tb, 'other'), ['x']);
    assert.equal((await tb.api('GET', '/api/v1/namespaces/other')).status, 200);
    await tb.api('DELETE', '/apis/kyverno.io/v2/namespaces/team/cleanuppolicies/mine');
  });

  test('a DeletingPolicy deletes what its conditions select, and records its run', async () => {
    for (const cm of [configMap('a', 'test-cm', { env: 'test' }), configMap('a', 'prod-cm', { env: 'prod' })])
      assert.equal((await tb.api('POST', '/api/v1/namespaces/a/configmaps', cm)).status, 201);
    const dpol = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'DeletingPolicy',
      metadata: { name: 'test-configmaps' },
      spec: {
        schedule: '*/1 * * * *',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] },
          ],
        },
        conditions: [{ name: 'is-test', expression: "object.metadata.?labels.env.orValue('') == 'test'" }],
      },
    };
    const created = await tb.api('POST', '/apis/policies.kyverno.io/v1beta1/deletingpolicies', dpol);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { runs } = await controllers(later).cleanup.runDue();
    assert.deepEqual(runs, [{ policy: 'DeletingPolicy test-configmaps', deleted: 1, errors: 0 }]);
    assert.deepEqual(await names(tb, 'a'), ['keep', 'prod-cm']);
    const stored = (await tb.api('GET', '/apis/policies.kyverno.io/v1beta1/deletingpolicies/test-configmaps'))
      .body as {
      status?: { lastExecutionTime?: string };
    };
    assert.ok(stored.status?.lastExecutionTime, JSON.stringify(stored.status));
    await tb.api('DELETE', '/apis/policies.kyverno.io/v1beta1/deletingpolicies/test-configmaps');
  });

  test('resource filters: kube-system is spared by default, a configured filter spares what it names', async () => {
    for (const [ns, name] of [
      ['kube-system', 'sweep-sys'],
      ['a', 'sweep-1'],
      ['a', 'sweep-spared'],
    ] as const)
      assert.equal(
        (await tb.api('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(ns, name, { sweep: 'yes' })))
          .status,
        201,
      );
    const policy = {
      apiVersion: 'kyverno.io/v2',
      kind: 'ClusterCleanupPolicy',
      metadata: { name: 'sweep' },
      spec: {
        schedule: '* * * * *',
        match: {
          any: [{ resources: { kinds: ['ConfigMap'], selector: { matchLabels: { sweep: 'yes' } } } }],
        },
      },
    };
    assert.equal((await tb.api('POST', '/apis/kyverno.io/v2/clustercleanuppolicies', policy)).status, 201);
    const filters = parseResourceFilters('[*/*,kube-system,*][ConfigMap,a,sweep-spared]');
    const { runs } = await controllers(later, filters).cleanup.runDue();
    assert.deepEqual(runs, [{ policy: 'ClusterCleanupPolicy sweep', deleted: 1, errors: 0 }]);
    assert.ok((await names(tb, 'a')).includes('sweep-spared'));
    assert.ok(!(await names(tb, 'a')).includes('sweep-1'));
    assert.ok((await names(tb, 'kube-system')).includes('sweep-sys'));
    await tb.api('DELETE', '/apis/kyverno.io/v2/clustercleanuppolicies/sweep');
    // The default filters (Kyverno's chart) spare kube-system too, with the same policy run again.
    assert.equal((await tb.api('POST', '/apis/kyverno.io/v2/clustercleanuppolicies', policy)).status, 201);
    const again = await controllers(later).cleanup.runDue();
    assert.deepEqual(again.runs, [{ policy: 'ClusterCleanupPolicy sweep', deleted: 1, errors: 0 }]);
    assert.ok((await names(tb, 'kube-system')).includes('sweep-sys'));
    assert.ok(!(await names(tb, 'a')).includes('sweep-spared'));
    await tb.api('DELETE', '/apis/kyverno.io/v2/clustercleanuppolicies/sweep');
  });

  test('the TTL label deletes when its time has come, not before', async () => {
    const labelled: [string, string][] = [
      ['soon', '1m'],
      ['dated', '2020-01-01'],
      ['far', '2h'],
      ['bad', 'never'],
    ];
    for (const [name, ttl] of labelled)
      assert.equal(
        (
          await tb.api(
            'POST',
            '/api/v1/namespaces/b/configmaps',
            configMap('b', `ttl-${name}`, { 'cleanup.kyverno.io/ttl': ttl }),
          )
        ).status,
        201,
      );
    const first = await controllers(() => new Date()).ttl.pass();
    assert.deepEqual(first.deleted, ['configmaps/b/ttl-dated']);
    const second = await controllers(() => new Date(Date.now() + 61_000)).ttl.pass();
    assert.deepEqual(second.deleted, ['configmaps/b/ttl-soon']);
    assert.deepEqual(await names(tb, 'b'), ['pinned', 'ttl-bad', 'ttl-far']);
  });
});
