// `palisade serve` when it is not there or not ready, seen from the real API server (issue #14):
// before its policy set loads it is not ready and nothing is admitted through a Fail webhook; when the
// process is gone, Fail webhooks make the API server refuse ("failed calling webhook") and Ignore
// webhooks let requests through, for ClusterPolicies and ValidatingPolicies alike; and killed with
// SIGKILL under a steady stream of creates and started again, no request breaking an Enforce policy is
// ever admitted, and compliant ones are admitted again once it is ready.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { denied, kubectlCreate, labelsOf, listNames, readyNamespace } from '../support/kube-objects.js';
import {
  freePort,
  type ServeCertificate,
  type ServeProcess,
  serveCertificate,
  startBoth,
  startServe,
} from '../support/serve-process.js';
import { type ApiResponse, eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';
import {
  applyConfigurations,
  coreRule,
  validatingWebhookConfiguration,
} from '../support/webhook-configuration.js';

const NS = 'failure-e2e';

const clusterPolicy = (
  name: string,
  kind: string,
  failurePolicy: 'Fail' | 'Ignore',
): string => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: Enforce
  failurePolicy: ${failurePolicy}
  background: false
  rules:
    - name: check-team
      match:
        any:
          - resources:
              kinds: [${kind}]
      validate:
        message: label team is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;

const validatingPolicy = (
  name: string,
  resource: string,
  failurePolicy: 'Fail' | 'Ignore',
): string => `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: ${name}
spec:
  validationActions: [Deny]
  failurePolicy: ${failurePolicy}
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [${resource}]
  validations:
    - expression: "'team' in object.metadata.?labels.orValue({})"
      message: label team is required
`;

// One resource per (kind of policy, failure policy), so that each webhook can be told apart.
const POLICIES: Record<string, string> = {
  'pods-need-team.yaml': clusterPolicy('pods-need-team', 'Pod', 'Fail'),
  'configmaps-need-team.yaml': clusterPolicy('configmaps-need-team', 'ConfigMap', 'Ignore'),
  'secrets-need-team.yaml': validatingPolicy('secrets-need-team', 'secrets', 'Fail'),
  'templates-need-team.yaml': validatingPolicy('templates-need-team', 'podtemplates', 'Ignore'),
};

const CPOL_FAIL = 'validate.kyverno.svc-fail';
const CPOL_IGNORE = 'validate.kyverno.svc-ignore';
const VPOL_FAIL = 'vpol.validate.kyverno.svc-fail';
const VPOL_IGNORE = 'vpol.validate.kyverno.svc-ignore';

type Resource = 'pods' | 'configmaps' | 'secrets' | 'podtemplates';
const KIND: Record<Resource, string> = {
  pods: 'Pod',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  podtemplates: 'PodTemplate',
};

function object(resource: Resource, name: string, team: boolean): object {
  const metadata = { name, namespace: NS, labels: team ? { team: 't' } : {} };
  const container = { name: 'app', image: 'registry.example/app:1.0' };
  switch (resource) {
    case 'pods':
      return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [container] } };
    case 'podtemplates':
      return {
        apiVersion: 'v1',
        kind: 'PodTemplate',
        metadata,
        template: { spec: { containers: [container] } },
      };
    case 'secrets':
      return { apiVersion: 'v1', kind: 'Secret', metadata, stringData: { a: '1' } };
    case 'configmaps':
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { a: '1' } };
  }
}

const createApi = (tb: Testbed, resource: Resource, name: string, team: boolean): Promise<ApiResponse> =>
  tb.api('POST', `/api/v1/namespaces/${NS}/${resource}`, object(resource, name, team));

const messageOf = (r: ApiResponse): string => String((r.body as { message?: unknown }).message ?? '');

async function stored(tb: Testbed, resource: Resource): Promise<{ name: string; team: boolean }[]> {
  const r = await tb.api('GET', `/api/v1/namespaces/${NS}/${resource}`);
  assert.equal(r.status, 200);
  return (r.body as { items: Record<string, unknown>[] }).items.map((item) => ({
    name: String((item.metadata as { name: string }).name),
    team: 'team' in labelsOf(item),
  }));
}

const NOT_LOADED =
  'palisade could not evaluate the request: the policy set is not loaded yet (failurePolicy Fail)';

