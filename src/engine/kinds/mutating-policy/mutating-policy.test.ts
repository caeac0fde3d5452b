// MutatingPolicy pipeline (kyverno.io docs "MutatingPolicy" examples; pkg/cel/policies/mpol).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import type { AdmissionAttributes } from '../cel-shared/match-constraints.js';
import { BUILTIN_TYPE_SCHEMAS } from '../cel-shared/typed/builtins-1.32.generated.js';
import type { TypeSchemas } from '../cel-shared/typed/schema.js';
import type { CelPolicyException } from '../cel-shared/types.js';
import { convertPodExpression } from './autogen.js';
import { loadMutatingPolicy } from './load.js';
import {
  type CompiledMutatingPolicy,
  compileMutatingPolicy,
  evaluateMutatingPolicy,
} from './mutating-policy.js';

const podsOnly = {
  resourceRules: [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
  ],
};

function compiled(
  spec: Record<string, unknown>,
  exceptions: CelPolicyException[] = [],
  typeSchemas?: TypeSchemas,
): CompiledMutatingPolicy {
  const loaded = loadMutatingPolicy({
    apiVersion: 'policies.kyverno.io/v1alpha1',
    kind: 'MutatingPolicy',
    metadata: { name: 'mpol' },
    spec,
  });
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.issues));
  const c = compileMutatingPolicy(loaded.value, {
    exceptions,
    ...(typeSchemas !== undefined ? { typeSchemas } : {}),
  });
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return c.value;
}

function attributes(object: KubeObject): AdmissionAttributes {
  const [group, version] = (object.apiVersion ?? '').includes('/')
    ? (object.apiVersion ?? '').split('/')
    : ['', object.apiVersion ?? ''];
  const resource = object.kind === 'Pod' ? 'pods' : object.kind === 'Deployment' ? 'deployments' : 'cronjobs';
  return {
    group: group ?? '',
    version: version ?? '',
    kind: object.kind ?? '',
    resource,
    subresource: '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
    operation: 'CREATE',
    object,
    oldObject: null,
  };
}

const run = (c: CompiledMutatingPolicy, object: KubeObject) =>
  evaluateMutatingPolicy(c, { attributes: attributes(object), namespaceObject: null }, { ports: {} });

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
};

describe('evaluateMutatingPolicy with type schemas (Kyverno CLI)', () => {
  const table: { name: string; expression: string; object: KubeObject; want: [string, string] }[] = [
    {
      name: 'a null Object field is protobuf NullValue in the patch, not a string',
      expression:
        'Object{spec: Object.spec{containers: [Object.spec.containers{name: object.spec.containers[0].name, image: "x"}]}}',
      object: { ...pod, spec: { containers: [{ name: null, image: 'nginx' }] } },
      want: [
        'error',
        'failed to evaluate policy: error applying patch: failed to convert patch object to typed object: .spec.containers[name=0].name: expected string, got &value.valueUnstructured{Value:0}',
      ],
    },
    {
      name: 'NullValue is not a scalar either (a Quantity)',
      expression:
        'Object{spec: Object.spec{containers: [Object.spec.containers{name: "nginx", resources: Object.spec.containers.resources{requests: Object.spec.containers.resources.requests{cpu: null}}}]}}',
      object: pod,
      want: [
        'error',
        'failed to evaluate policy: error applying patch: failed to convert patch object to typed object: .spec.containers[name="nginx"].resources.requests.cpu: expected any scalar, got &{NULL_VALUE}',
      ],
    },
    {
      name: 'an undeclared field of the object is an evaluation error',
      expression: 'Object{metadata: Object.metadata{labels: {"foo": "bar"}}}',
      object: { ...pod, spec: { containers: [{ name: 'nginx', image: 'nginx' }], bogus: 1 } },
      want: [
        'error',
        'failed to evaluate policy: error applying patch: failed to convert original object to typed object: .spec.bogus: field not declared in schema',
      ],
    },
    {
      name: 'a well-typed object is patched',
      expression: 'Object{metadata: Object.metadata{labels: {"foo": "bar"}}}',
      object: pod,
      want: ['pass', 'success'],
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      const c = compiled(
        {
          matchConstraints: podsOnly,
          mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: t.expression } }],
        },
        [],
        BUILTIN_TYPE_SCHEMAS,
      );
      const [main] = run(c, t.object);
      assert.deepEqual(
        main?.rules.map((r) => [r.status, r.message]),
        [t.want],
      );
      assert.equal(main?.patched !== undefined, t.want[0] === 'pass');
    });
  }
});

