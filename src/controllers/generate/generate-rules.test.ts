import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompiledSetPolicy } from '../../engine/index.js';
import { generateRulesOf, generatorsOf, kindRef } from './generate-rules.js';

const policy = (kind: string, rules: unknown[]): CompiledSetPolicy =>
  ({
    kind,
    ref: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' },
    compiled: { compiled: { rules } },
    seq: 0,
    ruleCount: rules.length,
    traits: { failurePolicy: 'Fail', background: true },
  }) as unknown as CompiledSetPolicy;

describe('generateRulesOf', () => {
  test('reads kinds in every notation, flags, foreach and cloneList targets; skips wildcards and variables', () => {
    const rules = generateRulesOf(
      policy('cluster-policy', [
        { name: 'validate-only', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: {} },
        {
          name: 'gen',
          match: {
            any: [{ resources: { kinds: ['Namespace', 'apps/v1/Deployment', '*'] } }],
            all: [{ resources: { kinds: ['v1/ConfigMap'] } }],
          },
          generate: {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            synchronize: true,
            generateExisting: true,
            foreach: [
              { kind: 'Secret', apiVersion: 'v1' },
              { kind: '{{ request.object.kind }}' },
              { cloneList: { kinds: ['v1/ConfigMap'] } },
            ],
          },
        },
      ]),
    );
    assert.deepEqual(rules, [
      {
        name: 'gen',
        synchronize: true,
        generateExisting: true,
        orphanDownstreamOnPolicyDelete: false,
        triggerKinds: [
          { apiVersion: '', kind: 'Namespace' },
          { apiVersion: 'apps/v1', kind: 'Deployment' },
          { apiVersion: 'v1', kind: 'ConfigMap' },
        ],
        generatedKinds: [
          { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
          { apiVersion: 'v1', kind: 'Secret' },
          { apiVersion: 'v1', kind: 'ConfigMap' },
        ],
        rematchable: true,
        generatesOnDelete: false,
      },
    ]);
  });

  test('a rule matching on users or leaving CREATE out cannot be re-matched by the controller', () => {
    const rule = (name: string, match: unknown, exclude?: unknown) => ({
      name,
      match,
      ...(exclude !== undefined ? { exclude } : {}),
      generate: { kind: 'ConfigMap', apiVersion: 'v1' },
    });
    const rules = generateRulesOf(
      policy('cluster-policy', [
        rule('plain', { any: [{ resources: { kinds: ['Namespace'] } }] }),
        rule('by-user', {
          any: [{ resources: { kinds: ['Namespace'] }, subjects: [{ kind: 'User', name: 'a' }] }],
        }),
        rule('by-role', { resources: { kinds: ['Namespace'] }, clusterRoles: ['admin'] }),
        rule('update-only', { any: [{ resources: { kinds: ['Namespace'], operations: ['UPDATE'] } }] }),
        rule(
          'create-excluded',
          { any: [{ resources: { kinds: ['Namespace'] } }] },
          {
            any: [{ resources: { kinds: ['Namespace'], operations: ['CREATE'] } }],
          },
        ),
        rule('on-delete', {
          any: [{ resources: { kinds: ['Namespace'], operations: ['CREATE', 'DELETE'] } }],
        }),
      ]),
    );
    assert.deepEqual(
      rules.map((r) => [r.name, r.rematchable, r.generatesOnDelete]),
      [
        ['plain', true, false],
        ['by-user', false, false],
        ['by-role', false, false],
        ['update-only', false, false],
        ['create-excluded', false, false],
        ['on-delete', true, true],
      ],
    );
  });

  test('other kinds have no generate rules here', () => {
    assert.deepEqual(generateRulesOf(policy('validating-policy', [{ name: 'x', generate: {} }])), []);
  });

  test('kindRef', () => {
    assert.deepEqual(kindRef('Pod'), { apiVersion: '', kind: 'Pod' });
    assert.equal(kindRef('*'), undefined);
  });
});

describe('generatorsOf', () => {
  const gpol = (spec: unknown): CompiledSetPolicy =>
    ({
      kind: 'generating-policy',
      ref: { apiVersion: 'policies.kyverno.io/v1beta1', kind: 'GeneratingPolicy', name: 'g' },
      compiled: { policy: { spec } },
    }) as unknown as CompiledSetPolicy;

  test('a GeneratingPolicy is one generator named "" with its evaluation flags', () => {
    const [g] = generatorsOf(
      gpol({
        matchConstraints: {
          resourceRules: [{ operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] }],
        },
        evaluation: {
          synchronize: { enabled: true },
          generateExisting: { enabled: true },
          orphanDownstreamOnPolicyDelete: { enabled: false },
        },
      }),
    );
    assert.deepEqual(g, {
      name: '',
      synchronize: true,
      generateExisting: true,
      orphanDownstreamOnPolicyDelete: false,
      triggerKinds: [],
      generatedKinds: [],
      rematchable: true,
      generatesOnDelete: false,
      triggerRules: [{ apiGroups: [], apiVersions: [], resources: ['namespaces'] }],
    });
    const [quiet] = generatorsOf(
      gpol({
        matchConstraints: { resourceRules: [{ operations: ['UPDATE', 'DELETE'], resources: ['pods'] }] },
      }),
    );
    assert.equal(quiet?.synchronize, false);
    assert.equal(quiet?.rematchable, false);
    assert.equal(quiet?.generatesOnDelete, true);
  });

  test('a ClusterPolicy gives its generate rules', () => {
    assert.deepEqual(
      generatorsOf(policy('cluster-policy', [{ name: 'r', generate: { kind: 'Secret' } }])).map(
        (r) => r.name,
      ),
      ['r'],
    );
  });
});
