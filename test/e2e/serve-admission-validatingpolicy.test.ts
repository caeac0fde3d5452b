// `palisade serve` end to end with the CEL kinds (issue #14's Done-when): ValidatingPolicies on
// Kyverno's per-policy paths (`/vpol/<names>`), a MutatingPolicy (`/mpol/<name>`) and a
// GeneratingPolicy (`/gpol/<name>`), registered as Kyverno's webhook controller registers them, the
// real API server calling the server on loopback: a Deny violation denied with Kyverno's vpol message,
// an Audit violation admitted, a Warn action's warning returned to kubectl, the mutation stored, a
// server-side dry run judged the same with nothing stored and no generate side effect, DELETE judged
// on the old object, and a policy file added later taking effect (and stopping when removed).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  configMap,
  denied,
  getObject,
  kubectlCreate,
  labelsOf,
  pod,
  readyNamespace,
} from '../support/kube-objects.js';
import { type ServeProcess, serveCertificate, startBoth, startServe } from '../support/serve-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';
import {
  applyConfigurations,
  coreRule,
  mutatingWebhookConfiguration,
  type Operation,
  validatingWebhookConfiguration,
  type WebhookTarget,
} from '../support/webhook-configuration.js';

const NS = 'vpol-e2e';
const MUTATED = 'palisade.test/mutated';

const constraints = (resource: string, operations: readonly Operation[]): string => `  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [${operations.join(', ')}]
        resources: [${resource}]
`;

const validatingPolicy = (
  name: string,
  actions: string,
  resource: string,
  operations: readonly Operation[],
  expression: string,
  message: string,
): string => `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: ${name}
spec:
  validationActions: [${actions}]
${constraints(resource, operations)}  validations:
    - expression: ${JSON.stringify(expression)}
      message: ${message}
`;

const POLICIES: Record<string, string> = {
  'require-team.yaml': validatingPolicy(
    'require-team',
    'Deny',
    'pods',
    ['CREATE', 'UPDATE'],
    "'team' in object.metadata.?labels.orValue({})",
    'label team is required',
  ),
  'audit-owner.yaml': validatingPolicy(
    'audit-owner',
    'Audit, Warn',
    'pods',
    ['CREATE', 'UPDATE'],
    "'owner' in object.metadata.?labels.orValue({})",
    'label owner is recommended',
  ),
  'protect-configmaps.yaml': validatingPolicy(
    'protect-configmaps',
    'Deny',
    'configmaps',
    ['DELETE'],
    "oldObject.metadata.?labels.?protected.orValue('') != 'true'",
    'protected ConfigMaps cannot be deleted',
  ),
  'add-label.yaml': `apiVersion: policies.kyverno.io/v1
kind: MutatingPolicy
metadata:
  name: add-label
spec:
${constraints('pods', ['CREATE', 'UPDATE'])}  mutations:
    - patchType: ApplyConfiguration
      applyConfiguration:
        expression: 'Object{metadata: Object.metadata{labels: {"${MUTATED}": "true"}}}'
`,
  'generate-secret.yaml': `apiVersion: policies.kyverno.io/v1
kind: GeneratingPolicy
metadata:
  name: generate-secret
spec:
${constraints('configmaps', ['CREATE'])}  matchConditions:
    - name: labelled
      expression: "object.metadata.?labels.?generate.orValue('') == 'yes'"
  variables:
    - name: downstream
      expression: '[{"kind": dyn("Secret"), "apiVersion": dyn("v1"), "metadata": dyn({"name": object.metadata.name + "-generated"}), "stringData": dyn({"from": object.metadata.name})}]'
  generate:
    - expression: generator.Apply(object.metadata.namespace, variables.downstream)
`,
};

const LATER = 'require-cost-center';
const LATER_POLICY = validatingPolicy(
  LATER,
  'Deny',
  'pods',
  ['CREATE', 'UPDATE'],
  "'cost-center' in object.metadata.?labels.orValue({})",
  'label cost-center is required',
);

const VPOL_FAIL = 'vpol.validate.kyverno.svc-fail';

/** Kyverno's ValidatingPolicy denial (pkg/webhooks/resource/vpol/handler.go). */
const vpolDenial = (policy: string, message: string): string => `Policy ${policy} failed: ${message}`;

