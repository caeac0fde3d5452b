// Kubernetes MutatingAdmissionPolicy as Kyverno's CLI evaluates it (pkg/admissionpolicy/mutate.go;
// examples from the Kubernetes "Mutating Admission Policy" docs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import { loadMutatingAdmissionPolicy, loadMutatingAdmissionPolicyBinding } from '../mutating-policy/load.js';
import {
  type CompiledMutatingAdmissionPolicy,
  compileMutatingAdmissionPolicy,
  evaluateMutatingAdmissionPolicy,
} from './mutating-admission-policy.js';

const podsOnly = {
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
};

function compiled(
  spec: Record<string, unknown>,
  bindings: Record<string, unknown>[] = [],
): CompiledMutatingAdmissionPolicy {
  const p = loadMutatingAdmissionPolicy({
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: 'sidecar-policy.example.com' },
    spec,
  });
  assert.ok(p.ok, JSON.stringify(!p.ok && p.issues));
  const bs = bindings.map((spec, i) => {
    const b = loadMutatingAdmissionPolicyBinding({
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: { name: `b${i}` },
      spec,
    });
    assert.ok(b.ok);
    return b.value;
  });
  const c = compileMutatingAdmissionPolicy(p.value, bs);
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return c.value;
}

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { initContainers: [{ name: 'init', image: 'i' }], containers: [{ name: 'c', image: 'x' }] },
});

const run = (c: CompiledMutatingAdmissionPolicy, object: KubeObject, params?: KubeObject[]) =>
  evaluateMutatingAdmissionPolicy(
    c,
    {
      attributes: {
        group: '',
        version: 'v1',
        kind: 'Pod',
        resource: 'pods',
        subresource: '',
        namespace: 'default',
        name: object.metadata?.name ?? '',
        operation: 'CREATE',
        object,
        oldObject: null,
      },
      namespaceObject: null,
    },
    { ports: {} },
    params,
  );

// The Kubernetes docs' sidecar example: add an init container unless it is already there.
const sidecar = {
  matchConstraints: podsOnly,
  matchConditions: [
    {
      name: 'does-not-already-have-sidecar',
      expression: '!object.spec.initContainers.exists(ic, ic.name == "mesh-proxy")',
    },
  ],
  mutations: [
    {
      patchType: 'ApplyConfiguration',
      applyConfiguration: {
        expression:
          'Object{spec: Object.spec{initContainers: [Object.spec.initContainers{name: "mesh-proxy", image: "mesh/proxy:v1.0.0"}]}}',
      },
    },
  ],
};

describe('evaluateMutatingAdmissionPolicy', () => {
  test('without bindings the policy constraints select; lists are atomic (deduced schema)', () => {
    const r = run(compiled(sidecar), pod('p'));
    assert.deepEqual(
      r.rules.map((x) => [x.name, x.status, x.message]),
      [['sidecar-policy.example.com', 'pass', 'mutation is successfully applied']],
    );
    assert.deepEqual((r.patched?.spec as { initContainers?: unknown } | undefined)?.initContainers, [
      { name: 'mesh-proxy', image: 'mesh/proxy:v1.0.0' },
    ]);
  });
  test("a false matchCondition skips with Kyverno's message", () => {
    const withProxy = pod('p');
    (withProxy.spec as { initContainers: { name: string }[] }).initContainers = [{ name: 'mesh-proxy' }];
    const r = run(compiled(sidecar), withProxy);
    assert.deepEqual(
      r.rules.map((x) => [x.status, x.message]),
      [['skip', "match conditions aren't met"]],
    );
  });
  test('with bindings, only those whose matchResources match apply', () => {
    const c = compiled(sidecar, [
      {
        policyName: 'sidecar-policy.example.com',
        matchResources: { objectSelector: { matchLabels: { mesh: 'on' } } },
      },
    ]);
    assert.deepEqual(run(c, pod('off')).rules, []);
    assert.equal(run(c, pod('on', { mesh: 'on' })).rules[0]?.status, 'pass');
  });
  test('bindings of other policies are ignored', () => {
    const c = compiled(sidecar, [{ policyName: 'other' }]);
    assert.equal(c.bindings.length, 0);
  });
  test('a mutation error answers nothing (Kyverno logs it)', () => {
    const c = compiled({
      matchConstraints: podsOnly,
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: '[JSONPatch{op: "replace", path: "/nope", value: 1}]' },
        },
      ],
    });
    const r = run(c, pod('p'));
    assert.deepEqual(r.rules, []);
    assert.ok(r.error !== undefined);
  });

  // A label taken from ConfigMap params, the way Kyverno's CLI binds them offline.
  const labelFromParams = {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: podsOnly,
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: {
          expression: 'Object{metadata: Object.metadata{labels: {"tier": string(params.data.tier)}}}',
        },
      },
    ],
  };
  const cm = (name: string, tier: string, labels: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels },
    data: { tier },
  });
  const labelsOf = (o: KubeObject | undefined) => o?.metadata?.labels;
  const bindingCases: [string, Record<string, unknown>[], KubeObject[], unknown][] = [
    [
      'paramRef by name binds that object',
      [{ paramRef: { name: 'gold' } }],
      [cm('silver', 's'), cm('gold', 'g')],
      { tier: 'g' },
    ],
    [
      'every applicable binding applies in order; the last one wins',
      [{ paramRef: { name: 'gold' } }, { paramRef: { name: 'silver' } }],
      [cm('silver', 's'), cm('gold', 'g')],
      { tier: 's' },
    ],
    [
      'a binding whose matchResources do not match is skipped',
      [
        { paramRef: { name: 'gold' } },
        { paramRef: { name: 'silver' }, matchResources: { objectSelector: { matchLabels: { x: 'y' } } } },
      ],
      [cm('silver', 's'), cm('gold', 'g')],
      { tier: 'g' },
    ],
  ];
  for (const [name, bindings, params, want] of bindingCases) {
    test(name, () => {
      const c = compiled(
        labelFromParams,
        bindings.map((b) => ({ policyName: 'sidecar-policy.example.com', ...b })),
      );
      const r = run(c, pod('p'), params);
      assert.equal(r.rules[0]?.status, 'pass');
      assert.deepEqual(labelsOf(r.patched), want);
    });
  }
  test('paramRef selector binds a list object with items', () => {
    const c = compiled(
      {
        ...labelFromParams,
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression:
                'Object{metadata: Object.metadata{labels: {"n": string(size(params.items)), "first": params.items[0].data.tier}}}',
            },
          },
        ],
      },
      [{ policyName: 'sidecar-policy.example.com', paramRef: { selector: { matchLabels: { use: 'yes' } } } }],
    );
    const r = run(c, pod('p'), [
      cm('a', 'one', { use: 'yes' }),
      cm('b', 'two'),
      cm('c', 'three', { use: 'yes' }),
    ]);
    assert.deepEqual(labelsOf(r.patched), { n: '2', first: 'one' });
  });
  test('a mutation failing for missing params leaves an empty response', () => {
    const c = compiled(labelFromParams, [
      { policyName: 'sidecar-policy.example.com', paramRef: { name: 'absent' } },
    ]);
    const r = run(c, pod('p'), [cm('gold', 'g')]);
    assert.deepEqual(r.rules, []);
    assert.equal(r.binding?.metadata.name, 'b0');
  });
});
