import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import { loadGeneratingPolicy } from '../cel-shared/load-cel-kinds.js';
import type { CelPolicyException } from '../cel-shared/types.js';
import {
  compileGeneratingPolicy,
  evaluateGeneratingPolicy,
  type GeneratingPolicy,
} from './generating-policy.js';
import { scanPlaceholders } from './generation-template.js';

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

function input(object: KubeObject) {
  return {
    attributes: {
      group: '',
      version: 'v1',
      kind: object.kind ?? '',
      resource: 'namespaces',
      subresource: '',
      namespace: '',
      name: object.metadata?.name ?? '',
      operation: 'CREATE' as const,
      object,
      oldObject: null,
    },
    namespaceObject: null,
  };
}

function policy(
  spec: Partial<GeneratingPolicy['spec']>,
  kind: GeneratingPolicy['kind'] = 'GeneratingPolicy',
  namespace?: string,
): GeneratingPolicy {
  return {
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind,
    metadata: { name: 'gen', ...(namespace !== undefined ? { namespace } : {}) },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] },
        ],
      },
      ...spec,
    },
  };
}

function run(p: GeneratingPolicy, object: KubeObject, exceptions: CelPolicyException[] = []) {
  const c = compileGeneratingPolicy(p, { exceptions });
  assert.ok(c.ok, JSON.stringify(!c.ok && c.issues));
  return evaluateGeneratingPolicy(c.value, input(object), { ports: {} });
}

// The kyverno.io "add-networkpolicy" sample, reduced.
const networkPolicy = policy({
  variables: [
    { name: 'targetNs', expression: 'object.metadata.name' },
    {
      name: 'downstream',
      expression:
        '[{"kind": dyn("NetworkPolicy"), "apiVersion": dyn("networking.k8s.io/v1"), "metadata": dyn({"name": "default-deny", "annotations": {"a": "b"}}), "spec": dyn({"podSelector": dyn({})})}]',
    },
  ],
  generate: [{ expression: 'generator.Apply(variables.targetNs, variables.downstream)' }],
});

describe('GeneratingPolicy expressions', () => {
  test('generator.Apply records the objects in the target namespace (annotations cleared)', () => {
    const out = run(networkPolicy, ns('team-a'));
    assert.ok(out.matched);
    const [rule] = out.rules;
    assert.equal(rule?.status, 'pass');
    assert.equal(rule?.message, 'policy evaluated successfully');
    assert.equal(rule?.name, 'gen');
    assert.deepEqual(rule?.generatedResources, [
      {
        kind: 'NetworkPolicy',
        apiVersion: 'networking.k8s.io/v1',
        metadata: { name: 'default-deny', namespace: 'team-a' },
        spec: { podSelector: {} },
      },
    ]);
  });

  // kyverno/sdk generator lib: `Apply` and (Kyverno ≥ 1.18) `apply`, both returning bool true.
  const spellings = [
    ['Apply', 'generator.Apply(variables.targetNs, variables.downstream)'],
    ['apply', 'generator.apply(variables.targetNs, variables.downstream)'],
    ['apply in all()', '[variables.targetNs, "team-b"].all(n, generator.apply(n, variables.downstream))'],
    ['the result is true', 'generator.apply(variables.targetNs, variables.downstream) == true'],
  ] as const;
  for (const [name, expression] of spellings) {
    test(`generator.${name} compiles and generates`, () => {
      const out = run(policy({ ...networkPolicy.spec, generate: [{ expression }] }), ns('team-a'));
      assert.ok(out.matched);
      const [rule] = out.rules;
      assert.equal(rule?.status, 'pass', rule?.message);
      assert.ok((rule?.generatedResources?.length ?? 0) >= 1);
    });
  }

  test('not matched by matchConstraints → no response', () => {
    const p = policy({
      ...networkPolicy.spec,
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['namespaces'] },
        ],
      },
    });
    assert.deepEqual(run(p, ns('x')), { matched: false });
  });

  test('matchConditions false → a response without rules', () => {
    const p = policy({
      ...networkPolicy.spec,
      matchConditions: [{ name: 'c', expression: "object.metadata.name == 'other'" }],
    });
    assert.deepEqual(run(p, ns('x')), { matched: true, rules: [] });
  });

  // Kyverno (gpol/engine/engine.go, checked with its CLI): rule `exception`, `skip`, or `pass` when the
  // exception says `reportResult: pass`.
  const exceptionCases: [string, Partial<CelPolicyException['spec']>, string, string][] = [
    ['skips the policy', {}, 'skip', 'rule is skipped due to policy exception: kyverno/skip-x'],
    [
      'with reportResult: pass passes it',
      { reportResult: 'pass' },
      'pass',
      'rule is passed due to policy exception: kyverno/skip-x',
    ],
  ];
  for (const [name, extra, status, message] of exceptionCases) {
    test(`a matching CEL PolicyException ${name}`, () => {
      const exception: CelPolicyException = {
        apiVersion: 'policies.kyverno.io/v1beta1',
        kind: 'PolicyException',
        metadata: { name: 'skip-x', namespace: 'kyverno' },
        spec: {
          policyRefs: [{ name: 'gen', kind: 'GeneratingPolicy' }],
          matchConditions: [{ name: 'x', expression: "object.metadata.name == 'x'" }],
          ...extra,
        },
      };
      const out = run(networkPolicy, ns('x'), [exception]);
      assert.ok(out.matched);
      assert.deepEqual(
        [out.rules[0]?.name, out.rules[0]?.type, out.rules[0]?.status, out.rules[0]?.message],
        ['exception', 'Generation', status, message],
      );
    });
  }

  test('an evaluation error is an error result', () => {
    const p = policy({ generate: [{ expression: 'generator.Apply(object.metadata.missing, [])' }] });
    const out = run(p, ns('x'));
    assert.ok(out.matched);
    assert.equal(out.rules[0]?.status, 'error');
    assert.match(out.rules[0]?.message ?? '', /^failed to evaluate policy: /);
  });

  test('in the cluster a clone carries its source’s uid; a new object and the CLI carry none', () => {
    const source =
      'dyn({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default", "uid": "src-1", "resourceVersion": "7", "labels": {"a": "b"}}})';
    const fresh = 'dyn({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "n"}})';
    const p = policy({
      generate: [{ expression: `generator.Apply(object.metadata.name, [${source}, ${fresh}])` }],
    });
    const c = compileGeneratingPolicy(p);
    assert.ok(c.ok);
    const labelsOf = (labelSources: boolean) => {
      const out = evaluateGeneratingPolicy(c.value, input(ns('x')), { ports: {} }, { labelSources });
      assert.ok(out.matched);
      return out.rules[0]?.generatedResources?.map((o) => o.metadata?.labels);
    };
    assert.deepEqual(labelsOf(true), [{ a: 'b', 'generate.kyverno.io/source-uid': 'src-1' }, undefined]);
    assert.deepEqual(labelsOf(false), [{ a: 'b' }, undefined]);
  });

  test('a namespaced policy may not generate into another namespace', () => {
    const p = policy(
      {
        generate: [
          {
            expression:
              'generator.Apply("other", [{"apiVersion": dyn("v1"), "kind": dyn("ConfigMap"), "metadata": dyn({"name": "c"})}])',
          },
        ],
      },
      'NamespacedGeneratingPolicy',
      'tenant',
    );
    const c = compileGeneratingPolicy(p);
    assert.ok(c.ok);
    const i = input(ns('x'));
    const out = evaluateGeneratingPolicy(
      c.value,
      { ...i, attributes: { ...i.attributes, namespace: 'tenant' } },
      { ports: {} },
    );
    assert.ok(out.matched);
    assert.match(out.rules[0]?.message ?? '', /cross-namespace generation denied/);
  });
});