/** The webhook configurations Kyverno's controller writes for these policies (names sorted in the path). */
function configurations(target: WebhookTarget, validating: readonly string[]) {
  return [
    validatingWebhookConfiguration('palisade-resource-validating-webhook-cfg', target, [
      {
        name: VPOL_FAIL,
        path: `/vpol/${[...validating].sort().join('/')}`,
        failurePolicy: 'Fail',
        rules: [coreRule(['pods'], ['CREATE', 'UPDATE']), coreRule(['configmaps'], ['DELETE'])],
      },
      {
        name: 'gpol.validate.kyverno.svc-fail',
        path: '/gpol/generate-secret',
        failurePolicy: 'Fail',
        rules: [coreRule(['configmaps'], ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])],
      },
    ]),
    mutatingWebhookConfiguration('palisade-resource-mutating-webhook-cfg', target, [
      {
        name: 'mpol.validate.kyverno.svc-fail',
        path: '/mpol/add-label',
        failurePolicy: 'Fail',
        rules: [coreRule(['pods'], ['CREATE', 'UPDATE'])],
      },
    ]),
  ];
}

describe('palisade serve with ValidatingPolicies, through the real API server', {
  skip: testbedSkip(),
}, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  let work: string;
  let policies: string;
  let target: WebhookTarget;
  const validating = ['audit-owner', 'protect-configmaps', 'require-team'];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'palisade-e2e-vpol-'));
    policies = join(work, 'policies');
    mkdirSync(policies);
    for (const [file, text] of Object.entries(POLICIES)) writeFileSync(join(policies, file), text);
    const certificate = serveCertificate(work);
    [tb, serve] = await startBoth(startTestbed(), startServe({ policies, certificate }));
    await serve.waitReady();
    target = { url: serve.url, caPem: certificate.caPem };
    await applyConfigurations(tb, configurations(target, validating));
    await readyNamespace(tb, NS);
    await eventually('the webhooks to take effect', 30_000, async () => {
      const r = await kubectlCreate(tb, pod(NS, 'probe'), ['--dry-run=server']);
      return r.stderr.includes(denied(VPOL_FAIL)) ? true : undefined;
    });
  });

  after(async () => {
    await serve?.stop();
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test("a Deny violation is denied with Kyverno's message, and nothing is stored", async () => {
    const r = await kubectlCreate(tb, pod(NS, 'no-team', { owner: 'o' }));
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr,
      `Error from server: error when creating "STDIN": ${denied(VPOL_FAIL)}${vpolDenial('require-team', 'label team is required')}\n`,
    );
    assert.equal(await getObject(tb, 'Pod', NS, 'no-team'), undefined);
    const api = await tb.api('POST', `/api/v1/namespaces/${NS}/pods`, pod(NS, 'no-team', { owner: 'o' }));
    assert.equal(api.status, 400);
    assert.equal(
      (api.body as { message: string }).message,
      `${denied(VPOL_FAIL)}${vpolDenial('require-team', 'label team is required')}`,
    );
  });

  test('an Audit violation is admitted, its Warn action warns, and the mutation is stored', async () => {
    const r = await kubectlCreate(tb, pod(NS, 'audited', { team: 't' }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `Warning: ${vpolDenial('audit-owner', 'label owner is recommended')}\n`);
    assert.deepEqual(labelsOf(await getObject(tb, 'Pod', NS, 'audited')), { team: 't', [MUTATED]: 'true' });
  });

  test('a compliant Pod is admitted without warnings, mutated', async () => {
    const r = await kubectlCreate(tb, pod(NS, 'compliant', { team: 't', owner: 'o' }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(labelsOf(await getObject(tb, 'Pod', NS, 'compliant'))[MUTATED], 'true');
  });

  test('a server-side dry run is judged the same but stores nothing', async () => {
    const ok = await kubectlCreate(tb, pod(NS, 'dry', { team: 't', owner: 'o' }), [
      '--dry-run=server',
      '-o',
      'json',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(labelsOf(JSON.parse(ok.stdout) as Record<string, unknown>)[MUTATED], 'true');
    assert.equal(await getObject(tb, 'Pod', NS, 'dry'), undefined);
    const bad = await kubectlCreate(tb, pod(NS, 'dry-no-team', { owner: 'o' }), ['--dry-run=server']);
    assert.notEqual(bad.code, 0);
    assert.equal(
      bad.stderr,
      `Error from server: error when creating "STDIN": ${denied(VPOL_FAIL)}${vpolDenial('require-team', 'label team is required')}\n`,
    );
    assert.equal(await getObject(tb, 'Pod', NS, 'dry-no-team'), undefined);
  });

  test('a dry run has no generate side effect; a real create has', async () => {
    const dry = await kubectlCreate(tb, configMap(NS, 'gen-dry', { generate: 'yes' }), ['--dry-run=server']);
    assert.equal(dry.code, 0, dry.stderr);
    const real = await kubectlCreate(tb, configMap(NS, 'gen-real', { generate: 'yes' }));
    assert.equal(real.code, 0, real.stderr);
    const wanted = await serve.waitForLog('the generate rule of gen-real', (l) =>
      JSON.stringify(l.objects ?? '').includes('Secret/gen-real-generated'),
    );
    assert.deepEqual(wanted.objects, ['generate-secret: Secret/gen-real-generated']);
    const asked = serve.logs.filter((l) => l.msg.startsWith('generate rules want objects'));
    assert.equal(asked.length, 1, JSON.stringify(asked));
    assert.ok(serve.logs.some((l) => l.msg === 'admission' && l.name === 'gen-dry' && l.dryRun === true));
  });

  test('DELETE is judged on the old object', async () => {
    for (const [name, labels] of [
      ['keep', { protected: 'true' }],
      ['scrap', {}],
    ] as const) {
      const r = await kubectlCreate(tb, configMap(NS, name, labels));
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await tb.kubectl(['delete', 'configmap', 'keep', '-n', NS]);
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr,
      `Error from server: ${denied(VPOL_FAIL)}${vpolDenial('protect-configmaps', 'protected ConfigMaps cannot be deleted')}\n`,
    );
    assert.notEqual(await getObject(tb, 'ConfigMap', NS, 'keep'), undefined);
    const scrap = await tb.kubectl(['delete', 'configmap', 'scrap', '-n', NS]);
    assert.equal(scrap.code, 0, scrap.stderr);
    assert.equal(await getObject(tb, 'ConfigMap', NS, 'scrap'), undefined);
  });

  test('a policy file added later takes effect; removed, it stops', async () => {
    // Kyverno's controller adds the policy to the webhook path when the policy appears; here the path
    // names it first, so that only the folder load can make a difference.
    await applyConfigurations(tb, configurations(target, [...validating, LATER]));
    await eventually('the new webhook path', 30_000, async () => {
      const cfg = await tb.api(
        'GET',
        '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/palisade-resource-validating-webhook-cfg',
      );
      return JSON.stringify(cfg.body).includes(LATER) ? true : undefined;
    });
    const first = await kubectlCreate(tb, pod(NS, 'before-later', { team: 't', owner: 'o' }));
    assert.equal(first.code, 0, first.stderr);

    const before = serve.policySet();
    writeFileSync(join(policies, `${LATER}.yaml`), LATER_POLICY);
    await serve.waitForLog(
      'the set with the new policy',
      (l) => l.msg === 'policy set loaded' && Number(l.policySet) > before,
    );
    // The API server may still use the previous webhook path for a moment.
    let attempts = 0;
    const r = await eventually('the new policy to deny', 30_000, async () => {
      const attempt = await kubectlCreate(
        tb,
        pod(NS, `after-later-${++attempts}`, { team: 't', owner: 'o' }),
      );
      return attempt.code === 0 ? undefined : attempt;
    });
    assert.equal(
      r.stderr,
      `Error from server: error when creating "STDIN": ${denied(VPOL_FAIL)}${vpolDenial(LATER, 'label cost-center is required')}\n`,
    );
    const costed = await kubectlCreate(tb, pod(NS, 'costed', { team: 't', owner: 'o', 'cost-center': 'c' }));
    assert.equal(costed.code, 0, costed.stderr);

    const loaded = serve.policySet();
    unlinkSync(join(policies, `${LATER}.yaml`));
    await serve.waitForLog(
      'the set without it',
      (l) => l.msg === 'policy set loaded' && Number(l.policySet) > loaded,
    );
    const again = await kubectlCreate(tb, pod(NS, 'after-removal', { team: 't', owner: 'o' }));
    assert.equal(again.code, 0, again.stderr);
  });
});
