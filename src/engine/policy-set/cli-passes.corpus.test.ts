// The CLI's validate pass answered in place (no policy with a first pass, none listed twice) against
// the regrouping through `keep`, over the conformance corpora's validate-only ClusterPolicies and
// Policies in one set and a spread of their resources: the same outcome, response for response.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corpusDocuments } from '../../../test/support/corpus-documents.js';
import type { KubeObject } from '../model/kube-object.js';
import { admit } from './admit.js';
import { compilePolicySet } from './compile.js';
import { cliPassesInPlace } from './entries/cluster-policy.js';
import { requestForObject } from './request.js';

type Rules = { rules?: { mutate?: unknown; verifyImages?: unknown; generate?: unknown }[] };

describe('CLI passes answered in place over the corpora', () => {
  test('validate-only policies answer as the regrouped passes, for a spread of resources', async () => {
    const docs = corpusDocuments();
    const policies = docs.filter((d) => {
      if (d.kind !== 'ClusterPolicy' && d.kind !== 'Policy') return false;
      const rules = (d.spec as Rules | undefined)?.rules;
      return (
        Array.isArray(rules) && rules.every((r) => r.mutate === undefined && r.verifyImages === undefined)
      );
    });
    const { set } = compilePolicySet(policies.map((document, i) => ({ document, source: `p${i}` })) as never);
    const objects = docs.filter((d) => d.kind !== 'ClusterPolicy' && d.kind !== 'Policy');
    const step = Math.max(1, Math.floor(objects.length / 40));
    const resources = objects.filter((_, i) => i % step === 0) as KubeObject[];
    // A fixed clock: messages that name times read the same in both runs.
    const runtime = { ports: { clock: { now: () => new Date(0) } } };
    let rules = 0;
    for (const resource of resources) {
      const request = requestForObject(resource, 'CREATE');
      const inPlace = await admit(set, request, runtime, { profile: 'cli' });
      cliPassesInPlace.enabled = false;
      let regrouped: Awaited<ReturnType<typeof admit>>;
      try {
        regrouped = await admit(set, request, runtime, { profile: 'cli' });
      } finally {
        cliPassesInPlace.enabled = true;
      }
      assert.deepEqual(
        inPlace.responses.map((r) => [r.policy.name, r.response.rules]),
        regrouped.responses.map((r) => [r.policy.name, r.response.rules]),
      );
      assert.equal(inPlace.allowed, regrouped.allowed);
      rules += inPlace.responses.reduce((n, r) => n + r.response.rules.length, 0);
    }
    assert.ok(policies.length > 200, `only ${policies.length} policies`);
    assert.ok(rules > 500, `only ${rules} rule results`);
  });
});