describe('GeneratingPolicy templates', () => {
  const template = (value: string, interpolate: 'cel' | 'none' = 'cel') =>
    policy({
      variables: [{ name: 'n', expression: 'object.metadata.name' }],
      generate: [{ template: { value, interpolate } }],
    });

  test('whole-value placeholders splice values; embedded ones interpolate text; \\(( escapes', () => {
    const out = run(
      template(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: (( variables.n ))-config\n  namespace: target\n  labels: (( object.metadata.labels ))\ndata:\n  n: "(( size(variables.n) ))"\n  lit: \\((x))\n',
      ),
      ns('abc', { team: 'blue' }),
    );
    assert.ok(out.matched);
    assert.deepEqual(out.rules[0]?.generatedResources, [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'abc-config', namespace: 'target', labels: { team: 'blue' } },
        data: { n: 3, lit: '((x))' },
      },
    ]);
  });

  test('interpolate none keeps placeholders literal; each document keeps its namespace', () => {
    const out = run(
      template(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns-a}\ndata: {k: (( x ))}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns-b}\n',
        'none',
      ),
      ns('abc'),
    );
    assert.ok(out.matched);
    const generated = out.rules[0]?.generatedResources ?? [];
    assert.deepEqual(
      generated.map((g) => g.metadata?.namespace),
      ['ns-a', 'ns-b'],
    );
    assert.equal((generated[0] as { data: { k: string } }).data.k, '(( x ))');
  });

  test('placeholders in mapping keys and bad CEL are compile diagnostics with the template path', () => {
    for (const value of [
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  (( variables.n )): v\n',
      'apiVersion: v1\nkind: X\nmetadata:\n  name: (( variables.n. ))\n',
    ]) {
      const c = compileGeneratingPolicy(template(value));
      assert.ok(!c.ok);
      assert.match(
        c.issues[0]?.message ?? '',
        /spec\.generate\[0\]\.template\.value: line \d+: (placeholders are not supported in mapping keys|invalid placeholder expression)/,
      );
    }
  });

  test('scanPlaceholders understands nesting and CEL strings', () => {
    assert.deepEqual(scanPlaceholders('a-(( string(f(x)) ))-b'), [
      { literal: 'a-' },
      { expression: 'string(f(x))' },
      { literal: '-b' },
    ]);
    assert.deepEqual(scanPlaceholders('(( ":)".size() ))'), [{ expression: '":)".size()' }]);
    assert.throws(() => scanPlaceholders('(( x'), /unterminated placeholder/);
  });
});

describe('loadGeneratingPolicy', () => {
  test('accepts the sample and rejects a missing generate list', () => {
    assert.ok(loadGeneratingPolicy(networkPolicy).ok);
    const bad = loadGeneratingPolicy({
      ...networkPolicy,
      spec: { matchConstraints: networkPolicy.spec.matchConstraints },
    });
    assert.ok(!bad.ok);
  });
});
