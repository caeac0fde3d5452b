import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../model/kube-object.js';
import type { RuleResult } from '../../verdict/types.js';
import { type CelAdmissionInput, evaluateVariants } from './admission-evaluation.js';
import { type AdmissionAttributes, matchConstraints } from './match-constraints.js';
import type { MatchConstraints, ResourceRule } from './types.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'a' } } };
const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } };

function input(
  over: Partial<AdmissionAttributes>,
  namespaceObject: KubeObject | null = null,
): CelAdmissionInput {
  return {
    attributes: {
      group: '',
      version: 'v1',
      kind: 'Pod',
      resource: 'pods',
      subresource: '',
      namespace: 'default',
      name: 'p',
      operation: 'CREATE',
      object: pod,
      oldObject: null,
      ...over,
    },
    namespaceObject,
  };
}

const pods: ResourceRule = {
  apiGroups: [''],
  apiVersions: ['v1'],
  resources: ['pods'],
  operations: ['CREATE', 'UPDATE'],
};
const CONSTRAINTS: readonly MatchConstraints[] = [
  { resourceRules: [pods] },
  { resourceRules: [{ ...pods, operations: ['UPDATE'] }] },
  { resourceRules: [{ ...pods, apiGroups: ['apps'], resources: ['deployments'] }] },
  { resourceRules: [pods], excludeResourceRules: [{ ...pods, resourceNames: ['p'] }] },
  { resourceRules: [pods], namespaceSelector: { matchLabels: { env: 'prod' } } },
  { resourceRules: [pods], objectSelector: { matchLabels: { app: 'a' } } },
  { resourceRules: [pods], objectSelector: { matchLabels: { app: 'b' } } },
  { resourceRules: [{ ...pods, scope: 'Cluster' as const }] },
];

const INPUTS: readonly CelAdmissionInput[] = [
  input({}),
  input({ operation: 'UPDATE', oldObject: pod }),
  input({ name: 'q' }),
  input({ group: 'apps', kind: 'Deployment', resource: 'deployments', object: deployment }),
  input({}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { env: 'prod' } } }),
  input({}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }),
];

const EVALUATED: readonly RuleResult[] = [{ name: 'evaluated' } as unknown as RuleResult];

/** What evaluateVariants answered for each variant: evaluated, not matched, or the match error. */
function answers(variants: readonly { matchConstraints: MatchConstraints }[], at: CelAdmissionInput) {
  return evaluateVariants({ variants }, at, 'match', () => ({ rules: EVALUATED })).map((r) =>
    r.rules === EVALUATED ? 'evaluated' : r.rules.length === 0 ? 'no match' : JSON.stringify(r.rules),
  );
}

function expected(constraints: MatchConstraints, at: CelAdmissionInput): string {
  const m = matchConstraints(constraints, at.attributes, at.namespaceObject);
  if (m.error !== undefined) return `error: ${m.error}`;
  return m.matches ? 'evaluated' : 'no match';
}

describe('evaluateVariants: matchConstraints outcomes shared per request', () => {
  test('each variant answers as its own constraints do, when several share the content of others', () => {
    // Every constraint twice, as distinct objects with the same content, in two policies' orders.
    const variants = [...CONSTRAINTS, ...CONSTRAINTS.map((c) => structuredClone(c))].map((c) => ({
      matchConstraints: c,
    }));
    for (const at of INPUTS) {
      const want = variants.map((v) => expected(v.matchConstraints, at));
      // As a request's first policy (computed), then as later ones (from the stored outcomes), in
      // both orders.
      for (const order of ['first', 'later', 'reversed', 'later']) {
        const list = order === 'reversed' ? variants.slice().reverse() : variants;
        const got = answers(list, at);
        if (order === 'reversed') got.reverse();
        assert.equal(got.length, want.length);
        for (const [i, w] of want.entries()) {
          // A match error is answered as a rule naming the error.
          if (w.startsWith('error: ')) assert.ok(got[i]?.includes(w.slice(7).replaceAll('"', '\\"')), got[i]);
          else assert.equal(got[i], w, `${order}: variant ${i}`);
        }
      }
    }
  });

  test('the same constraints answer each request for itself', () => {
    const variants = [{ matchConstraints: CONSTRAINTS[1] as MatchConstraints }];
    const create = input({});
    const update = input({ operation: 'UPDATE', oldObject: pod });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(answers(variants, create), ['no match']);
      assert.deepEqual(answers(variants, update), ['evaluated']);
    }
  });
});
