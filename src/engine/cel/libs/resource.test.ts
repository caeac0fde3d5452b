import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterReader } from '../../ports.js';
import { compileCel } from '../compile.js';
import { kindOfResource } from './resource.js';

const objects = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'ns', labels: { app: 'x' } },
    data: { k: 'v' },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'ns' } },
];
const cluster: ClusterReader = {
  get: (apiVersion, kind, namespace, name) =>
    objects.find(
      (o) =>
        o.apiVersion === apiVersion &&
        o.kind === kind &&
        o.metadata.name === name &&
        (namespace === undefined || o.metadata.namespace === namespace),
    ),
  list: (apiVersion, kind, namespace) =>
    objects.filter(
      (o) =>
        o.apiVersion === apiVersion &&
        o.kind === kind &&
        (namespace === undefined || o.metadata.namespace === namespace),
    ),
};
const run = (expr: string) =>
  compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports: { cluster } });

test('resource.Get reads one object through the cluster port', () => {
  assert.equal(run('resource.Get("v1", "configmaps", "ns", "cm").data.k'), 'v');
  assert.equal(run('resource.get("v1", "configmaps", "ns", "cm").metadata.name'), 'cm');
});
test('resource.List returns a list object, optionally filtered by labels', () => {
  assert.equal(run('resource.List("v1", "configmaps", "ns").items.size()'), 2);
  assert.deepEqual(
    run('resource.List("v1", "configmaps", "ns", {"app": "x"}).items.map(i, i.metadata.name)'),
    ['cm'],
  );
});
test('a missing object or a missing port is an evaluation error', () => {
  assert.throws(() => run('resource.Get("v1", "configmaps", "ns", "nope")'), /not found/);
  assert.throws(
    () =>
      compileCel('resource.List("v1", "pods", "")', { variables: [], kind: 'validating' }).evaluate(
        {},
        { ports: {} },
      ),
    /no cluster access/,
  );
});
test('plural resource names map to kinds', () => {
  for (const [r, k] of [
    ['pods', 'Pod'],
    ['ingresses', 'Ingress'],
    ['networkpolicies', 'NetworkPolicy'],
    ['deployments', 'Deployment'],
    ['statefulsets', 'StatefulSet'],
    ['classes', 'Class'],
  ] as const)
    assert.equal(kindOfResource(r), k);
});

test("the cluster's own kind mapping (its CRDs) wins over the singular guess", () => {
  const crs = [{ apiVersion: 'example.com/v1', kind: 'Octopus', metadata: { name: 'o' } }];
  const withCrds: ClusterReader = {
    get: (apiVersion, kind, _ns, name) =>
      crs.find((o) => o.apiVersion === apiVersion && o.kind === kind && o.metadata.name === name),
    list: (apiVersion, kind) => crs.filter((o) => o.apiVersion === apiVersion && o.kind === kind),
    kindOf: (apiVersion, resource) =>
      apiVersion === 'example.com/v1' && resource === 'octopi' ? 'Octopus' : undefined,
  };
  const eval1 = (expr: string) =>
    compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports: { cluster: withCrds } });
  assert.equal(eval1('resource.Get("example.com/v1", "octopi", "", "o").metadata.name'), 'o');
  assert.equal(eval1('resource.List("example.com/v1", "octopi", "").items.size()'), 1);
  // Without a mapping, `octopi` would be guessed as kind `Octopi`.
  assert.equal(kindOfResource('octopi'), 'Octopi');
});