describe('evaluateMutatingPolicy with type schemas: lists CEL builds (Go nil slices)', () => {
  const kind = (path: string) =>
    `(type(${path}) == list ? "list" : type(${path}) == null_type ? "null" : "other")`;
  const readInit = (label: string) => ({
    patchType: 'ApplyConfiguration',
    applyConfiguration: {
      expression: `Object{metadata: Object.metadata{labels: {"${label}": ${kind('object.spec.initContainers')}}}}`,
    },
  });
  const jsonPatch = {
    patchType: 'JSONPatch',
    jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/annotations", value: {"a": "b"}}]' },
  };
  const noOpJsonPatch = { patchType: 'JSONPatch', jsonPatch: { expression: '[]' } };
  const apply = (expression: string) => ({
    patchType: 'ApplyConfiguration',
    applyConfiguration: { expression },
  });
  const table: {
    name: string;
    object?: KubeObject;
    mutations: unknown[];
    initContainers: unknown;
    labels: Record<string, string>;
  }[] = [
    {
      name: 'an empty list literal prints as [] and reads as a list',
      mutations: [apply('Object{spec: Object.spec{initContainers: []}}'), readInit('after')],
      initContainers: [],
      labels: { after: 'list' },
    },
    {
      name: 'a JSONPatch mutation after it reads it back as null',
      mutations: [apply('Object{spec: Object.spec{initContainers: []}}'), jsonPatch, readInit('after')],
      initContainers: null,
      labels: { after: 'null' },
    },
    {
      name: 'even one with no operation',
      mutations: [apply('Object{spec: Object.spec{initContainers: []}}'), noOpJsonPatch],
      initContainers: null,
      labels: {},
    },
    {
      name: 'an empty map() result is nil too',
      mutations: [
        apply('Object{spec: Object.spec{initContainers: object.spec.containers.filter(c, false)}}'),
        jsonPatch,
      ],
      initContainers: null,
      labels: {},
    },
    {
      name: 'an empty list copied from the object stays empty',
      object: { ...pod, spec: { containers: [{ name: 'nginx', image: 'nginx' }], initContainers: [] } },
      mutations: [
        apply('Object{spec: Object.spec{initContainers: object.spec.initContainers}}'),
        jsonPatch,
        readInit('after'),
      ],
      initContainers: [],
      labels: { after: 'list' },
    },
    {
      name: 'a nil list copied from the object stays nil',
      mutations: [
        apply('Object{spec: Object.spec{initContainers: []}}'),
        apply('Object{spec: Object.spec{initContainers: object.spec.initContainers}}'),
        jsonPatch,
      ],
      initContainers: null,
      labels: {},
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      const c = compiled({ matchConstraints: podsOnly, mutations: t.mutations }, [], BUILTIN_TYPE_SCHEMAS);
      const [main] = run(c, t.object ?? pod);
      assert.deepEqual(
        main?.rules.map((r) => r.status),
        ['pass'],
        JSON.stringify(main?.rules),
      );
      const patched = main?.patched as {
        spec?: { initContainers?: unknown };
        metadata?: { labels?: unknown };
      };
      assert.deepEqual(patched.spec?.initContainers, t.initContainers);
      assert.deepEqual(patched.metadata?.labels ?? {}, t.labels);
    });
  }

  test('an empty env of a container built as an Object element becomes null through JSON', () => {
    const c = compiled(
      {
        matchConstraints: podsOnly,
        mutations: [
          apply('Object{spec: Object.spec{containers: [Object.spec.containers{name: "nginx", env: []}]}}'),
          noOpJsonPatch,
        ],
      },
      [],
      BUILTIN_TYPE_SCHEMAS,
    );
    const [main] = run(c, pod);
    const spec = main?.patched?.spec as { containers: { env?: unknown }[] } | undefined;
    assert.equal(spec?.containers[0]?.env, null);
  });
});

