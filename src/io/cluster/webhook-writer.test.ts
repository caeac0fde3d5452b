import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestbed, type Testbed, testbedSkip } from '../../../test/support/testbed.js';
import { compilePolicySet, webhookConfigurations } from '../../engine/index.js';
import { discoverResources } from './discovery.js';
import { loadKubeConfig } from './kube-client.js';
import { type KubeRest, kubeRest } from './kube-rest.js';
import { applyWebhookConfiguration } from './webhook-writer.js';

describe('discovery and webhook configurations on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let rest: KubeRest;
  before(async () => {
    tb = await startTestbed();
    rest = kubeRest(loadKubeConfig({ kubeconfig: tb.kubeconfig, env: {} }).config);
  });
  after(() => tb?.stop());

  test('discovery lists core and group resources, subresources included', async () => {
    const { resources, failed } = await discoverResources(rest);
    assert.deepEqual(failed, []);
    const has = (g: string, v: string, res: string) =>
      resources.some((r) => r.group === g && r.version === v && r.resource === res);
    assert.ok(has('', 'v1', 'pods'));
    assert.ok(has('', 'v1', 'pods/exec'));
    assert.ok(has('apps', 'v1', 'deployments/scale'));
    assert.equal(resources.find((r) => r.resource === 'namespaces')?.namespaced, false);
  });

  test('computed configurations are accepted by the API server, and an unchanged one is not rewritten', async () => {
    const { resources } = await discoverResources(rest);
    const { set } = compilePolicySet([
      {
        document: {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'p' },
          spec: {
            rules: [
              {
                name: 'r',
                match: { any: [{ resources: { kinds: ['Pod', 'ConfigMap'] } }] },
                validate: { message: 'm', pattern: { metadata: { name: '?*' } } },
              },
              {
                name: 'm',
                match: { any: [{ resources: { kinds: ['Secret'] } }] },
                mutate: { patchStrategicMerge: { metadata: { labels: { a: 'b' } } } },
              },
            ],
          },
        } as never,
        source: 'p',
      },
    ]);
    const out = webhookConfigurations(set, resources, {
      endpoint: { url: 'https://127.0.0.1:1' },
      caBundle: Buffer.from(tb.caPem).toString('base64'),
      namespace: 'palisade',
      timeoutSeconds: 10,
    });
    for (const cfg of [out.validating, out.mutating, out.policyValidating]) {
      assert.equal(await applyWebhookConfiguration(rest, cfg), true, String(cfg.metadata?.name));
      assert.equal(
        await applyWebhookConfiguration(rest, cfg),
        false,
        `${String(cfg.metadata?.name)} rewritten`,
      );
    }
    const stored = await tb.api(
      'GET',
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/palisade-resource-validating-webhook-cfg',
    );
    const webhooks = (stored.body as { webhooks: { name: string; rules: { resources: string[] }[] }[] })
      .webhooks;
    assert.deepEqual(
      webhooks.map((w) => w.name),
      ['validate.palisade.svc-fail'],
    );
    // The webhook points nowhere and is Fail: remove it so it does not block the next test files' requests.
    for (const name of ['palisade-resource-validating-webhook-cfg', 'palisade-policy-validating-webhook-cfg'])
      await tb.api('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${name}`);
    await tb.api(
      'DELETE',
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/palisade-resource-mutating-webhook-cfg',
    );
  });

  test('an empty webhook list, which the API server stores as no list, is not rewritten either', async () => {
    const { resources } = await discoverResources(rest);
    const out = webhookConfigurations(compilePolicySet([]).set, resources, {
      endpoint: { url: 'https://127.0.0.1:1' },
      caBundle: Buffer.from(tb.caPem).toString('base64'),
      namespace: 'palisade',
      timeoutSeconds: 10,
    });
    for (const cfg of [out.validating, out.mutating]) {
      assert.deepEqual(cfg.webhooks ?? [], [], 'no policy, no webhook');
      assert.equal(await applyWebhookConfiguration(rest, cfg), true, String(cfg.metadata?.name));
      assert.equal(
        await applyWebhookConfiguration(rest, cfg),
        false,
        `${String(cfg.metadata?.name)} rewritten`,
      );
    }
  });
});
