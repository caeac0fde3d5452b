// The offline run's requests: values file, --set, user info and test-row operations (reference §8.5).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admit, compilePolicySet, type KubeObject, type ValidatingPolicy } from '../../engine/index.js';
import { computeVariableValues } from '../files/values-spec.js';
import {
  missingClusterNamespace,
  namespaceObjectFor,
  offlineRequest,
  rowOperation,
} from './offline-request.js';

const pod = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const values = {
  namespaces: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { env: 'default' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } },
  ],
};
const podsOnly = (operations: string[]) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations, resources: ['pods'] }],
});
function setOf(name: string, spec: Record<string, unknown>) {
  const document = {
    apiVersion: 'policies.kyverno.io/v1alpha1',
    kind: 'ValidatingPolicy',
    metadata: { name },
    spec,
  };
  const out = compilePolicySet([{ document: document as ValidatingPolicy, source: name }]);
  assert.deepEqual(out.diagnostics, []);
  return out.set;
}
const runtime = { ports: {} };

describe('offlineRequest', () => {
  test('namespaceObject comes from the values namespaces', async () => {
    const set = setOf('no-default-ns', {
      validationActions: ['Audit'],
      matchConstraints: podsOnly(['CREATE', 'UPDATE']),
      validations: [
        { expression: "namespaceObject.metadata.name != 'default'", message: 'default namespace' },
      ],
    });
    const bad = await admit(set, offlineRequest(pod('bad', 'default'), { values }), runtime, {
      profile: 'cli',
    });
    assert.equal(bad.responses[0]?.response.rules[0]?.status, 'fail');
    assert.equal(bad.responses[0]?.response.rules[0]?.message, 'default namespace');
    const good = await admit(set, offlineRequest(pod('good', 'foo'), { values }), runtime, {
      profile: 'cli',
    });
    assert.equal(good.responses[0]?.response.rules[0]?.status, 'pass');
  });
  test('the operation comes from a test row, else --set, else values request.operation, else CREATE', () => {
    const globalValues = { 'request.operation': 'UPDATE' };
    assert.equal(offlineRequest(pod('p', 'foo'), {}).operation, 'CREATE');
    assert.equal(offlineRequest(pod('p', 'foo'), { values: { globalValues } }).operation, 'UPDATE');
    const set = { 'request.operation': 'DELETE' };
    assert.equal(
      offlineRequest(pod('p', 'foo'), { values: { globalValues }, setValues: set }).operation,
      'DELETE',
    );
    assert.equal(
      offlineRequest(pod('p', 'foo'), { values: { globalValues } }, 'CONNECT').operation,
      'CONNECT',
    );
  });
  test('values request.operation reaches ValidatingPolicies', async () => {
    const set = setOf('on-update', {
      matchConstraints: podsOnly(['UPDATE']),
      validations: [{ expression: "request.operation == 'UPDATE' && oldObject != null" }],
    });
    const onCreate = await admit(set, offlineRequest(pod('p', 'foo'), {}), runtime, { profile: 'cli' });
    assert.deepEqual(
      onCreate.responses.flatMap((e) => e.response.rules),
      [],
    );
    const request = offlineRequest(pod('p', 'foo'), {
      values: { globalValues: { 'request.operation': 'UPDATE' } },
    });
    const out = await admit(set, request, runtime, { profile: 'cli' });
    assert.equal(out.responses[0]?.response.rules[0]?.status, 'pass');
  });
  test('DELETE names the object as the old one; UPDATE as both', () => {
    const p = pod('p', 'foo');
    const del = offlineRequest(p, {}, 'DELETE');
    assert.deepEqual([del.object, del.oldObject], [null, p]);
    const upd = offlineRequest(p, {}, 'UPDATE');
    assert.deepEqual([upd.object, upd.oldObject], [p, p]);
  });
  test('a forced operation overrides request.operation in every policy’s variables', () => {
    const r = offlineRequest(
      pod('p', 'foo'),
      { values: { globalValues: { 'request.operation': 'UPDATE' } } },
      'DELETE',
    );
    assert.equal(r.context?.variables?.('any').global['request.operation'], 'DELETE');
    assert.equal(r.context?.operationFromValues, false);
  });
  test('every policy’s variables are what computeVariableValues makes for it (shared by the policies the file does not name)', () => {
    const spec = {
      globalValues: { g: 1, 'request.operation': 'UPDATE' },
      policies: [
        {
          name: 'named',
          resources: [{ name: 'p', values: { r: 2 } }],
          rules: [{ name: 'x', values: { v: 3 } }],
        },
        { name: 'other', rules: [{ name: 'y', foreachValues: { f: [1, 2] } }] },
      ],
    };
    const table: { inputs: Parameters<typeof offlineRequest>[1]; forced?: 'DELETE' }[] = [
      { inputs: {} },
      { inputs: { values: spec } },
      { inputs: { values: spec, setValues: { s: 'x' } } },
      { inputs: { values: spec }, forced: 'DELETE' },
      { inputs: { setValues: { 'request.operation': 'DELETE' } } },
    ];
    for (const [i, { inputs, forced }] of table.entries()) {
      const variables = offlineRequest(pod('p', 'foo'), inputs, forced).context?.variables;
      assert.ok(variables !== undefined);
      for (const name of ['named', 'a', 'other', 'b', 'a']) {
        const made = computeVariableValues(inputs.values, inputs.setValues ?? {}, name, 'p');
        const want =
          forced === undefined ? made : { ...made, global: { ...made.global, 'request.operation': forced } };
        assert.deepEqual(variables(name), want, `${i} ${name}`);
      }
      assert.equal(variables('a'), variables('b'), `${i}: unnamed policies share their values`);
      if (inputs.values !== undefined)
        assert.notEqual(variables('named'), variables('named'), `${i}: named ones are made per call`);
    }
  });
  test('a kind declared as a subresource is requested as its parent’s subresource', () => {
    const binding: KubeObject = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'b', namespace: 'x' },
    };
    const subresources = [
      {
        subresource: { name: 'pods/binding', kind: 'Binding', group: '', version: 'v1' },
        parentResource: { name: 'pods', kind: 'Pod', group: '', version: 'v1' },
      },
    ];
    const r = offlineRequest(binding, { values: { subresources } });
    assert.deepEqual([r.kind.kind, r.resource.resource, r.subResource], ['Pod', 'pods', 'binding']);
  });
  test('user info: user, roles and dryRun', () => {
    const r = offlineRequest(pod('p', 'foo'), {
      requestInfo: { userInfo: { username: 'u' }, roles: ['r'], clusterRoles: ['c'], dryRun: true },
    });
    assert.deepEqual(
      [r.userInfo?.username, r.context?.roles, r.context?.clusterRoles, r.dryRun],
      ['u', ['r'], ['c'], true],
    );
    assert.equal(offlineRequest(pod('p', 'foo'), {}).userInfo, undefined);
  });
});