describe('evaluateMutatingPolicy with type schemas: atomic values (Kyverno guard)', () => {
  const table: { name: string; expression: string; ssa?: boolean; want: [string, string] }[] = [
    {
      name: 'an atomic list and map are refused',
      expression:
        'Object{spec: Object.spec{nodeSelector: {"a": "b"}, containers: [Object.spec.containers{name: "nginx", args: ["x"]}]}}',
      want: [
        'error',
        'failed to evaluate policy: error applying patch: invalid ApplyConfiguration: may not mutate atomic arrays, maps or structs: .spec.nodeSelector, .spec.containers[0].args',
      ],
    },
    {
      name: 'with evaluation.useServerSideApply they are set',
      expression: 'Object{spec: Object.spec{nodeSelector: {"a": "b"}}}',
      ssa: true,
      want: ['pass', 'success'],
    },
    {
      name: 'granular maps and associative lists are fine',
      expression:
        'Object{metadata: Object.metadata{labels: {"a": "b"}}, spec: Object.spec{containers: [Object.spec.containers{name: "nginx", image: "x"}]}}',
      want: ['pass', 'success'],
    },
  ];
  for (const t of table) {
    test(t.name, () => {
      const c = compiled(
        {
          matchConstraints: podsOnly,
          ...(t.ssa === true ? { evaluation: { useServerSideApply: true } } : {}),
          mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: t.expression } }],
        },
        [],
        BUILTIN_TYPE_SCHEMAS,
      );
      const [main] = run(c, pod);
      assert.deepEqual(
        main?.rules.map((r) => [r.status, r.message]),
        [t.want],
      );
    });
  }
});

describe('evaluateMutatingPolicy', () => {
  test('docs example: ApplyConfiguration adds a label', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"foo": "bar"}}}' },
        },
      ],
    });
    const [main] = run(c, pod);
    assert.deepEqual(
      main?.rules.map((r) => [r.status, r.message, r.type]),
      [['pass', 'success', 'Mutation']],
    );
    assert.deepEqual(main?.patched?.metadata, { name: 'p', namespace: 'default', labels: { foo: 'bar' } });
  });
  test('JSONPatch mutations apply in order and each sees the previous result', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/labels", value: {"a": "1"}}]' },
        },
        {
          patchType: 'JSONPatch',
          jsonPatch: {
            expression:
              '[JSONPatch{op: "add", path: "/metadata/labels/b", value: object.metadata.labels.a + "2"}]',
          },
        },
      ],
    });
    const [main] = run(c, pod);
    assert.deepEqual(main?.patched?.metadata?.labels, { a: '1', b: '12' });
  });
  test('a false matchCondition skips; an unmatched kind answers nothing', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      matchConditions: [{ name: 'never', expression: 'object.metadata.name == "other"' }],
      mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'Object{}' } }],
    });
    const [main] = run(c, pod);
    assert.deepEqual(
      main?.rules.map((r) => [r.status, r.message]),
      [['skip', 'skip']],
    );
    assert.equal(main?.patched, undefined);
  });
  test('a JSON patch on a missing path is an evaluation error', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/annotations/x", value: "y"}]' },
        },
      ],
    });
    const [main] = run(c, pod);
    assert.equal(main?.rules[0]?.status, 'error');
    assert.equal(main?.rules[0]?.name, 'evaluation');
    assert.match(main?.rules[0]?.message ?? '', /^failed to evaluate policy: /);
  });
  test('an Object type that does not match its field path is an error', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{spec: Object.metadata{}}' },
        },
      ],
    });
    assert.match(run(c, pod)[0]?.rules[0]?.message ?? '', /type mismatch/);
  });
  test('variables are lazy and may be used by matchConditions and mutations', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      variables: [{ name: 'first', expression: 'object.spec.containers[0].name' }],
      matchConditions: [{ name: 'nginx', expression: 'variables.first == "nginx"' }],
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: {
            expression: 'Object{metadata: Object.metadata{annotations: {"first": variables.first}}}',
          },
        },
      ],
    });
    assert.deepEqual(run(c, pod)[0]?.patched?.metadata?.annotations, { first: 'nginx' });
  });
  test('a matching PolicyException skips the policy', () => {
    const exception: CelPolicyException = {
      apiVersion: 'policies.kyverno.io/v1alpha1',
      kind: 'PolicyException',
      metadata: { name: 'skip-p', namespace: 'default' },
      spec: {
        policyRefs: [{ name: 'mpol', kind: 'MutatingPolicy' }],
        matchConditions: [{ name: 'p', expression: 'object.metadata.name == "p"' }],
      },
    };
    const c = compiled(
      {
        matchConstraints: podsOnly,
        mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'Object{}' } }],
      },
      [exception],
    );
    const [main] = run(c, pod);
    assert.equal(main?.rules[0]?.status, 'skip');
    assert.equal(main?.rules[0]?.type, 'Mutation');
    assert.deepEqual(main?.rules[0]?.exceptions, ['default/skip-p']);
  });
  test('pod policies autogen for controllers: the ApplyConfiguration is moved to the template', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: {
            expression:
              'Object{spec: Object.spec{containers: object.spec.containers.map(c, Object.spec.containers{name: c.name, imagePullPolicy: "Always"})}}',
          },
        },
      ],
    });
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    const variants = run(c, deployment);
    assert.deepEqual(
      variants.map((v) => [v.autogen ?? 'main', v.rules.length]),
      [
        ['main', 0],
        ['defaults', 1],
        ['cronjobs', 0],
      ],
    );
    assert.deepEqual(variants[1]?.patched?.spec, {
      template: { spec: { containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Always' }] } },
    });
  });
  test('a NamespacedMutatingPolicy only sees its own namespace', () => {
    const loaded = loadMutatingPolicy({
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'NamespacedMutatingPolicy',
      metadata: { name: 'n', namespace: 'team' },
      spec: { matchConstraints: podsOnly, mutations: [] },
    });
    assert.ok(loaded.ok);
    const c = compileMutatingPolicy(loaded.value, {});
    assert.ok(c.ok);
    assert.equal(c.value.key, 'team/n');
    assert.deepEqual(run(c.value, pod), []);
  });
});

