import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadDocuments } from '../yaml/load-documents.js';
import { toResource } from './resources.js';

function load(yaml: string) {
  const doc = loadDocuments(yaml, 'r.yaml').documents[0];
  assert.ok(doc !== undefined);
  return toResource(doc);
}

// Kyverno v1.19 CLI: a namespace-less resource goes into `default` unless its kind is a known
// cluster-scoped built-in (then it keeps no namespace); kinds it does not know count as namespaced.
const namespaceCases = [
  { kind: 'Namespace', apiVersion: 'v1', ns: undefined, want: undefined },
  { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', ns: undefined, want: undefined },
  { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', ns: undefined, want: undefined },
  { kind: 'PersistentVolume', apiVersion: 'v1', ns: undefined, want: undefined },
  { kind: 'StorageClass', apiVersion: 'storage.k8s.io/v1', ns: undefined, want: undefined },
  { kind: 'FlowSchema', apiVersion: 'flowcontrol.apiserver.k8s.io/v1', ns: undefined, want: undefined },
  { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', ns: undefined, want: undefined },
  { kind: 'CustomResourceDefinition', apiVersion: 'apiextensions.k8s.io/v1', ns: undefined, want: undefined },
  { kind: 'Namespace', apiVersion: 'v1', ns: "''", want: undefined },
  { kind: 'Pod', apiVersion: 'v1', ns: undefined, want: 'default' },
  { kind: 'Deployment', apiVersion: 'apps/v1', ns: "''", want: 'default' },
  { kind: 'Widget', apiVersion: 'example.com/v1', ns: undefined, want: 'default' },
  { kind: 'Pod', apiVersion: 'v1', ns: 'team-a', want: 'team-a' },
] as const;

describe('toResource namespace defaulting', () => {
  for (const c of namespaceCases) {
    test(`${c.kind} with namespace ${c.ns ?? '(none)'} → ${c.want ?? '(none)'}`, () => {
      const ns = c.ns === undefined ? '' : `\n  namespace: ${c.ns}`;
      const r = load(`apiVersion: ${c.apiVersion}\nkind: ${c.kind}\nmetadata:\n  name: x${ns}\n`);
      assert.ok(r.ok);
      assert.equal(r.value.object.metadata?.namespace, c.want);
      assert.equal('namespace' in (r.value.object.metadata ?? {}), c.want !== undefined);
    });
  }
});

// Unstructured accessors read a wrong-typed namespace/labels/annotations as absent: not refused.
const wrongTypeCases = [
  { name: 'labels as a string', meta: 'labels: oops', field: 'labels', ns: 'default' },
  { name: 'labels as a list', meta: 'labels: [a, b]', field: 'labels', ns: 'default' },
  { name: 'labels as a number', meta: 'labels: 5', field: 'labels', ns: 'default' },
  { name: 'annotations as a bool', meta: 'annotations: true', field: 'annotations', ns: 'default' },
  { name: 'annotations as a list', meta: 'annotations: [x]', field: 'annotations', ns: 'default' },
  { name: 'namespace as a number', meta: 'namespace: 7', field: 'namespace', ns: 'default' },
  { name: 'namespace as a mapping', meta: 'namespace: {a: b}', field: 'namespace', ns: 'default' },
] as const;

describe('toResource wrong-typed metadata', () => {
  for (const c of wrongTypeCases) {
    test(`${c.name} is treated as absent`, () => {
      const r = load(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ${c.meta}\n`);
      assert.ok(r.ok, 'the resource is loaded, not refused');
      const meta = r.value.object.metadata ?? {};
      // labels/annotations stay as written (matching reads them as absent); a namespace is refilled
      assert.equal(meta.namespace, c.ns);
    });
  }
  test('a wrong-typed namespace on a cluster-scoped kind leaves no namespace', () => {
    const r = load('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  namespace: [x]\n');
    assert.ok(r.ok);
    assert.equal('namespace' in (r.value.object.metadata ?? {}), false);
  });
  test('well-typed labels are kept', () => {
    const r = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: web}\n');
    assert.ok(r.ok);
    assert.deepEqual(r.value.object.metadata?.labels, { app: 'web' });
  });
  test('a wrong-typed name is still refused', () => {
    const r = load('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [p]\n');
    assert.equal(r.ok, false);
  });
});

// Kyverno's CLI (resource.YamlToUnstructured → normalizeNilMaps): a null annotations, labels,
// matchLabels, nodeSelector, data or stringData, at any depth, is read as an empty map; other
// null fields stay null. Found by scripts/differential.mjs (a ValidatingPolicy reading
// `object.metadata.?annotations.orValue([]).exists(...)` passed in the reference, errored here).
describe('toResource null map fields', () => {
  test('become empty maps at any depth, other nulls are kept', () => {
    const r = load(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: d',
        '  annotations:',
        '  labels: null',
        '  finalizers: null',
        'spec:',
        '  selector:',
        '    matchLabels:',
        '  template:',
        '    metadata: {labels: null}',
        '    spec:',
        '      nodeSelector: ~',
        '      containers: [{name: c, image: nginx, env: null}]',
        '      volumes: [{name: v, configMap: {name: cm}, data: null}]',
        '',
      ].join('\n'),
    );
    assert.ok(r.ok);
    // biome-ignore lint/suspicious/noExplicitAny: a test reading a known shape
    const o = r.value.object as Record<string, any>;
    assert.deepEqual(o.metadata.annotations, {});
    assert.deepEqual(o.metadata.labels, {});
    assert.equal(o.metadata.finalizers, null);
    assert.deepEqual(o.spec.selector.matchLabels, {});
    assert.deepEqual(o.spec.template.metadata.labels, {});
    assert.deepEqual(o.spec.template.spec.nodeSelector, {});
    assert.equal(o.spec.template.spec.containers[0].env, null);
    assert.deepEqual(o.spec.template.spec.volumes[0].data, {});
  });

  test('lists of lists and null items: maps inside are normalised, the rest is shared as loaded', () => {
    const doc = loadDocuments(
      [
        'apiVersion: v1',
        'kind: Thing',
        'metadata: {name: t}',
        'spec:',
        '  grid: [[{labels: null}, null, 1], [x]]',
        '  untouched: {a: [1, {b: null}], labels: {k: v}}',
      ].join('\n'),
      'r.yaml',
    ).documents[0]!;
    const r = toResource(doc);
    assert.ok(r.ok);
    // biome-ignore lint/suspicious/noExplicitAny: a test reading a known shape
    const o = r.value.object as Record<string, any>;
    // biome-ignore lint/suspicious/noExplicitAny: the same
    const loaded = doc.value as Record<string, any>;
    assert.deepEqual(o.spec.grid, [[{ labels: {} }, null, 1], ['x']]);
    assert.equal(loaded.spec.grid[0][0].labels, null, 'the loaded value is not changed');
    assert.equal(o.spec.grid[1], loaded.spec.grid[1]);
    assert.equal(o.spec.untouched, loaded.spec.untouched);
  });

  test('a ConfigMap with data: null has empty data', () => {
    const r = load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: null\n');
    assert.ok(r.ok);
    assert.deepEqual((r.value.object as Record<string, unknown>).data, {});
  });
});