describe('palisade serve not ready, down, killed and restarted, through the real API server', {
  skip: testbedSkip(),
}, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  let work: string;
  let policies: string;
  let certificate: ServeCertificate;
  let port: number;

  const restart = async (): Promise<ServeProcess> => {
    serve = await startServe({ policies, certificate, port });
    return serve;
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'palisade-e2e-failure-'));
    policies = join(work, 'policies');
    mkdirSync(policies);
    for (const [file, text] of Object.entries(POLICIES)) writeFileSync(join(policies, file), text);
    // A broken file: the folder does not load, so the server stays not ready until it is removed.
    writeFileSync(
      join(policies, 'broken.yaml'),
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: [\n',
    );
    certificate = serveCertificate(work);
    port = await freePort();
    [tb] = await startBoth(startTestbed(), restart());
    const target = { url: serve.url, caPem: certificate.caPem };
    const ops = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
    await applyConfigurations(tb, [
      validatingWebhookConfiguration('palisade-resource-validating-webhook-cfg', target, [
        { name: CPOL_FAIL, path: '/validate/fail', failurePolicy: 'Fail', rules: [coreRule(['pods'], ops)] },
        {
          name: CPOL_IGNORE,
          path: '/validate/ignore',
          failurePolicy: 'Ignore',
          rules: [coreRule(['configmaps'], ops)],
        },
        {
          name: VPOL_FAIL,
          path: '/vpol/secrets-need-team',
          failurePolicy: 'Fail',
          rules: [coreRule(['secrets'], ['CREATE', 'UPDATE'])],
        },
        {
          name: VPOL_IGNORE,
          path: '/vpol/templates-need-team',
          failurePolicy: 'Ignore',
          rules: [coreRule(['podtemplates'], ['CREATE', 'UPDATE'])],
        },
      ]),
    ]);
    await readyNamespace(tb, NS);
    await eventually('the webhooks to take effect', 30_000, async () => {
      const r = await kubectlCreate(tb, object('pods', 'probe', true), ['--dry-run=server']);
      return r.stderr.includes(denied(CPOL_FAIL)) ? true : undefined;
    });
  });

  after(async () => {
    await serve?.stop();
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('before its policies load it is not ready, and Fail webhooks admit nothing', async () => {
    await serve.waitForLog('the failed first load', (l) => l.msg === 'policies failed to load; not ready');
    assert.equal(await serve.readiness(), 503);
    // A compliant Pod: /validate/fail denies outright, as the API server shows.
    const pod = await kubectlCreate(tb, object('pods', 'early-pod', true));
    assert.notEqual(pod.code, 0);
    assert.equal(
      pod.stderr,
      `Error from server: error when creating "STDIN": ${denied(CPOL_FAIL)}${NOT_LOADED}\n`,
    );
    // The CEL path answers 503: the API server applies the webhook's failure policy, Fail here.
    const secret = await createApi(tb, 'secrets', 'early-secret', true);
    assert.equal(secret.status, 500, JSON.stringify(secret.body));
    assert.match(messageOf(secret), new RegExp(`failed calling webhook "${VPOL_FAIL}"`));
    // Ignore webhooks let requests through unevaluated, even violating ones: that is what Ignore means.
    assert.equal((await createApi(tb, 'configmaps', 'early-configmap', false)).status, 201);
    assert.equal((await createApi(tb, 'podtemplates', 'early-template', false)).status, 201);
    assert.deepEqual(await listNames(tb, 'Pod', NS), []);

    unlinkSync(join(policies, 'broken.yaml'));
    await serve.waitReady();
    assert.equal((await createApi(tb, 'pods', 'ready-pod', true)).status, 201);
    const violating = await createApi(tb, 'pods', 'ready-bad-pod', false);
    assert.equal(violating.status, 400);
    assert.match(
      messageOf(violating),
      /pods-need-team:\n {2}check-team: 'validation error: label team is required/,
    );
  });

  test('when the server is down, Fail webhooks refuse and Ignore webhooks admit', async () => {
    // Up: each of the four policies denies its violation.
    for (const resource of ['pods', 'configmaps', 'secrets', 'podtemplates'] as const) {
      const r = await createApi(tb, resource, `up-${resource}`, false);
      assert.equal(r.status, 400, `${resource}: ${JSON.stringify(r.body)}`);
    }
    await serve.kill('SIGKILL');

    for (const [resource, webhook] of [
      ['pods', CPOL_FAIL],
      ['secrets', VPOL_FAIL],
    ] as const) {
      // Even a compliant object is refused: nothing can vouch for it.
      const r = await kubectlCreate(tb, object(resource, `down-${resource}`, true));
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        new RegExp(
          `^Error from server \\(InternalError\\): error when creating "STDIN": Internal error occurred: failed calling webhook "${webhook.replaceAll('.', '\\.')}": failed to call webhook: Post "https://127\\.0\\.0\\.1:${port}/[^"]*": (dial tcp 127\\.0\\.0\\.1:${port}: connect: connection refused|EOF|.*connection reset by peer)\\n$`,
        ),
      );
    }
    for (const resource of ['configmaps', 'podtemplates'] as const) {
      const r = await kubectlCreate(tb, object(resource, `down-${resource}`, false));
      assert.equal(r.code, 0, r.stderr);
      assert.ok((await listNames(tb, KIND[resource], NS)).includes(`down-${resource}`));
    }

    await restart();
    await serve.waitReady();
    assert.equal((await createApi(tb, 'pods', 'back-pod', true)).status, 201);
    assert.equal((await createApi(tb, 'secrets', 'back-secret', true)).status, 201);
    assert.equal((await createApi(tb, 'configmaps', 'back-configmap', false)).status, 400);
  });

  test('killed under a stream of creates and restarted: nothing violating is ever admitted', async (t) => {
    interface Attempt {
      readonly resource: Resource;
      readonly name: string;
      readonly team: boolean;
      /** When the create was sent, and when its answer came. */
      readonly sentAt: number;
      readonly at: number;
      readonly status: number;
      readonly message: string;
    }
    const attempts: Attempt[] = [];
    let stop = false;
    // Two streams (a ClusterPolicy's Pods, a ValidatingPolicy's Secrets), alternating compliant and
    // violating objects.
    const stream = async (resource: Resource): Promise<void> => {
      for (let n = 1; !stop; n++) {
        const team = n % 2 === 0;
        const name = `${team ? 'good' : 'bad'}-${resource}-${n}`;
        const sentAt = Date.now();
        const r = await createApi(tb, resource, name, team).catch(
          (err: unknown): ApiResponse => ({ status: 0, body: { message: String(err) } }),
        );
        attempts.push({
          resource,
          name,
          team,
          sentAt,
          at: Date.now(),
          status: r.status,
          message: messageOf(r),
        });
        // A steady pace, not a flood: refusals while the server is down come back at once.
        await new Promise((resume) => setTimeout(resume, 20));
      }
    };
    const streams = Promise.all([stream('pods'), stream('secrets')]);
    const admittedSince = (since: number): number =>
      attempts.filter((a) => a.team && a.status === 201 && a.at > since).length;
    try {
      await eventually('creates flowing', 60_000, async () => (admittedSince(0) >= 4 ? true : undefined));
      await serve.kill('SIGKILL');
      // Taken once the process is gone: a create sent before may still have been answered by it.
      const killedAt = Date.now();
      await eventually('requests while it is down', 60_000, async () =>
        attempts.filter((a) => a.sentAt > killedAt).length >= 10 ? true : undefined,
      );
      // The attempts answered while it was down, counted now: a bound taken with Date.now() could fall
      // in the same millisecond as the last of them and leave it out.
      const answeredBeforeRestart = attempts.length;
      await restart();
      await serve.waitReady();
      const readyAt = Date.now();
      await eventually('compliant creates admitted again', 60_000, async () =>
        admittedSince(readyAt) >= 4 ? true : undefined,
      );

      const down = attempts.slice(0, answeredBeforeRestart).filter((a) => a.sentAt > killedAt);
      assert.ok(down.length >= 10, `${down.length} attempts while down`);
      // While it was down every create failed, compliant or not: the webhooks are Fail.
      assert.deepEqual(
        down.filter((a) => a.status === 201).map((a) => a.name),
        [],
      );
      assert.ok(down.some((a) => a.team && /failed calling webhook/.test(a.message)));
    } finally {
      stop = true;
      await streams;
    }
    const notReady = serve.logs.filter((l) => l.msg === 'admission' && l.skipped === 'not-ready').length;
    t.diagnostic(
      `palisade from ${serve.entry}: ${attempts.length} creates, ${attempts.filter((a) => a.status === 201).length} admitted, ` +
        `${attempts.filter((a) => /failed calling webhook/.test(a.message)).length} refused while down, ` +
        `${notReady} denied by the restarted server before its set loaded`,
    );
    // Every answer for a violating object was a refusal, and none of them is in the cluster.
    const violating = attempts.filter((a) => !a.team);
    assert.ok(violating.length >= 10);
    assert.deepEqual(
      violating.filter((a) => a.status === 201).map((a) => `${a.name} ${a.status}`),
      [],
    );
    for (const resource of ['pods', 'secrets'] as const) {
      const objects = (await stored(tb, resource)).filter((o) => /^(good|bad)-/.test(o.name));
      assert.deepEqual(
        objects.filter((o) => !o.team).map((o) => o.name),
        [],
      );
      // And the compliant ones are exactly those the API server said it created (or whose answer was
      // lost on the way back, which the stream counts as status 0).
      const ofResource = attempts.filter((a) => a.resource === resource);
      const created = ofResource.filter((a) => a.status === 201).map((a) => a.name);
      const unknown = new Set(ofResource.filter((a) => a.status === 0).map((a) => a.name));
      assert.deepEqual(
        objects
          .map((o) => o.name)
          .filter((name) => !unknown.has(name))
          .sort(),
        created.sort(),
      );
    }
  });
});
