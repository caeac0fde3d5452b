import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompiledSetPolicy } from '../../engine/index.js';
import { generateRulesOf, kindRef } from './generate-rules.js';

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
      },
    ]);
  });

  test('other kinds have no generate rules here', () => {
    assert.deepEqual(generateRulesOf(policy('validating-policy', [{ name: 'x', generate: {} }])), []);
  });

  test('kindRef', () => {
    assert.deepEqual(kindRef('Pod'), { apiVersion: '', kind: 'Pod' });
    assert.equal(kindRef('*'), undefined);
  });
});
