import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { validateValuesFile } from './values-file.js';

// kyverno.io/docs/kyverno-cli/usage/apply (values file example)
const sample = `
apiVersion: cli.kyverno.io/v1alpha1
kind: Values
metadata:
  name: values
globalValues:
  request.mode: dev
policies:
- name: cm-globalval-example
  rules:
  - name: validate-mode
    values:
      request.object.metadata.name: test
    foreachValues:
      element:
      - a
      - b
  resources:
  - name: test-global-prod
    values:
      request.mode: prod
namespaceSelector:
- name: test1
  labels:
    foo.com/managed-state: managed
namespaces:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: test1
    labels:
      team: a
subresources:
- subresource:
    name: deployments/scale
    kind: Scale
    group: autoscaling
    version: v1
  parentResource:
    name: deployments
    kind: Deployment
    group: apps
    version: v1
`;

test('a full values file validates', () => {
  const r = validateValuesFile(parse(sample));
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  assert.deepEqual(r.warnings, []);
  assert.equal(r.value.policies?.[0]?.rules?.[0]?.values?.['request.object.metadata.name'], 'test');
  assert.equal(r.value.subresources?.[0]?.parentResource.kind, 'Deployment');
});

test('missing apiVersion and kind is the deprecated schema', () => {
  const doc = parse(sample);
  delete doc.apiVersion;
  delete doc.kind;
  const r = validateValuesFile(doc);
  assert.ok(!r.ok);
  assert.deepEqual(
    r.issues.map((d) => [d.code, d.path]),
    [
      ['test/deprecated-schema', ['apiVersion']],
      ['test/deprecated-schema', ['kind']],
    ],
  );
});

test('policies need names; rule values must be a map', () => {
  const doc = parse(sample);
  delete doc.policies[0].name;
  doc.policies[0].rules[0].values = ['x'];
  const r = validateValuesFile(doc);
  assert.ok(!r.ok);
  assert.deepEqual(r.issues.map((d) => [d.code, d.path]).sort(), [
    ['policy/missing-field', ['policies', 0, 'name']],
    ['policy/wrong-type', ['policies', 0, 'rules', 0, 'values']],
  ]);
});
