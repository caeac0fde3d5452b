// palisade serve with no certificate files, on the real API server: the leader creates a CA and a
// serving certificate in Secrets; both replicas serve with the pair they read from the Secret; the
// webhooks carry the CA bundle, and the API server's calls (TLS verified against it) are judged.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, type ServeProcess, startServe } from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const SECRETS = '/api/v1/namespaces/palisade/secrets';

const requireTeam = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Enforce
  background: false
  rules:
    - name: team
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      validate:
        message: label team is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;

function get(url: string, ca: string): Promise<{ status: number; issuer: string }> {
  return new Promise((done, fail) => {
    request(url, { ca }, (res) => {
      const issuer = (
        res.socket as unknown as { getPeerCertificate(): { issuer: { CN: string } } }
      ).getPeerCertificate().issuer.CN;
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, issuer }));
    })
      .on('error', fail)
      .end();
  });
}

describe('self-managed certificates on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  const replicas: ServeProcess[] = [];
  const ports: number[] = [];
  before(async () => {
    tb = await startTestbed();
    assert.equal((await tb.kubectl(['create', 'namespace', 'palisade'])).code, 0);
    const crd = await tb.kubectl([
      'apply',
      '--server-side',
      '-f',
      join(ROOT, 'config/crds/kyverno.io_clusterpolicies.yaml'),
    ]);
    assert.equal(crd.code, 0, crd.stderr);
    await eventually('the CRD served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies')).status === 200 ? true : undefined,
    );
    const policy = await tb.kubectl(['apply', '-f', '-'], requireTeam);
    assert.equal(policy.code, 0, policy.stderr);
    for (let i = 0; i < 2; i++) ports.push(await freePort());
    for (const port of ports)
      replicas.push(
        startServe([
          '--port',
          String(port),
          '--kubeconfig',
          tb.kubeconfig,
          '--webhook-url',
          `https://127.0.0.1:${ports[0]}`,
          '--lease-duration',
          '3s',
          '--renew-deadline',
          '2s',
          '--retry-period',
          '500ms',
        ]),
      );
  });
  after(async () => {
    for (const r of replicas) await r.kill();
    for (const name of ['palisade-resource-validating-webhook-cfg', 'palisade-policy-validating-webhook-cfg'])
      await tb?.api('DELETE', `${VWC}/${name}`).catch(() => undefined);
    await tb?.stop();
  });

  test('the leader writes the CA and serving pair Secrets; both replicas listen with the pair', async () => {
    await Promise.all(replicas.map((r) => r.waitFor('listening', 60_000)));
    const ca = await tb.api('GET', `${SECRETS}/palisade-svc.palisade.svc.palisade-tls-ca`);
    const pair = await tb.api('GET', `${SECRETS}/palisade-svc.palisade.svc.palisade-tls-pair`);
    assert.equal(ca.status, 200);
    assert.equal(pair.status, 200);
    const caData = (ca.body as { type: string; data: Record<string, string> }).data;
    assert.deepEqual(Object.keys(caData).sort(), ['ca.crt', 'tls.crt', 'tls.key']);
    assert.equal((pair.body as { type: string }).type, 'kubernetes.io/tls');
    const caPem = Buffer.from(caData['ca.crt'] ?? '', 'base64').toString();
    // Trusting only the CA from the Secret, each replica's TLS verifies (names: 127.0.0.1 from --webhook-url).
    for (const port of ports) {
      const r = await eventually('ready', 30_000, async () => {
        const x = await get(`https://127.0.0.1:${port}/health/readiness`, caPem).catch(() => undefined);
        return x?.status === 200 ? x : undefined;
      });
      assert.match(r.issuer, /^palisade-ca-\d+$/);
    }
    // Exactly one of them created them.
    const creators = replicas.filter((r) => r.logs.some((l) => l.msg === 'certificates' && l.newCa === true));
    assert.equal(creators.length, 1);
  });

  test('the webhooks carry the CA bundle and the API server, verifying TLS with it, gets its answers', async () => {
    const ca = await tb.api('GET', `${SECRETS}/palisade-svc.palisade.svc.palisade-tls-ca`);
    const bundle = (ca.body as { data: Record<string, string> }).data['ca.crt'];
    const stored = await eventually('the configuration', 30_000, async () => {
      const r = await tb.api('GET', `${VWC}/palisade-resource-validating-webhook-cfg`);
      return r.status === 200 ? r : undefined;
    });
    const [w] = (stored.body as { webhooks: { clientConfig: { caBundle: string } }[] }).webhooks;
    assert.equal(w?.clientConfig.caBundle, bundle);
    const denied = await eventually('the webhook in effect', 15_000, async () => {
      const r = await tb.kubectl(['create', 'configmap', 'no-team', '-n', 'default']);
      if (r.code !== 0) return r;
      await tb.kubectl(['delete', 'configmap', 'no-team', '-n', 'default']);
      return undefined;
    });
    assert.match(denied.stderr, /denied the request/);
    assert.match(denied.stderr, /label team is required/);
  });
});
