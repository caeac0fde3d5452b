// The validate and generate passes' rules gated by kind once per policy and kind (gatedRules) against
// the rule-by-rule gate, over the conformance corpora's ClusterPolicies and Policies (autogen rules
// included) and a spread of their resources of many kinds, each policy evaluated twice per resource
// so that the kept lists answer too: the same responses, rule for rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corpusDocuments } from '../../../../test/support/corpus-documents.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { EvaluationRequest } from '../../request.js';
import { type CompiledPolicy, compilePolicy, evaluatePolicy, kindGatedPasses } from './evaluate-policy.js';
import type { KyvernoPolicy } from './types.js';

function evaluateBoth(compiled: CompiledPolicy, request: EvaluationRequest) {
  const gated = [evaluatePolicy(compiled, request), evaluatePolicy(compiled, request)];
  kindGatedPasses.enabled = false;
  try {
    return { gated, oneByOne: evaluatePolicy(compiled, request) };
  } finally {
    kindGatedPasses.enabled = true;
  }
}

describe('kind-gated passes over the corpora', () => {
  test('every policy against a spread of resources answers as the rule-by-rule gate', () => {
    const docs = corpusDocuments();
    const policies: CompiledPolicy[] = [];
    for (const d of docs) {
      if (d.kind !== 'ClusterPolicy' && d.kind !== 'Policy') continue;
      if (!Array.isArray((d.spec as { rules?: unknown } | undefined)?.rules)) continue;
      const compiled = compilePolicy(d as unknown as KyvernoPolicy);
      if (compiled.ok) policies.push(compiled.value);
    }
    const objects = docs.filter((d) => d.kind !== 'ClusterPolicy' && d.kind !== 'Policy');
    const step = Math.max(1, Math.floor(objects.length / 40));
    const resources = objects.filter((_, i) => i % step === 0) as KubeObject[];
    const kinds = new Set(resources.map((r) => r.kind));
    let results = 0;
    for (const compiled of policies)
      for (const resource of resources) {
        // A fixed clock: messages that name times read the same in both runs.
        const request: EvaluationRequest = {
          resource,
          operation: 'CREATE',
          ports: { clock: { now: () => new Date(0) } },
        };
        const { gated, oneByOne } = evaluateBoth(compiled, request);
        for (const response of gated) assert.deepEqual(response, oneByOne, compiled.key);
        results += oneByOne.rules.length;
      }
    assert.ok(policies.length > 300, `only ${policies.length} policies`);
    assert.ok(kinds.size > 5, `only ${kinds.size} kinds`);
    assert.ok(results > 1000, `only ${results} rule results`);
  });
});

describe('kind-gated passes over a table of gates', () => {
  const matchKinds = (kinds: string[] | undefined) =>
    kinds === undefined ? { any: [{ resources: { names: ['*'] } }] } : { any: [{ resources: { kinds } }] };
  const gates: (string[] | undefined)[] = [
    undefined,
    ['*'],
    ['Pod'],
    ['Deployment'],
    ['apps/v1/Deployment'],
    ['Pod', 'Deployment'],
    ['v1/Pod'],
    ['Pod/exec'],
    ['ConfigMap'],
    ['Dep*'],
  ];
  // Validate rules (one of them each gate) and one generate rule per gate, in one policy.
  const rules = gates.flatMap((kinds, i) => [
    {
      name: `v${i}`,
      match: matchKinds(kinds),
      validate: { message: `m${i}`, pattern: { metadata: { name: '?*' } } },
    },
    {
      name: `g${i}`,
      match: matchKinds(kinds),
      generate: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: `c${i}`,
        namespace: 'default',
        data: { data: { k: 'v' } },
      },
    },
  ]);
  const policy = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'gates' },
    spec: { rules },
  } as unknown as KyvernoPolicy;
  const resources: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } },
    { metadata: { name: 'kindless' } },
  ];
  for (const resource of resources)
    for (const resourceKind of [undefined, { group: '', version: 'v1', kind: 'Pod' }])
      test(`${resource.kind ?? 'no kind'} (request kind ${resourceKind?.kind ?? 'the object'})`, () => {
        const compiled = compilePolicy(policy);
        assert.ok(compiled.ok);
        const request: EvaluationRequest = {
          resource,
          operation: 'CREATE',
          ports: {},
          ...(resourceKind !== undefined ? { resourceKind } : {}),
        };
        const { gated, oneByOne } = evaluateBoth(compiled.value, request);
        for (const response of gated) assert.deepEqual(response, oneByOne);
        // Rules without a gate always run: the table exercises both sides.
        assert.ok(oneByOne.rules.some((r) => r.name === 'v0'));
      });
});
