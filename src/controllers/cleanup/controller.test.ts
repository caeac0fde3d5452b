// The cleanup controller against an in-memory cluster and a chosen clock: runs on the cron tick after
// the last run (or creation), deletes what match/exclude/conditions select and nothing else, records
// lastExecutionTime (which a new leader resumes from), keeps a CleanupPolicy in its namespace, and
// runs DeletingPolicies through the engine.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { type KubeObject, parseResourceFilters, type ResourceFilter } from '../../engine/index.js';
import type { CleanupCluster } from '../../io/cluster/cleanup-cluster.js';
import type { ServedResource } from '../../io/cluster/served-resources.js';
import type { EventInfo } from '../../io/events/event-info.js';
import { createCleanupController } from './controller.js';
import { createCleanupMetrics } from './metrics.js';

const PODS: ServedResource = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  namespaced: true,
  verbs: ['list', 'watch', 'delete'],
};
const NAMESPACES: ServedResource = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  namespaced: false,
  verbs: ['list', 'watch', 'delete'],
};

function fakeCluster(objects: KubeObject[], policies: KubeObject[]) {
  const deletes: string[] = [];
  const statuses: string[] = [];
  const cluster: CleanupCluster = {
    listPolicies: async () => structuredClone(policies),
    async writeLastExecution(p, at) {
      const stored = policies.find((x) => x.metadata?.name === p.metadata?.name);
      if (stored !== undefined) stored.status = { lastExecutionTime: at.toISOString() };
      statuses.push(`${String(p.metadata?.name)} ${at.toISOString()}`);
    },
    resourcesForKind: async (k) => [PODS, NAMESPACES].filter((r) => r.kind === k),
    resourcesForRules: async (rules) =>
      [PODS, NAMESPACES].filter((r) => rules.some((x) => x.resources?.includes(r.resource))),
    deletableResources: async () => [PODS, NAMESPACES],
    list: async (r, ns) =>
      objects
        .filter((o) => o.kind === r.kind && (ns === undefined || o.metadata?.namespace === ns))
        .map((o) => structuredClone(o)),
    namespace: async (name) => objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === name),
    async delete(r, ns, name, propagation) {
      const i = objects.findIndex(
        (o) => o.kind === r.kind && (o.metadata?.namespace ?? '') === (ns ?? '') && o.metadata?.name === name,
      );
      if (i < 0) return false;
      objects.splice(i, 1);
      deletes.push(`${r.resource}/${ns ? `${ns}/` : ''}${name}${propagation ? ` ${propagation}` : ''}`);
      return true;
    },
  };
  return { cluster, deletes, statuses };
}

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const pod = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const CREATED = '2024-01-01T10:00:30Z';
const cleanupPolicy = (name: string, spec: Record<string, unknown>, namespace?: string): KubeObject => ({
  apiVersion: 'kyverno.io/v2',
  kind: namespace === undefined ? 'ClusterCleanupPolicy' : 'CleanupPolicy',
  metadata: {
    name,
    creationTimestamp: CREATED,
    resourceVersion: '1',
    ...(namespace !== undefined ? { namespace } : {}),
  },
  spec: { schedule: '*/5 * * * *', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...spec },
});

const quiet = { info() {}, warn() {}, error() {} };

function controllerAt(
  cluster: CleanupCluster,
  clock: { t: Date },
  registry = new Registry(),
  filters?: readonly ResourceFilter[],
) {
  return createCleanupController({
    cluster,
    metrics: createCleanupMetrics(registry),
    logger: quiet,
    now: () => clock.t,
    ...(filters !== undefined ? { filters } : {}),
  });
}

