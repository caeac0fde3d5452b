// Legacy policies in Kyverno's CLI processor order: mutate, validate, then (after the CEL kinds)
// generate rules on the resource as every mutating policy left it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicy, type KubeObject, type KyvernoPolicy } from '../../engine/index.js';
import { createOfflinePorts } from '../../io/offline-ports.js';
import { evaluateLegacyPolicies, runLegacyPolicies } from './evaluate-resources.js';

const policy = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'namespace-setup' },
  spec: {
    rules: [
      {
        name: 'need-owner',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        validate: { message: 'owner label required', pattern: { metadata: { labels: { owner: '?*' } } } },
      },
      {
        name: 'owner-configmap',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        generate: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'owner',
          namespace: '{{request.object.metadata.name}}',
          synchronize: false,
          data: { data: { owner: '{{request.object.metadata.labels.owner}}' } },
        },
      },
    ],
  },
} as unknown as KyvernoPolicy;

const compiled = compilePolicy(policy);
assert.ok(compiled.ok);
const inputs = { policies: [compiled.value], ports: createOfflinePorts({}) };
const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: {} } };
const owned: KubeObject = { ...ns, metadata: { name: 'shop', labels: { owner: 'web' } } };

const summary = (rs: ReturnType<typeof runLegacyPolicies>['responses']) =>
  rs.map((r) => r.response.rules.map((x) => [x.name, x.status]));

describe('runLegacyPolicies', () => {
  test('holds generate rules back; generate() runs them on the object it is given', () => {
    const run = runLegacyPolicies(ns, inputs);
    assert.deepEqual(summary(run.responses), [[['need-owner', 'fail']]]);
    const generated = run.generate(owned);
    assert.deepEqual(summary(generated), [[['owner-configmap', 'pass']]]);
    const cm = generated[0]?.response.rules[0]?.generatedResources?.[0];
    assert.deepEqual((cm as { data?: unknown } | undefined)?.data, { owner: 'web' });
    // Responses stay keyed by the resource as loaded.
    assert.ok(generated.every((r) => r.resource === ns));
  });

  test('evaluateLegacyPolicies runs both phases on the legacy-patched resource', () => {
    const out = evaluateLegacyPolicies(owned, inputs);
    assert.deepEqual(summary(out.responses), [[['need-owner', 'pass']], [['owner-configmap', 'pass']]]);
    assert.equal(out.patched, owned);
  });
});
