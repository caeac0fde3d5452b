import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FakeCluster } from '../../../test/support/fake-cluster.js';
import { eventually } from '../../../test/support/testbed.js';
import { requestForObject } from '../../engine/index.js';
import { type ClusterPolicyLoad, type ClusterSource, startClusterSource } from './cluster-source.js';
import type { KubeObject } from './list-watch-client.js';

const CPOL = '/apis/kyverno.io/v1/clusterpolicies';
const NS = '/api/v1/namespaces';
const RB = '/apis/rbac.authorization.k8s.io/v1/rolebindings';
const CRB = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';

function requireLabel(name: string, label: string): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name, uid: `uid-${name}` },
    spec: {
      validationFailureAction: 'Enforce',
      rules: [
        {
          name: 'check',
          match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
          validate: {
            message: `label ${label} is required`,
            pattern: { metadata: { labels: { [label]: '?*' } } },
          },
        },
      ],
    },
  };
}

function cluster(): FakeCluster {
  const fake = new FakeCluster();
  fake.serve(NS, [{ metadata: { name: 'team-a', labels: { env: 'prod' } } }]);
  fake.serve(RB, [
    {
      metadata: { name: 'edit', namespace: 'team-a' },
      roleRef: { kind: 'Role', name: 'editor' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
  ]);
  fake.serve(CRB, []);
  return fake;
}

function start(fake: FakeCluster) {
  const loads: ClusterPolicyLoad[] = [];
  const logs: string[] = [];
  const source = startClusterSource((l) => loads.push(l), {
    client: fake,
    debounceMs: 20,
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`),
    backoff: { initialMs: 10, maxMs: 50 },
  });
  return { source, loads, logs };
}

const names = (l: ClusterPolicyLoad | undefined): string[] =>
  (l?.set.policies ?? []).map((p) => p.ref.name).sort();

describe('cluster policy source', () => {
  const sources: ClusterSource[] = [];
  after(() => {
    for (const s of sources) s.close();
  });

  test('no set before every collection is listed; CRDs not installed are no obstacle', async () => {
    const fake = cluster();
    fake.serve(CPOL, [requireLabel('a', 'team')]);
    fake.hold(RB);
    const { source, loads } = start(fake);
    sources.push(source);
    await eventually('policies listed', 2000, async () => (fake.lists.get(CPOL) === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(loads.length, 0, 'a set was handed over before the RoleBindings were listed');
    fake.release(RB);
    await source.firstLoad;
    assert.deepEqual(names(loads[0]), ['a']);
  });

  test('a change yields the whole current list, compiled and debounced; deletes drop the policy', async () => {
    const fake = cluster();
    fake.serve(CPOL, [requireLabel('a', 'team')]);
    const { source, loads } = start(fake);
    sources.push(source);
    await source.firstLoad;
    fake.put(CPOL, requireLabel('b', 'owner'));
    fake.put(CPOL, requireLabel('c', 'owner'));
    await eventually('b and c loaded', 2000, async () =>
      names(loads.at(-1)).length === 3 ? true : undefined,
    );
    assert.equal(loads.length, 2, 'two changes in a burst make one load');
    fake.remove(CPOL, 'a');
    await eventually('a dropped', 2000, async () =>
      names(loads.at(-1)).join() === 'b,c' ? true : undefined,
    );
  });

  test('a policy that does not compile is left out and reported by name; the others are served', async () => {
    const fake = cluster();
    const broken = requireLabel('broken', 'x');
    (broken.spec as { rules: { match: unknown }[] }).rules[0]!.match = {
      any: [{ resources: { kinds: ['ConfigMap'] } }],
      all: [{ resources: { kinds: ['Pod'] } }],
    };
    fake.serve(CPOL, [requireLabel('good', 'team'), broken]);
    const { source, loads } = start(fake);
    sources.push(source);
    await source.firstLoad;
    assert.deepEqual(names(loads[0]), ['good']);
    assert.deepEqual([...(loads[0]?.rejected.keys() ?? [])], ['ClusterPolicy/broken']);
    assert.match(loads[0]?.rejected.get('ClusterPolicy/broken')?.[0]?.message ?? '', /any.*all/);
  });

  test('requests get their namespace object and the roles bound to the user', async () => {
    const fake = cluster();
    const { source } = start(fake);
    sources.push(source);
    await source.firstLoad;
    const request = requestForObject(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'team-a' } },
      'CREATE',
      { userInfo: { username: 'alice', groups: [] } },
    );
    const ctx = source.contextFor(request);
    assert.deepEqual((ctx.namespaceObject as KubeObject | null)?.metadata, {
      name: 'team-a',
      labels: { env: 'prod' },
      resourceVersion: (ctx.namespaceObject as KubeObject).metadata?.resourceVersion,
    });
    assert.deepEqual(ctx.roles, ['team-a:editor']);
    fake.put(CRB, {
      metadata: { name: 'admins' },
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    await eventually('binding seen', 2000, async () =>
      source.contextFor(request).clusterRoles?.includes('cluster-admin') ? true : undefined,
    );
    const elsewhere = { ...request, namespace: 'unknown' };
    assert.equal(source.contextFor(elsewhere).namespaceObject, null);
  });
});