describe('compileMutatingPolicy', () => {
  test('compile errors name the mutation field', () => {
    const loaded = loadMutatingPolicy({
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'MutatingPolicy',
      metadata: { name: 'bad' },
      spec: { mutations: [{ patchType: 'JSONPatch', jsonPatch: { expression: '[1 +' } }] },
    });
    assert.ok(loaded.ok);
    const c = compileMutatingPolicy(loaded.value, {});
    assert.ok(!c.ok);
    assert.match(c.issues[0]?.message ?? '', /spec\.mutations\[0\]\.jsonPatch\.expression/);
  });
  test('the loader rejects an unknown patchType', () => {
    const r = loadMutatingPolicy({
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'MutatingPolicy',
      metadata: { name: 'x' },
      spec: { mutations: [{ patchType: 'Strategic' }] },
    });
    assert.ok(!r.ok);
  });
  // One problem per field, each named once; never "patchType [object Object]".
  for (const [patchType, want] of [
    [{ a: 1 }, [['policy/wrong-type', 'patchType']]],
    [['JSONPatch'], [['policy/wrong-type', 'patchType']]],
    ['JSONPatch', [['policy/missing-field', 'jsonPatch']]],
  ] as const) {
    test(`patchType ${JSON.stringify(patchType)} without its expression`, () => {
      const r = loadMutatingPolicy({
        apiVersion: 'policies.kyverno.io/v1',
        kind: 'MutatingPolicy',
        metadata: { name: 'x' },
        spec: { mutations: [{ patchType }] },
      });
      assert.ok(!r.ok);
      const errors = r.issues.filter((d) => d.severity === 'error');
      assert.deepEqual(
        errors.map((d) => [d.code, d.path.at(-1)]),
        want,
      );
      for (const d of errors) assert.doesNotMatch(d.message, /object Object/);
    });
  }
});

describe('convertPodExpression (Kyverno mpol autogen)', () => {
  const cases: readonly (readonly [string, 'defaults' | 'cronjobs', string])[] = [
    ['object.spec.containers', 'defaults', 'object.spec.template.spec.containers'],
    ['object.metadata.labels', 'cronjobs', 'object.spec.jobTemplate.spec.template.metadata.labels'],
    [
      'Object{spec: Object.spec{a: 1}}',
      'defaults',
      'Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{a: 1}}}}',
    ],
  ];
  for (const [input, family, want] of cases) {
    test(`${family}: ${input}`, () => assert.equal(convertPodExpression(input, family), want));
  }
});
