// ApplyConfiguration with typed conversion (Kyverno CLI: Kubernetes 1.32 builtins): what is
// rejected before the merge, and how the schema's list and map types merge.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import { ApplyConfigurationError, applyConfiguration, findAtomics } from '../apply-configuration.js';
import { BUILTIN_TYPE_SCHEMAS } from './builtins-1.32.generated.js';
import { loadBuiltinTypeSchemas } from './load.js';
import { OpenApiConverter, type TypeSchemas, withCrdSchemas } from './schema.js';

const S = BUILTIN_TYPE_SCHEMAS;

const pod = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'p' },
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec,
});

const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx', ...extra });

function run(
  original: KubeObject,
  patch: Record<string, unknown>,
  schemas: TypeSchemas = S,
  serverSideApply = false,
) {
  try {
    return { ok: applyConfiguration(original, patch, schemas, serverSideApply) };
  } catch (e) {
    assert.ok(e instanceof ApplyConfigurationError, String(e));
    return { error: e.message };
  }
}

describe('typed ApplyConfiguration: conversion errors (nothing is patched)', () => {
  const table: {
    name: string;
    original: KubeObject;
    patch?: Record<string, unknown>;
    error: string;
  }[] = [
    {
      name: 'unknown field in the original',
      original: pod({ containers: [container()], unknownField: 1 }),
      error:
        'error applying patch: failed to convert original object to typed object: .spec.unknownField: field not declared in schema',
    },
    {
      name: 'unknown field in the patch (checked before the original)',
      original: pod({ containers: [container()], unknownField: 1 }),
      patch: { spec: { bogus: true } },
      error:
        'error applying patch: failed to convert patch object to typed object: .spec.bogus: field not declared in schema',
    },
    {
      name: 'a number where a string is declared (labels)',
      original: pod({ containers: [container()] }, { name: 'p', labels: { a: 1 } }),
      error:
        'error applying patch: failed to convert original object to typed object: .metadata.labels.a: expected string, got &value.valueUnstructured{Value:1}',
    },
    {
      name: 'a string where a number is declared (containerPort, keyed with the protocol default)',
      original: pod({ containers: [container({ ports: [{ containerPort: '80' }] })] }),
      error:
        'error applying patch: failed to convert original object to typed object: .spec.containers[name="c"].ports[containerPort="80",protocol="TCP"].containerPort: expected numeric (int or float), got string',
    },
    {
      name: 'a map where a quantity is declared',
      original: pod({ containers: [container({ resources: { limits: { cpu: { a: 1 } } } })] }),
      error:
        'error applying patch: failed to convert original object to typed object: .spec.containers[name="c"].resources.limits.cpu: expected any scalar, got &{map[a:1]}',
    },
    {
      name: 'a scalar where a list is declared',
      original: pod({ containers: 'x' }),
      error:
        'error applying patch: failed to convert original object to typed object: .spec.containers: expected list, got &{x}',
    },
    {
      name: 'duplicate keys in the patch (the live object may have them)',
      original: pod({ containers: [container(), container()] }),
      patch: { spec: { containers: [container(), container()] } },
      error:
        'error applying patch: failed to convert patch object to typed object: .spec.containers: duplicate entries for key [name="c"]',
    },
    {
      name: 'a set element that is a map',
      original: pod({ containers: [container()] }, { name: 'p', finalizers: [{ a: 1 }] }),
      error:
        "error applying patch: failed to convert original object to typed object: .metadata.finalizers: element 0: associative list without keys has an element that's a map type",
    },
    {
      name: 'a group-version without a schema (a CRD)',
      original: { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'f' } },
      error: 'error applying patch: type converter must not be nil',
    },
    {
      name: 'an unknown kind of a known group-version',
      original: { apiVersion: 'apps/v1', kind: 'Foo', metadata: { name: 'f' } },
      error:
        'error applying patch: failed to convert patch object to typed object: no corresponding type for apps/v1, Kind=Foo',
    },
    {
      name: 'an unknown kind of the core group',
      original: { apiVersion: 'v1', kind: 'Foo', metadata: { name: 'f' } },
      error:
        'error applying patch: failed to convert patch object to typed object: no corresponding type for /v1, Kind=Foo',
    },
    {
      name: 'several errors are listed',
      original: pod({ containers: [container({ image: 1 })], nodeName: true }),
      error: [
        'error applying patch: failed to convert original object to typed object: errors:',
        '  .spec.containers[name="c"].image: expected string, got &value.valueUnstructured{Value:1}',
        '  .spec.nodeName: expected string, got &value.valueUnstructured{Value:true}',
      ].join('\n'),
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      assert.deepEqual(run(t.original, t.patch ?? { metadata: { labels: { x: 'y' } } }), { error: t.error });
    });
  }
});