describe('namespaceObjectFor', () => {
  test('prefers full namespaces over namespaceSelector labels', () => {
    const v = {
      namespaceSelector: [{ name: 'a', labels: { x: '1' } }],
      namespaces: [{ metadata: { name: 'a', labels: { x: '2' } } }],
    };
    assert.deepEqual(namespaceObjectFor(v, 'a')?.metadata?.labels, { x: '2' });
    assert.deepEqual(namespaceObjectFor({ namespaceSelector: v.namespaceSelector }, 'a')?.metadata?.labels, {
      x: '1',
    });
    assert.equal(namespaceObjectFor(v, 'b'), null);
  });
});

describe('rowOperation', () => {
  test('UPDATE, DELETE and CONNECT are forced; CREATE and others leave it to the values', () => {
    assert.deepEqual(['update', 'DELETE', 'Connect', 'CREATE', undefined, 'bogus'].map(rowOperation), [
      'UPDATE',
      'DELETE',
      'CONNECT',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('cluster mode (a test with clusterResources)', () => {
  const team: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team', labels: { tier: 'gold' } },
  };
  const clusterNamespaces = new Map([['team', team]]);
  test("a resource's namespace labels and object come from the cluster", () => {
    const req = offlineRequest(pod('p', 'team'), { clusterNamespaces });
    assert.deepEqual(req.context?.namespaceLabels, { tier: 'gold' });
    assert.equal(req.context?.namespaceObject, team);
    assert.equal(missingClusterNamespace(pod('p', 'team'), { clusterNamespaces }), undefined);
  });
  test('a namespace missing from the cluster fails the run, as in Kyverno', () => {
    assert.match(
      missingClusterNamespace(pod('p', 'absent'), { clusterNamespaces }) ?? '',
      /failed to get the resource's namespace \(namespaces "absent" not found\)/,
    );
  });
  test('values namespace labels win; Namespaces and cluster-scoped objects need none', () => {
    const values = { namespaceSelector: [{ name: 'absent', labels: { a: 'b' } }] };
    assert.equal(missingClusterNamespace(pod('p', 'absent'), { clusterNamespaces, values }), undefined);
    assert.deepEqual(
      offlineRequest(pod('p', 'absent'), { clusterNamespaces, values }).context?.namespaceLabels,
      {
        a: 'b',
      },
    );
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } };
    assert.equal(missingClusterNamespace(ns, { clusterNamespaces }), undefined);
    const role: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'r' },
    };
    assert.equal(missingClusterNamespace(role, { clusterNamespaces }), undefined);
  });
  test('without clusterResources nothing is read from a cluster', () => {
    assert.equal(missingClusterNamespace(pod('p', 'absent'), {}), undefined);
  });
});
