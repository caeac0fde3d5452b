import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { loadKubeConfig } from './kube-client.js';
import { type KubeRest, kubeRest } from './kube-rest.js';
import { createStatusWriter } from './policy-status-writer.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('policy status writer on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let rest: KubeRest;
  before(async () => {
    tb = await startTestbed();
    rest = kubeRest(loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} }).config);
    for (const file of ['kyverno.io_clusterpolicies.yaml', 'policies.kyverno.io_validatingpolicies.yaml']) {
      const r = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(r.code, 0, r.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.kubectl(['get', 'clusterpolicies,validatingpolicies'])).code === 0 ? true : undefined,
    );
  });
  after(() => tb?.stop());

  test('writes Ready through the status subresource, once', async () => {
    const policy = {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'p' },
      spec: {
        rules: [
          {
            name: 'r',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            validate: { message: 'm', pattern: { a: 'b' } },
          },
        ],
      },
    };
    const created = await tb.api('POST', '/apis/kyverno.io/v1/clusterpolicies', policy);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const write = createStatusWriter({ rest, check: async () => [] });
    const registrations = [
      {
        policy: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' },
        webhooks: ['validate.palisade.svc-fail'],
        unresolvedKinds: [],
      },
    ];
    const round = await write(registrations, new AbortController().signal);
    assert.deepEqual(round.written, ['ClusterPolicy//p']);
    const stored = await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies/p');
    const conditions = (stored.body as { status: { conditions: { type: string; status: string }[] } }).status
      .conditions;
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status]),
      [['Ready', 'True']],
    );
    const again = await write(registrations, new AbortController().signal);
    assert.deepEqual([again.written, again.unchanged], [[], 1]);
  });
});