describe('typed ApplyConfiguration: accepted values', () => {
  const table: { name: string; original: KubeObject }[] = [
    {
      name: 'int-or-string as int and as string',
      original: pod({
        containers: [
          container({
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { httpGet: { port: 'http' } },
          }),
        ],
      }),
    },
    {
      name: 'quantities as numbers and strings',
      original: pod({
        containers: [
          container({ resources: { limits: { cpu: 1, memory: 1.5 }, requests: { cpu: '500m' } } }),
        ],
      }),
    },
    {
      name: 'nulls anywhere',
      original: pod({ containers: [container()], nodeSelector: null }, { name: 'p', labels: null }),
    },
    {
      name: 'duplicate keys in the live object',
      original: pod({ containers: [container(), container({ image: 'x' })] }),
    },
    {
      name: 'free-form maps (RawExtension-like annotations are strings; a ConfigMap data map)',
      original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } },
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      const r = run(t.original, { metadata: { labels: { x: 'y' } } });
      assert.equal(r.error, undefined);
      const metadata = r.ok?.metadata as { labels: Record<string, string> } | undefined;
      assert.equal(metadata?.labels.x, 'y');
    });
  }
});

describe('typed ApplyConfiguration: merge by the schema', () => {
  const table: { name: string; original: KubeObject; patch: Record<string, unknown>; spec: unknown }[] = [
    {
      name: 'containers merge by name; new ones after',
      original: pod({ containers: [container(), { name: 'd', image: 'x' }] }),
      patch: {
        spec: {
          containers: [
            { name: 'd', imagePullPolicy: 'Always' },
            { name: 'e', image: 'y' },
          ],
        },
      },
      spec: {
        containers: [
          container(),
          { name: 'd', image: 'x', imagePullPolicy: 'Always' },
          { name: 'e', image: 'y' },
        ],
      },
    },
    {
      name: 'ports merge by containerPort and protocol (default TCP)',
      original: pod({ containers: [container({ ports: [{ containerPort: 80 }] })] }),
      patch: {
        spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }] },
      },
      spec: { containers: [container({ ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] })] },
    },
    {
      name: 'an atomic map (nodeSelector) is replaced',
      original: pod({ containers: [container()], nodeSelector: { a: '1' } }),
      patch: { spec: { nodeSelector: { b: '2' } } },
      spec: { containers: [container()], nodeSelector: { b: '2' } },
    },
    {
      name: 'an atomic list (tolerations) is replaced',
      original: pod({ containers: [container()], tolerations: [{ key: 'a' }] }),
      patch: { spec: { tolerations: [{ key: 'b' }] } },
      spec: { containers: [container()], tolerations: [{ key: 'b' }] },
    },
    {
      name: 'a null patch leaves a populated associative list alone',
      original: pod({ containers: [container()] }),
      patch: { spec: { containers: null } },
      spec: { containers: [container()] },
    },
    {
      name: 'a null patch replaces an atomic map',
      original: pod({ containers: [container()], nodeSelector: { a: '1' } }),
      patch: { spec: { nodeSelector: null } },
      spec: { containers: [container()], nodeSelector: null },
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      // The guard-free merge (useServerSideApply), so atomic values can be set.
      const r = run(t.original, t.patch, S, true);
      assert.equal(r.error, undefined);
      assert.deepEqual(r.ok?.spec, t.spec);
    });
  }
  test('a set (finalizers) merges by value', () => {
    const r = run(pod({ containers: [container()] }, { name: 'p', finalizers: ['a', 'b'] }), {
      metadata: { finalizers: ['c', 'a'] },
    });
    const metadata = r.ok?.metadata as { finalizers: string[] } | undefined;
    assert.deepEqual(metadata?.finalizers, ['c', 'a', 'b']);
  });
});

