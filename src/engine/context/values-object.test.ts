// Values naming fields of request.object change the object itself (Kyverno's CLI re-reads
// request.object from the context after adding the values, makePolicyContext).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../model/kube-object.js';
import { JsonContext } from './json-context.js';
import { objectWithValues } from './values-object.js';

const role: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'r' },
};

const cases: {
  name: string;
  values: Record<string, unknown>;
  field?: 'object' | 'oldObject';
  want: unknown;
}[] = [
  {
    name: 'a quoted key keeps its dots',
    values: { 'request.object.metadata.annotations."example.com/owner"': 'platform' },
    want: { ...role, metadata: { name: 'r', annotations: { 'example.com/owner': 'platform' } } },
  },
  {
    name: 'a non-map on the way is replaced by a map',
    values: { 'request.object.spec.x': 1, 'request.object.metadata.name': 'renamed' },
    want: { ...role, spec: { x: 1 }, metadata: { name: 'renamed' } },
  },
  {
    name: 'request.object itself replaces the object when it is a map',
    values: { 'request.object': { kind: 'Other' } },
    want: { kind: 'Other' },
  },
  {
    name: 'other values leave the object alone',
    values: { 'request.operation': 'UPDATE', 'request.objectX.a': 1, 'cm.data.x': 'y' },
    want: role,
  },
  {
    name: 'oldObject values apply to the old object only',
    values: { 'request.oldObject.metadata.labels.a': 'b', 'request.object.metadata.labels.c': 'd' },
    field: 'oldObject',
    want: { ...role, metadata: { name: 'r', labels: { a: 'b' } } },
  },
];
for (const c of cases) {
  test(c.name, () => {
    const before = structuredClone(role);
    assert.deepEqual(objectWithValues(role, c.values, c.field ?? 'object'), c.want);
    assert.deepEqual(role, before, 'the input object is not changed');
  });
}

test('JsonContext.setVariable splits the name as Kyverno does; set splits at every dot', () => {
  const ctx = new JsonContext({});
  ctx.setVariable('request.object.metadata.annotations."a.b/c"', 'x');
  ctx.set('plain.a', 1);
  assert.equal(ctx.query('request.object.metadata.annotations."a.b/c"'), 'x');
  assert.equal(ctx.query('plain.a'), 1);
});
