// palisade serve's cluster duties on the real API server: as leader it writes the webhook
// configurations computed from its policies and the API server then sends it requests (an Enforce
// violation is denied, a compliant object admitted); a ValidatingPolicy with matchConditions gets a
// webhook of its own whose condition the API server applies; the policy-validation webhook rejects an
// invalid ClusterPolicy at `kubectl apply` with the CLI's diagnostic; on SIGTERM it releases the Lease.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import { freePort, type ServeProcess, startServe } from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';

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

const invalidPolicy = (name: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  rules:
    - name: bad-jmespath
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: m
        deny:
          conditions:
            any:
              - key: "{{ request.object.metadata.name | }}"
                operator: Equals
                value: x
`;

describe('palisade serve as leader on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-leader-'));
  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    assert.equal((await tb.kubectl(['create', 'namespace', 'palisade'])).code, 0);
    for (const file of [
      'kyverno.io_clusterpolicies.yaml',
      'kyverno.io_globalcontextentries.yaml',
      'policies.kyverno.io_validatingpolicies.yaml',
    ]) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/policies.kyverno.io/v1/validatingpolicies')).status === 200 &&
      (await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies')).status === 200
        ? true
        : undefined,
    );
    // Created before Palisade runs, so that no webhook refuses them; `broken` does not compile.
    for (const policy of [requireTeam, invalidPolicy('broken')]) {
      const r = await tb.kubectl(['apply', '-f', '-'], policy);
      assert.equal(r.code, 0, r.stderr);
    }
    const port = await freePort();
    serve = startServe([
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--port',
      String(port),
      '--kubeconfig',
      tb.kubeconfig,
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--lease-duration',
      '3s',
      '--renew-deadline',
      '2s',
      '--retry-period',
      '500ms',
      '--resync-period',
      '2s',
    ]);
  });
  after(async () => {
    await serve?.kill();
    // Fail webhooks pointing at a stopped server would block whatever runs next on this cluster.
    for (const name of ['palisade-resource-validating-webhook-cfg', 'palisade-policy-validating-webhook-cfg'])
      await tb?.api('DELETE', `${VWC}/${name}`).catch(() => undefined);
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('it leads, and writes the configurations computed from its policies with the URL and caBundle', async () => {
    await serve.waitFor('became leader', 60_000);
    await serve.waitFor('webhook configurations reconciled', 60_000);
    const stored = await tb.api('GET', `${VWC}/palisade-resource-validating-webhook-cfg`);
    assert.equal(stored.status, 200);
    const [w] = (stored.body as { webhooks: Record<string, unknown>[] }).webhooks;
    assert.equal(w?.name, 'validate.palisade.svc-fail');
    const clientConfig = w?.clientConfig as { url: string; caBundle: string };
    assert.match(clientConfig.url, /^https:\/\/127\.0\.0\.1:\d+\/validate\/fail$/);
    assert.equal(
      Buffer.from(clientConfig.caBundle, 'base64').toString(),
      readFileSync(join(work, 'cert.pem'), 'utf8'),
    );
    const resources = ((w?.rules ?? []) as { resources: string[] }[]).flatMap((r) => r.resources);
    assert.deepEqual(resources, ['configmaps']);
    const lease = await tb.api('GET', '/apis/coordination.k8s.io/v1/namespaces/palisade/leases/palisade');
    assert.equal(lease.status, 200);
  });

  test('the API server sends it creates: a violation is denied with the policy message, a compliant one admitted', async () => {
    const denied = await eventually('the webhook in effect', 10_000, async () => {
      const r = await tb.kubectl(['create', 'configmap', 'no-team', '-n', 'default']);
      if (r.code !== 0) return r;
      // Created before the webhook took effect: remove it and try again.
      await tb.kubectl(['delete', 'configmap', 'no-team', '-n', 'default']);
      return undefined;
    });
    assert.match(denied.stderr, /admission webhook "validate\.palisade\.svc-fail" denied the request/);
    assert.match(denied.stderr, /require-team/);
    assert.match(denied.stderr, /label team is required/);
    const ok = await tb.kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: with-team\n  namespace: default\n  labels: {team: a}\n',
    );
    assert.equal(ok.code, 0, ok.stderr);
    // Its own namespace is excluded.
    const own = await tb.kubectl(['create', 'configmap', 'own', '-n', 'palisade']);
    assert.equal(own.code, 0, own.stderr);
  });

  test('kubectl apply of an invalid ClusterPolicy is rejected with the CLI’s diagnostic; a valid one is accepted', async () => {
    const rejected = await tb.kubectl(['apply', '-f', '-'], invalidPolicy('broken-too'));
    assert.notEqual(rejected.code, 0);
    assert.match(rejected.stderr, /admission webhook "validate-policy\.palisade\.svc" denied the request/);
    assert.match(
      rejected.stderr,
      /spec\.rules\[0\]\.validate\.deny\.conditions\.any\[0\]\.key: invalid JMESPath/,
    );
    const accepted = await tb.kubectl(
      ['apply', '-f', '-'],
      requireTeam.replace('name: require-team', 'name: valid-too'),
    );
    assert.equal(accepted.code, 0, accepted.stderr);
  });

  test('an invalid GlobalContextEntry is rejected at create with the reason; a valid one is accepted', async () => {
    const entry = (name: string, spec: unknown) =>
      JSON.stringify({
        apiVersion: 'kyverno.io/v2beta1',
        kind: 'GlobalContextEntry',
        metadata: { name },
        spec,
      });
    const both = {
      kubernetesResource: { version: 'v1', resource: 'namespaces' },
      apiCall: { urlPath: '/api/v1/namespaces', refreshInterval: '1m' },
    };
    const rejected = await tb.kubectl(['apply', '-f', '-'], entry('both-sources', both));
    assert.notEqual(rejected.code, 0);
    assert.match(rejected.stderr, /admission webhook "validate-policy\.palisade\.svc" denied the request/);
    assert.match(
      rejected.stderr,
      /spec\.kubernetesResource: a global context entry should either have kubernetesResource or apiCall/,
    );
    const accepted = await tb.kubectl(
      ['apply', '-f', '-'],
      entry('namespaces', { kubernetesResource: { version: 'v1', resource: 'namespaces' } }),
    );
    assert.equal(accepted.code, 0, accepted.stderr);
  });

  test('policy status: Ready True for a served policy, False with the diagnostic for one that does not compile', async () => {
    const ready = await eventually('require-team Ready', 20_000, async () => {
      const r = await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies/require-team');
      const conditions = (r.body as { status?: { conditions?: Record<string, unknown>[] } }).status
        ?.conditions;
      return conditions?.find((c) => c.type === 'Ready');
    });
    assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'Succeeded', 'Ready']);
    const broken = await eventually('broken not Ready', 20_000, async () => {
      const r = await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies/broken');
      const conditions = (r.body as { status?: { conditions?: Record<string, unknown>[] } }).status
        ?.conditions;
      return conditions?.find((c) => c.type === 'Ready');
    });
    assert.equal(broken.status, 'False');
    assert.equal(broken.reason, 'Failed');
    assert.match(
      String(broken.message),
      /spec\.rules\[0\]\.validate\.deny\.conditions\.any\[0\]\.key: invalid JMESPath/,
    );
  });

  test('a ValidatingPolicy created later is registered (WebhookConfigured) and takes effect', async () => {
    const vpol = `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: no-forbidden-secrets
spec:
  evaluation:
    background:
      enabled: false
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [secrets]
  validations:
    - expression: "object.metadata.name != 'forbidden'"
      message: this Secret name is forbidden
`;
    const applied = await tb.kubectl(['apply', '-f', '-'], vpol);
    assert.equal(applied.code, 0, applied.stderr);
    const cs = await eventually('its conditionStatus ready', 30_000, async () => {
      const r = await tb.api('GET', '/apis/policies.kyverno.io/v1/validatingpolicies/no-forbidden-secrets');
      const c = (r.body as { status?: { conditionStatus?: Record<string, unknown> } }).status
        ?.conditionStatus;
      return c?.ready === true ? c : undefined;
    });
    const conditions = cs.conditions as { type: string; status: string; message: string }[];
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.message]),
      [
        ['WebhookConfigured', 'True', 'Webhook configured.'],
        [
          'RBACPermissionsGranted',
          'True',
          'Background scanning disabled; reporting permissions not required.',
        ],
      ],
    );
    const stored = await tb.api('GET', `${VWC}/palisade-resource-validating-webhook-cfg`);
    const names = (
      stored.body as { webhooks: { name: string; clientConfig: { url: string } }[] }
    ).webhooks.map((w) => [w.name, new URL(w.clientConfig.url).pathname]);
    assert.deepEqual(names, [
      ['validate.palisade.svc-fail', '/validate/fail'],
      ['vpol.validate.palisade.svc-fail', '/vpol/no-forbidden-secrets'],
    ]);
    const denied = await tb.kubectl(['create', 'secret', 'generic', 'forbidden', '-n', 'default']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /this Secret name is forbidden/);
    assert.equal((await tb.kubectl(['create', 'secret', 'generic', 'allowed', '-n', 'default'])).code, 0);
  });

  test('a ValidatingPolicy with matchConditions gets its own webhook; the API server applies the condition', async () => {
    const vpol = `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: checked-secrets
spec:
  evaluation:
    background:
      enabled: false
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [secrets]
  matchConditions:
    - name: checked
      expression: "object.metadata.?labels.?check.orValue('') == 'yes'"
  validations:
    - expression: "false"
      message: checked Secrets are refused
`;
    const secret = (name: string, labels: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: default\n  labels: {${labels}}\n`;
    const applied = await tb.kubectl(['apply', '-f', '-'], vpol);
    assert.equal(applied.code, 0, applied.stderr);
    const OWN = 'vpol.validate.palisade.svc-fail-finegrained-checked-secrets';
    const webhooks = await eventually('its own webhook written', 30_000, async () => {
      const stored = await tb.api('GET', `${VWC}/palisade-resource-validating-webhook-cfg`);
      const list = (stored.body as { webhooks?: Record<string, unknown>[] }).webhooks ?? [];
      return list.some((w) => w.name === OWN) ? list : undefined;
    });
    const paths = webhooks.map((w) => [
      w.name,
      new URL((w.clientConfig as { url: string }).url).pathname,
      ((w.matchConditions ?? []) as { name: string }[]).map((c) => c.name),
    ]);
    assert.deepEqual(paths, [
      ['validate.palisade.svc-fail', '/validate/fail', ['palisade-exclude-bootstrap-resources']],
      [OWN, '/vpol/finegrained/checked-secrets', ['checked', 'palisade-exclude-bootstrap-resources']],
      [
        'vpol.validate.palisade.svc-fail',
        '/vpol/no-forbidden-secrets',
        ['palisade-exclude-bootstrap-resources'],
      ],
    ]);
    const denied = await eventually('the webhook in effect', 15_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], secret('checked', 'check: "yes"'));
      if (r.code !== 0) return r;
      await tb.kubectl(['delete', 'secret', 'checked', '-n', 'default']);
      return undefined;
    });
    assert.match(
      denied.stderr,
      new RegExp(`admission webhook "${OWN.replaceAll('.', '\\.')}" denied the request`),
    );
    assert.match(denied.stderr, /checked Secrets are refused/);
    const admitted = await tb.kubectl(['apply', '-f', '-'], secret('unchecked', 'check: "no"'));
    assert.equal(admitted.code, 0, admitted.stderr);
    // The shared webhook was called for it; the policy's own was not: the API server filtered it.
    await serve.waitFor(
      'admission',
      10_000,
      (l) => l.name === 'unchecked' && l.path === '/vpol/no-forbidden-secrets',
    );
    assert.equal(
      serve.logs.some(
        (l) =>
          l.msg === 'admission' && l.path === '/vpol/finegrained/checked-secrets' && l.name === 'unchecked',
      ),
      false,
    );
  });

  test('SIGTERM: it steps down and releases the Lease, then exits 0', async () => {
    assert.equal(await serve.stop(), 0);
    assert.ok(serve.logs.some((l) => l.msg === 'released the Lease'));
    const lease = await tb.api('GET', '/apis/coordination.k8s.io/v1/namespaces/palisade/leases/palisade');
    assert.equal((lease.body as { spec: { holderIdentity?: string } }).spec.holderIdentity ?? '', '');
  });
});