describe('typed ApplyConfiguration: atomic values a patch may not set (findAtomics)', () => {
  const podType = S.gvs.v1?.Pod as number;
  const table: { name: string; patch: Record<string, unknown>; atomics: string[] }[] = [
    {
      name: 'granular maps and associative lists',
      patch: { metadata: { labels: { a: 'b' } }, spec: { containers: [container()] } },
      atomics: [],
    },
    { name: 'an atomic map', patch: { spec: { nodeSelector: { a: 'b' } } }, atomics: ['.spec.nodeSelector'] },
    { name: 'a null atomic map is no map', patch: { spec: { nodeSelector: null } }, atomics: [] },
    {
      name: 'an atomic list in a list element, by index',
      patch: { spec: { containers: [container(), container({ name: 'd', args: ['x'] })] } },
      atomics: ['.spec.containers[1].args'],
    },
    { name: 'an empty atomic list', patch: { spec: { tolerations: [] } }, atomics: ['.spec.tolerations'] },
    {
      name: 'an atomic struct (a label selector) and its atomic lists',
      patch: {
        spec: {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, topologyKey: 'k' },
              ],
            },
          },
        },
      },
      atomics: [
        '.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution',
        '.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector',
        '.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions',
      ],
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      assert.deepEqual(findAtomics(S, podType, t.patch), t.atomics);
    });
  }
  test('the merge refuses them unless server-side apply is asked for', () => {
    const original = pod({ containers: [container()] });
    const patch = { spec: { nodeSelector: { a: 'b' } } };
    assert.equal(
      run(original, patch).error,
      'error applying patch: invalid ApplyConfiguration: may not mutate atomic arrays, maps or structs: .spec.nodeSelector',
    );
    assert.deepEqual(run(original, patch, S, true).ok?.spec, {
      containers: [container()],
      nodeSelector: { a: 'b' },
    });
  });
});

describe('type schemas', () => {
  test('the loader gives the generated builtins', async () => {
    assert.equal(await loadBuiltinTypeSchemas(), S);
  });
  test('x-kubernetes-preserve-unknown-fields keeps undeclared fields (a CRD schema)', () => {
    const c = new OpenApiConverter({
      Foo: {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: {
            type: 'object',
            properties: { a: { type: 'string' } },
            'x-kubernetes-preserve-unknown-fields': true,
          },
          strict: { type: 'object', properties: { a: { type: 'string' } } },
        },
      },
    });
    const schemas: TypeSchemas = { types: c.types, gvs: { 'example.com/v1': { Foo: c.named('Foo') } } };
    const foo = (extra: Record<string, unknown>): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Foo',
      metadata: { name: 'f' },
      ...extra,
    });
    assert.equal(run(foo({ spec: { a: 'x', b: { c: 1 } } }), { spec: { d: 1 } }, schemas).error, undefined);
    assert.match(
      String(run(foo({ strict: { b: 1 } }), {}, schemas).error),
      /\.strict\.b: field not declared in schema/,
    );
  });
});

describe("CRD schemas (a test's clusterResources crds)", () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    color: { type: 'string' },
                    port: { 'x-kubernetes-int-or-string': true },
                    items: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['id'],
                      items: {
                        type: 'object',
                        properties: { id: { type: 'string' }, v: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const schemas = withCrdSchemas(S, [crd, { apiVersion: 'v1', kind: 'ConfigMap' }]);
  const widget = (
    spec: Record<string, unknown>,
    metadata: Record<string, unknown> = { name: 'w' },
  ): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata,
    spec,
  });
  test('builtins stay', () => {
    assert.equal(run(pod({ containers: [container()] }), {}, schemas).error, undefined);
  });
  test('metadata is ObjectMeta: annotations merge; a number label is rejected', () => {
    const r = run(widget({ color: 'blue' }), { metadata: { annotations: { testing: 'true' } } }, schemas);
    assert.deepEqual(r.ok?.metadata, { name: 'w', annotations: { testing: 'true' } });
    assert.match(
      String(run(widget({}, { name: 'w', labels: { a: 1 } }), {}, schemas).error),
      /\.metadata\.labels\.a: expected string/,
    );
  });
  test('spec fields are typed; int-or-string takes both', () => {
    assert.match(
      String(run(widget({ colour: 'x' }), {}, schemas).error),
      /\.spec\.colour: field not declared/,
    );
    assert.match(String(run(widget({ color: 1 }), {}, schemas).error), /\.spec\.color: expected string/);
    assert.equal(run(widget({ port: 80 }), { spec: { port: 'http' } }, schemas).error, undefined);
  });
  test('list-map merge by the CRD keys', () => {
    const r = run(
      widget({ items: [{ id: 'a', v: '1' }] }),
      { spec: { items: [{ id: 'a', v: '2' }, { id: 'b' }] } },
      schemas,
    );
    assert.deepEqual(r.ok?.spec, { items: [{ id: 'a', v: '2' }, { id: 'b' }] });
  });
  test('another group-version still has no converter', () => {
    const r = run({ apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } }, {}, schemas);
    assert.equal(r.error, 'error applying patch: type converter must not be nil');
  });
});
