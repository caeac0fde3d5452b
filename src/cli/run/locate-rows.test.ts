import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toResource } from '../../io/files/resources.js';
import { loadDocuments } from '../../io/yaml/load-documents.js';
import { settledSource } from '../../io/yaml/source-map.js';
import type { CheckedRow } from './check-results.js';
import { applyRowSource, existingPrefix, locateFailedRows, locateInResource } from './locate-rows.js';

const TEXT = `apiVersion: v1
kind: Pod
metadata:
  name: a
---
apiVersion: v1
kind: Pod
metadata:
  name: b
spec:
  containers:
    - name: app
      image: nginx:latest
`;

function resources() {
  return loadDocuments(TEXT, 'pods.yaml').documents.map((d) => {
    const r = toResource(d);
    assert.ok(r.ok);
    return r.value;
  });
}

test('the offending field: its key in the second document', () => {
  const [, b] = resources();
  assert.deepEqual(settledSource(locateInResource(b!, ['spec', 'containers', 0, 'image'])), {
    file: 'pods.yaml',
    document: 1,
    line: 13,
    column: 7,
  });
});

test('a missing field points at the key of its deepest existing parent', () => {
  const [a] = resources();
  assert.deepEqual(existingPrefix(a!.object, ['metadata', 'labels', 'app']), ['metadata']);
  assert.equal(locateInResource(a!, ['metadata', 'labels', 'app']).line, 3);
  // metadata.namespace is added by the loader, not written in the file
  assert.equal(a!.object.metadata?.namespace, 'default');
  assert.equal(locateInResource(a!, ['metadata', 'namespace']).line, 3);
});

test('no path: the resource itself', () => {
  const [, b] = resources();
  assert.equal(locateInResource(b!, undefined).line, 6);
});

test('only failed rows of test get a location', () => {
  const rs = resources();
  const row = (result: 'Pass' | 'Fail', key: string): CheckedRow => ({
    id: 1,
    policy: 'p',
    rule: 'r',
    resource: key,
    result,
    reason: '',
    message: '',
    expected: 'pass',
    skipped: false,
    resourceKey: key,
    path: ['spec', 'containers', 0, 'image'],
  });
  const out = locateFailedRows([row('Pass', 'v1,Pod,default,b'), row('Fail', 'v1,Pod,default,b')], rs);
  assert.equal(out[0]?.location, undefined);
  assert.equal(out[1]?.location?.line, 13);
});

test('apply rows get location, path and policy info', () => {
  const [, b] = resources();
  const src = applyRowSource(b!, { path: ['spec'] }, { 'policies.kyverno.io/title': 'T' });
  assert.deepEqual(
    { ...src, location: settledSource(src.location) },
    {
      location: { file: 'pods.yaml', document: 1, line: 10, column: 1 },
      path: ['spec'],
      policyInfo: { title: 'T' },
    },
  );
});
