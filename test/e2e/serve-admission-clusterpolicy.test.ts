// `palisade serve` end to end with ClusterPolicies (issue #14's Done-when): the real API server calls
// the server, run as a process on loopback and registered the way Kyverno's webhook controller
// registers itself, and kubectl sees Kyverno's answers: an Enforce violation denied with Kyverno's
// message, an Audit violation admitted with its warning, a mutation stored, a server-side dry run
// judged the same with nothing stored and no generate side effect, DELETE judged on the old object,
// and a policy file added later taking effect (and stopping when removed).
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
  validatingWebhookConfiguration,
} from '../support/webhook-configuration.js';

const NS = 'cpol-e2e';
const MUTATED = 'palisade.test/mutated';

const POLICIES: Record<string, string> = {
  'require-team.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Enforce
  background: false
  rules:
    - name: check-team
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: label team is required
        pattern:
          metadata:
            labels:
              team: "?*"
`,
  'audit-owner.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: audit-owner
spec:
  validationFailureAction: Audit
  emitWarning: true
  background: false
  rules:
    - name: check-owner
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: label owner is recommended
        pattern:
          metadata:
            labels:
              owner: "?*"
`,
  'add-label.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-label
spec:
  background: false
  rules:
    - name: add-mutated-label
      match:
        any:
          - resources:
              kinds: [Pod]
      mutate:
        patchStrategicMerge:
          metadata:
            labels:
              ${MUTATED}: "true"
`,
  // Kyverno judges a DELETE on the old object, through deny conditions on request.oldObject; pattern
  // rules are skipped for DELETE (pkg/engine/handlers/validation/validate_resource.go).
  'protect-configmaps.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: protect-configmaps
spec:
  validationFailureAction: Enforce
  background: false
  rules:
    - name: protect
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              operations: [DELETE]
      validate:
        message: protected ConfigMaps cannot be deleted
        deny:
          conditions:
            any:
              - key: "{{ request.oldObject.metadata.labels.protected || '' }}"
                operator: Equals
                value: "true"
    - name: no-pattern-on-delete
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              operations: [DELETE]
      validate:
        message: never evaluated on DELETE
        pattern:
          metadata:
            labels:
              protected: "!true"
`,
  'generate-secret.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: generate-secret
spec:
  background: false
  rules:
    - name: secret-per-configmap
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              operations: [CREATE]
              selector:
                matchLabels:
                  generate: "yes"
      generate:
        apiVersion: v1
        kind: Secret
        name: "{{request.object.metadata.name}}-generated"
        namespace: "{{request.object.metadata.namespace}}"
        synchronize: false
        data:
          stringData:
            from: "{{request.object.metadata.name}}"
`,
};

const LATER_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-cost-center
spec:
  validationFailureAction: Enforce
  background: false
  rules:
    - name: check-cost-center
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: label cost-center is required
        pattern:
          metadata:
            labels:
              cost-center: "?*"
`;

const VALIDATE_FAIL = 'validate.kyverno.svc-fail';

/** Kyverno's denial (pkg/webhooks/utils/block.go) for one failed rule. */
const blocked = (resource: string, policy: string, rule: string, message: string): string =>
  `\n\nresource ${resource} was blocked due to the following policies \n\n${policy}:\n  ${rule}: ${message}\n`;

const teamDenial = (name: string): string =>
  blocked(
    `Pod/${NS}/${name}`,
    'require-team',
    'check-team',
    "'validation error: label team is required. rule check-team failed at path /metadata/labels/team/'",
  );

describe('palisade serve with ClusterPolicies, through the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  let work: string;
  let policies: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'palisade-e2e-cpol-'));
    policies = join(work, 'policies');
    mkdirSync(policies);
    for (const [file, text] of Object.entries(POLICIES)) writeFileSync(join(policies, file), text);
    const certificate = serveCertificate(work);
    [tb, serve] = await startBoth(startTestbed(), startServe({ policies, certificate }));
    await serve.waitReady();
    const target = { url: serve.url, caPem: certificate.caPem };
    const all = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
    await applyConfigurations(tb, [
      validatingWebhookConfiguration('palisade-resource-validating-webhook-cfg', target, [
        {
          name: VALIDATE_FAIL,
          path: '/validate/fail',
          failurePolicy: 'Fail',
          rules: [coreRule(['pods', 'configmaps'], all)],
        },
        {
          name: 'validate.kyverno.svc-ignore',
          path: '/validate/ignore',
          failurePolicy: 'Ignore',
          rules: [coreRule(['pods', 'configmaps'], all)],
        },
      ]),
      mutatingWebhookConfiguration('palisade-resource-mutating-webhook-cfg', target, [
        {
          name: 'mutate.kyverno.svc-fail',
          path: '/mutate/fail',
          failurePolicy: 'Fail',
          rules: [coreRule(['pods'], ['CREATE', 'UPDATE'])],
        },
      ]),
    ]);
    await readyNamespace(tb, NS);
    // The configuration takes effect within a moment: probe with server-side dry runs.
    await eventually('the webhooks to take effect', 30_000, async () => {
      const r = await kubectlCreate(tb, pod(NS, 'probe'), ['--dry-run=server']);
      return r.stderr.includes(denied(VALIDATE_FAIL)) ? true : undefined;
    });
  });

  after(async () => {
    await serve?.stop();
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test("an Enforce violation is denied with Kyverno's message, and nothing is stored", async () => {
    const r = await kubectlCreate(tb, pod(NS, 'no-team', { owner: 'o' }));
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr,
      `Error from server: error when creating "STDIN": ${denied(VALIDATE_FAIL)}${teamDenial('no-team')}`,
    );
    assert.equal(await getObject(tb, 'Pod', NS, 'no-team'), undefined);
    // The same through the API: the Status the API server returns carries the message verbatim.
    const api = await tb.api('POST', `/api/v1/namespaces/${NS}/pods`, pod(NS, 'no-team'));
    assert.equal(api.status, 400);
    const status = api.body as { message: string; reason: string };
    assert.equal(status.message, `${denied(VALIDATE_FAIL)}${teamDenial('no-team')}`);
  });

  test('an Audit violation is admitted with its warning, and the mutation is stored', async () => {
    const r = await kubectlCreate(tb, pod(NS, 'audited', { team: 't' }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'Warning: policy audit-owner.check-owner: validation error: label owner is recommended. rule check-owner failed at path /metadata/labels/owner/\n',
    );
    const stored = await getObject(tb, 'Pod', NS, 'audited');
    assert.deepEqual(labelsOf(stored), { team: 't', [MUTATED]: 'true' });
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
    // The answer shows the mutation, as for a real create...
    assert.equal(labelsOf(JSON.parse(ok.stdout) as Record<string, unknown>)[MUTATED], 'true');
    // ...but nothing is stored.
    assert.equal(await getObject(tb, 'Pod', NS, 'dry'), undefined);
    const bad = await kubectlCreate(tb, pod(NS, 'dry-no-team'), ['--dry-run=server']);
    assert.notEqual(bad.code, 0);
    assert.equal(
      bad.stderr,
      `Error from server: error when creating "STDIN": ${denied(VALIDATE_FAIL)}${teamDenial('dry-no-team')}`,
    );
    const dryRunLines = serve.logs.filter((l) => l.msg === 'admission' && l.dryRun === true);
    assert.ok(dryRunLines.some((l) => l.name === 'dry' && l.allowed === true));
  });

  test('a dry run has no generate side effect; a real create has', async () => {
    const dry = await kubectlCreate(tb, configMap(NS, 'gen-dry', { generate: 'yes' }), ['--dry-run=server']);
    assert.equal(dry.code, 0, dry.stderr);
    const real = await kubectlCreate(tb, configMap(NS, 'gen-real', { generate: 'yes' }));
    assert.equal(real.code, 0, real.stderr);
    // serve has no cluster connection yet: what generate rules want is logged, never written.
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
      `Error from server: ${denied(VALIDATE_FAIL)}${blocked(
        `ConfigMap/${NS}/keep`,
        'protect-configmaps',
        'protect',
        'protected ConfigMaps cannot be deleted',
      )}`,
    );
    assert.notEqual(await getObject(tb, 'ConfigMap', NS, 'keep'), undefined);
    const scrap = await tb.kubectl(['delete', 'configmap', 'scrap', '-n', NS]);
    assert.equal(scrap.code, 0, scrap.stderr);
    assert.equal(await getObject(tb, 'ConfigMap', NS, 'scrap'), undefined);
  });

  test('a policy file added later takes effect; removed, it stops', async () => {
    const before = serve.policySet();
    const first = await kubectlCreate(tb, pod(NS, 'before-later', { team: 't', owner: 'o' }));
    assert.equal(first.code, 0, first.stderr);

    writeFileSync(join(policies, 'require-cost-center.yaml'), LATER_POLICY);
    await serve.waitForLog(
      'the set with the new policy',
      (l) => l.msg === 'policy set loaded' && Number(l.policySet) > before,
    );
    const r = await kubectlCreate(tb, pod(NS, 'after-later', { team: 't', owner: 'o' }));
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr,
      `Error from server: error when creating "STDIN": ${denied(VALIDATE_FAIL)}${blocked(
        `Pod/${NS}/after-later`,
        'require-cost-center',
        'check-cost-center',
        "'validation error: label cost-center is required. rule check-cost-center failed at path /metadata/labels/cost-center/'",
      )}`,
    );
    const costed = await kubectlCreate(tb, pod(NS, 'costed', { team: 't', owner: 'o', 'cost-center': 'c' }));
    assert.equal(costed.code, 0, costed.stderr);

    const loaded = serve.policySet();
    unlinkSync(join(policies, 'require-cost-center.yaml'));
    await serve.waitForLog(
      'the set without it',
      (l) => l.msg === 'policy set loaded' && Number(l.policySet) > loaded,
    );
    const again = await kubectlCreate(tb, pod(NS, 'after-removal', { team: 't', owner: 'o' }));
    assert.equal(again.code, 0, again.stderr);
  });
});