describe('cleanup controller', () => {
  test('each deletion, and each failed one, is a kyverno-cleanup event on the policy', async () => {
    const objects = [ns('a'), pod('old', 'a'), pod('stuck', 'a')];
    const policies = [cleanupPolicy('tmp', {})];
    const { cluster } = fakeCluster(objects, policies);
    const deleteOne = cluster.delete;
    cluster.delete = async (r, namespace, name, propagation) => {
      if (name === 'stuck') throw new Error('pods "stuck" is forbidden');
      return deleteOne(r, namespace, name, propagation);
    };
    const events: EventInfo[] = [];
    const c = createCleanupController({
      cluster,
      metrics: createCleanupMetrics(new Registry()),
      logger: quiet,
      now: () => new Date('2024-01-01T10:05:01Z'),
      events: { add: (...e) => events.push(...e) },
    });
    await c.runDue();
    assert.deepEqual(
      events.map((e) => [
        e.source,
        e.reason,
        e.action,
        e.regarding.kind,
        e.regarding.name,
        e.related?.name,
        e.message,
      ]),
      [
        [
          'kyverno-cleanup',
          'PolicyApplied',
          'Resource Cleaned Up',
          'ClusterCleanupPolicy',
          'tmp',
          'old',
          'successfully cleaned up the target resource Pod/a/old',
        ],
        [
          'kyverno-cleanup',
          'PolicyError',
          'None',
          'ClusterCleanupPolicy',
          'tmp',
          'stuck',
          'failed to clean up the target resource Pod/a/stuck: pods "stuck" is forbidden',
        ],
      ],
    );
  });

  test('runs on the first tick after creation, deletes what is selected, records the run', async () => {
    const objects = [
      ns('a'),
      pod('old', 'a', { tmp: 'yes' }),
      pod('keep', 'a', { tmp: 'no' }),
      pod('spared', 'a', { tmp: 'yes', keep: 'y' }),
    ];
    const policies = [
      cleanupPolicy('tmp', {
        exclude: { any: [{ resources: { selector: { matchLabels: { keep: 'y' } } } }] },
        conditions: { all: [{ key: '{{ target.metadata.labels.tmp }}', operator: 'Equals', value: 'yes' }] },
        deletionPropagationPolicy: 'Foreground',
      }),
    ];
    const { cluster, deletes, statuses } = fakeCluster(objects, policies);
    const clock = { t: new Date('2024-01-01T10:04:00Z') };
    const registry = new Registry();
    const c = controllerAt(cluster, clock, registry);
    const early = await c.runDue();
    assert.deepEqual(early.runs, []);
    assert.equal(early.nextAt?.toISOString(), '2024-01-01T10:05:00.000Z');
    clock.t = new Date('2024-01-01T10:05:01Z');
    const { runs, nextAt } = await c.runDue();
    assert.deepEqual(runs, [{ policy: 'ClusterCleanupPolicy tmp', deleted: 1, errors: 0 }]);
    assert.deepEqual(deletes, ['pods/a/old Foreground']);
    assert.deepEqual(statuses, ['tmp 2024-01-01T10:05:01.000Z']);
    assert.equal(nextAt?.toISOString(), '2024-01-01T10:10:00.000Z');
    const text = await registry.metrics();
    assert.match(
      text,
      /kyverno_cleanup_controller_deletedobjects_total\{policy_type="ClusterCleanupPolicy",policy_namespace="",policy_name="tmp",resource_namespace="a",deletion_propagation="Foreground",resource_kind="Pod"\} 1/,
    );
  });

  test('a new leader resumes from lastExecutionTime: no second run before the next tick', async () => {
    const objects = [ns('a'), pod('x', 'a')];
    const policies = [cleanupPolicy('all', {})];
    const { cluster, statuses } = fakeCluster(objects, policies);
    const clock = { t: new Date('2024-01-01T10:05:10Z') };
    await controllerAt(cluster, clock).runDue();
    objects.push(pod('y', 'a'));
    clock.t = new Date('2024-01-01T10:06:00Z');
    const second = await controllerAt(cluster, clock).runDue();
    assert.deepEqual(second.runs, []);
    clock.t = new Date('2024-01-01T10:10:00Z');
    assert.equal((await controllerAt(cluster, clock).runDue()).runs.length, 1);
    assert.equal(statuses.length, 2);
  });

  test('a CleanupPolicy deletes only in its namespace', async () => {
    const objects = [ns('team'), ns('other'), pod('p', 'team'), pod('p', 'other')];
    const { cluster, deletes } = fakeCluster(objects, [cleanupPolicy('mine', {}, 'team')]);
    await controllerAt(cluster, { t: new Date('2024-01-01T11:00:00Z') }).runDue();
    assert.deepEqual(deletes, ['pods/team/p']);
  });

  test('a DeletingPolicy deletes what its CEL conditions select', async () => {
    const objects = [ns('a'), pod('t', 'a', { env: 'test' }), pod('p', 'a', { env: 'prod' })];
    const dpol: KubeObject = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'DeletingPolicy',
      metadata: { name: 'test-pods', creationTimestamp: CREATED },
      spec: {
        schedule: '* * * * *',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] },
        conditions: [{ name: 'is-test', expression: "object.metadata.?labels.env.orValue('') == 'test'" }],
      },
    };
    const { cluster, deletes, statuses } = fakeCluster(objects, [dpol]);
    await controllerAt(cluster, { t: new Date('2024-01-01T10:01:00Z') }).runDue();
    assert.deepEqual(deletes, ['pods/a/t']);
    assert.equal(statuses.length, 1);
  });

  test('a policy that does not compile is skipped, the others run', async () => {
    const objects = [ns('a'), pod('x', 'a')];
    const bad = cleanupPolicy('bad', { schedule: 'whenever' });
    const { cluster, deletes } = fakeCluster(objects, [bad, cleanupPolicy('good', {})]);
    const { runs } = await controllerAt(cluster, { t: new Date('2024-01-01T11:00:00Z') }).runDue();
    assert.deepEqual(
      runs.map((r) => r.policy),
      ['ClusterCleanupPolicy good'],
    );
    assert.deepEqual(deletes, ['pods/a/x']);
  });

  test('resource filters spare what they name: the default kube-system filter, and configured ones', async () => {
    const objects = [
      ns('a'),
      ns('kube-system'),
      pod('sys', 'kube-system'),
      pod('x', 'a'),
      pod('keep-me', 'a'),
      ns('gone', { tmp: 'y' }),
    ];
    const dpol: KubeObject = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'DeletingPolicy',
      metadata: { name: 'all-pods', creationTimestamp: CREATED },
      spec: {
        schedule: '* * * * *',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] },
      },
    };
    const policies = [
      cleanupPolicy('all', { match: { any: [{ resources: { kinds: ['Pod', 'Namespace'] } }] } }),
      dpol,
    ];
    // Kyverno's chart defaults: [*/*,kube-system,*] also covers the Namespace kube-system itself.
    const first = fakeCluster(structuredClone(objects), structuredClone(policies));
    await controllerAt(first.cluster, { t: new Date('2024-01-01T11:00:00Z') }).runDue();
    assert.deepEqual(first.deletes.sort(), ['namespaces/a', 'namespaces/gone', 'pods/a/keep-me', 'pods/a/x']);
    // Configured filters replace the defaults: the Pod named keep-me and Namespace gone stay.
    const second = fakeCluster(structuredClone(objects), structuredClone(policies));
    const filters = parseResourceFilters('[Pod,*,keep-me][Namespace,gone,*]');
    await controllerAt(
      second.cluster,
      { t: new Date('2024-01-01T11:00:00Z') },
      new Registry(),
      filters,
    ).runDue();
    assert.deepEqual(
      second.deletes.sort(),
      ['namespaces/a', 'namespaces/kube-system', 'pods/kube-system/sys', 'pods/a/x'].sort(),
    );
  });
});
