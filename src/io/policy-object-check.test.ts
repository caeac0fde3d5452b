import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPolicyObject, diagnosticLine } from './policy-object-check.js';

const clusterPolicy = (rule: Record<string, unknown>) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p' },
  spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
});

describe('checkPolicyObject', () => {
  test('a valid ClusterPolicy has no errors', async () => {
    const r = await checkPolicyObject(
      clusterPolicy({ validate: { message: 'm', pattern: { metadata: { name: '?*' } } } }),
    );
    assert.deepEqual(r.errors, []);
  });

  test('a rule with two rule types is an error naming the rule', async () => {
    const r = await checkPolicyObject(
      clusterPolicy({
        validate: { message: 'm', pattern: { a: 'b' } },
        mutate: { patchStrategicMerge: { a: 'b' } },
      }),
    );
    assert.ok(r.errors.length > 0);
    assert.match(r.errors.map(diagnosticLine).join('\n'), /spec\.rules\[0\]/);
  });

  test('a JMESPath that does not parse is reported with its field', async () => {
    const r = await checkPolicyObject(
      clusterPolicy({
        validate: {
          message: 'm',
          deny: {
            conditions: {
              any: [{ key: '{{ request.object.metadata.name | }}', operator: 'Equals', value: 'x' }],
            },
          },
        },
      }),
    );
    assert.ok(r.errors.length > 0, 'an error');
    assert.match(r.errors.map(diagnosticLine).join('\n'), /spec\.rules\[0\]\.validate\.deny/);
  });

  test('a ValidatingPolicy whose CEL does not compile is an error', async () => {
    const r = await checkPolicyObject({
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ValidatingPolicy',
      metadata: { name: 'v' },
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] },
          ],
        },
        validations: [{ expression: 'object.(' }],
      },
    });
    assert.match(r.errors.map(diagnosticLine).join('\n'), /validations\[0\]\.expression/);
  });

  test('a GlobalContextEntry is checked with Kyverno rules for the kind', async () => {
    const entry = (spec: unknown) => ({
      apiVersion: 'kyverno.io/v2beta1',
      kind: 'GlobalContextEntry',
      metadata: { name: 'g' },
      spec,
    });
    const ok = await checkPolicyObject(entry({ kubernetesResource: { version: 'v1', resource: 'pods' } }));
    assert.deepEqual(ok.errors, []);
    const bad = await checkPolicyObject(
      entry({ apiCall: { urlPath: '/api/v1/pods', method: 'GET', data: [{ key: 'k', value: 1 }] } }),
    );
    assert.deepEqual(bad.errors.map(diagnosticLine), [
      'spec.apiCall.method: an external API call with data should have method POST',
    ]);
  });
});
