import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { validateTestFile } from './test-file.js';

// kyverno.io/docs/kyverno-cli/usage/test (Test file example)
const sample = `
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: disallow-latest-tag
policies:
- ../disallow-latest-tag.yaml
resources:
- resource.yaml
variables: values.yaml
userinfo: user_info.yaml
exceptions: [exception.yaml]
results:
- policy: disallow-latest-tag
  rule: require-image-tag
  resources: [myapp-pod]
  kind: Pod
  result: pass
- policy: add-default-resources
  rule: add-default-requests
  resources: [nginx-demo]
  kind: Pod
  result: pass
  patchedResources: patched.yaml
  operation: UPDATE
- policy: ns/gen
  rule: r
  resourceSpecs:
  - version: v1
    kind: Pod
    namespace: default
    name: x
  kind: Pod
  result: skip
  generatedResource: generated.yaml
  cloneSourceResource: source.yaml
- policy: vpol
  kind: Pod
  resources: [a]
  result: fail
  isValidatingPolicy: true
apiCallResponses:
- urlPath: /api/v1/namespaces
  response:
    body:
      items: []
- url: https://example.com/config
  method: POST
  response:
    statusCode: 201
    body: { ok: true }
globalContextEntries:
- name: deployments
  data: { items: [] }
  fieldPath: items
  projections:
  - name: count
    path: length(@)
values:
  globalValues:
    request.operation: UPDATE
`;

describe('validateTestFile', () => {
  test('a full test file validates and keeps its fields', () => {
    const r = validateTestFile(parse(sample));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.value.results?.length, 4);
    assert.equal(r.value.results?.[1]?.operation, 'UPDATE');
    assert.equal(r.value.apiCallResponses?.[1]?.response.statusCode, 201);
    assert.equal(r.value.values?.globalValues?.['request.operation'], 'UPDATE');
  });

  test('field names are matched case-insensitively (Go encoding/json) and canonicalized', () => {
    const doc = parse(sample);
    doc.results[3].isValidatingPOLICY = doc.results[3].isValidatingPolicy;
    delete doc.results[3].isValidatingPolicy;
    const r = validateTestFile(doc);
    assert.ok(r.ok);
    assert.equal(r.value.results?.[3]?.isValidatingPolicy, true);
    assert.deepEqual(
      r.warnings.map((w) => [w.severity, w.path]),
      [['warning', ['results', 3, 'isValidatingPOLICY']]],
    );
  });

  test('removed `checks` is an unknown field', () => {
    const doc = parse(sample);
    doc.checks = [];
    const r = validateTestFile(doc);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((d) => [d.code, d.path]),
      [['policy/unknown-field', ['checks']]],
    );
  });

  test('duplicate mocks are reported', () => {
    const doc = parse(sample);
    doc.apiCallResponses.push(structuredClone(doc.apiCallResponses[0]));
    doc.globalContextEntries.push(structuredClone(doc.globalContextEntries[0]));
    const r = validateTestFile(doc);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((d) => d.path),
      [
        ['apiCallResponses', 2],
        ['globalContextEntries', 1],
      ],
    );
  });

  test('another apiVersion or kind is a warning, as Kyverno does not check them', () => {
    const doc = parse(sample);
    doc.apiVersion = 'kyverno.io/v1';
    const versioned = validateTestFile(doc);
    assert.ok(versioned.ok);
    assert.deepEqual(
      versioned.warnings.map((w) => w.path),
      [['apiVersion']],
    );
    const doc2 = parse(sample);
    doc2.kind = 'Tests';
    const r = validateTestFile(doc2);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => w.path),
      [['kind']],
    );
  });

  test('not a mapping', () => {
    const r = validateTestFile('x');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.code, 'policy/wrong-type');
  });
});
