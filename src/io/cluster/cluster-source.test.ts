// The cluster policy source against the real API server: the ClusterPolicy CRD of config/crds
// installed (the other policy kinds not), policies, a Namespace and RBAC bindings created through the
// API, and the real list/watch client with a probe that can hold one collection's list.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type ProbedClient,
  probedClient,
  testbedKubeConfig,
} from '../../../test/support/list-watch-probe.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { requestForObject } from '../../engine/index.js';
import { type ClusterPolicyLoad, type ClusterSource, startClusterSource } from './cluster-source.js';
import type { KubeObject } from './list-watch-client.js';

const CRD = resolve(import.meta.dirname, '../../../config/crds/kyverno.io_clusterpolicies.yaml');
const CPOL = '/apis/kyverno.io/v1/clusterpolicies';
const RB = '/apis/rbac.authorization.k8s.io/v1/rolebindings';
const CRB = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';

function requireLabel(name: string, label: string): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
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

const names = (l: ClusterPolicyLoad | undefined): string[] =>
  (l?.set.policies ?? []).map((p) => p.ref.name).sort();

describe('cluster policy source on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  const sources: ClusterSource[] = [];
  before(async () => {
    tb = await startTestbed();
    const crd = await tb.kubectl(['apply', '--server-side', '-f', CRD]);
    assert.equal(crd.code, 0, crd.stderr);
    await tb.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/clusterpolicies.kyverno.io',
      '--timeout=30s',
    ]);
    const created = await Promise.all([
      tb.api('POST', '/api/v1/namespaces', { metadata: { name: 'team-a', labels: { env: 'prod' } } }),
      tb.api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings', {
        metadata: { name: 'edit', namespace: 'team-a' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'editor' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      }),
    ]);
    for (const c of created) assert.equal(c.status, 201, JSON.stringify(c.body));
  });
  after(async () => {
    for (const s of sources) s.close();
    await tb?.stop();
  });

  function start(debounceMs = 20, prepare: (c: ProbedClient) => void = () => {}) {
    const client = probedClient(testbedKubeConfig(tb.kubeconfig));
    prepare(client);
    const loads: ClusterPolicyLoad[] = [];
    const source = startClusterSource((l) => loads.push(l), {
      client,
      debounceMs,
      log: () => {},
      backoff: { initialMs: 50, maxMs: 200 },
    });
    sources.push(source);
    return { source, loads, client };
  }

  const create = async (policy: KubeObject) => {
    const res = await tb.api('POST', CPOL, policy);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const remove = async (name: string) => {
    const res = await tb.api('DELETE', `${CPOL}/${name}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  test('no set before every collection is listed; CRDs not installed are no obstacle', async () => {
    await create(requireLabel('a', 'team'));
    const { source, loads, client } = start(20, (c) => c.hold(RB));
    await eventually('policies listed', 10_000, async () =>
      client.lists.get(CPOL) === 1 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(loads.length, 0, 'a set was handed over before the RoleBindings were listed');
    client.release(RB);
    await source.firstLoad;
    assert.deepEqual(names(loads[0]), ['a']);
    await remove('a');
  });

  test('a change yields the whole current list, compiled and debounced; deletes drop the policy', async () => {
    await create(requireLabel('a', 'team'));
    // A quiet time long enough for two creates sent together to arrive within it.
    const { source, loads } = start(1000);
    await source.firstLoad;
    await Promise.all([create(requireLabel('b', 'owner')), create(requireLabel('c', 'owner'))]);
    await eventually('b and c loaded', 10_000, async () =>
      names(loads.at(-1)).length === 3 ? true : undefined,
    );
    assert.equal(loads.length, 2, 'two changes in a burst make one load');
    await remove('a');
    await eventually('a dropped', 10_000, async () =>
      names(loads.at(-1)).join() === 'b,c' ? true : undefined,
    );
    await Promise.all([remove('b'), remove('c')]);
  });

  test('a policy that does not compile is left out and reported by name; the others are served', async () => {
    const broken = requireLabel('broken', 'x');
    (broken.spec as { rules: { match: unknown }[] }).rules[0]!.match = {
      any: [{ resources: { kinds: ['ConfigMap'] } }],
      all: [{ resources: { kinds: ['Pod'] } }],
    };
    await create(requireLabel('good', 'team'));
    await create(broken);
    const { source, loads } = start();
    await source.firstLoad;
    assert.deepEqual(names(loads[0]), ['good']);
    assert.deepEqual([...(loads[0]?.rejected.keys() ?? [])], ['ClusterPolicy/broken']);
    assert.match(loads[0]?.rejected.get('ClusterPolicy/broken')?.[0]?.message ?? '', /any.*all/);
    await Promise.all([remove('good'), remove('broken')]);
  });

  test('requests get their namespace object and the roles bound to the user', async () => {
    const { source } = start();
    await source.firstLoad;
    const request = requestForObject(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'team-a' } },
      'CREATE',
      { userInfo: { username: 'alice', groups: [] } },
    );
    const ctx = source.contextFor(request);
    const ns = ctx.namespaceObject as KubeObject | null;
    assert.equal(ns?.metadata?.name, 'team-a');
    assert.equal((ns?.metadata?.labels as Record<string, string> | undefined)?.env, 'prod');
    assert.deepEqual(ctx.roles, ['team-a:editor']);
    const binding = await tb.api('POST', CRB, {
      metadata: { name: 'alice-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
    });
    assert.equal(binding.status, 201, JSON.stringify(binding.body));
    await eventually('binding seen', 10_000, async () =>
      source.contextFor(request).clusterRoles?.includes('cluster-admin') ? true : undefined,
    );
    const elsewhere = { ...request, namespace: 'unknown' };
    assert.equal(source.contextFor(elsewhere).namespaceObject, null);
  });
});
