// deploy/manifests/install.yaml on the real API server (docs/testbed.md): it applies with server-side
// apply, every object is stored, and its service account may do every call `palisade serve --cluster`
// makes (the resources are taken from the code: the collections it follows, the status kinds, the
// webhook configuration and Secret names), and no more than that. Then serve itself runs with that
// account's token and does its leader duties without a single refusal; once it is stopped, its Fail
// webhooks block, and docs/install.md's break-glass command unblocks. Last, helm installs, upgrades
// and uninstalls the chart. (No kubelet here: the Deployment's pods never start; serve runs as a
// local process.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CHART, INSTALL_YAML, NAMESPACE } from '../../scripts/manifests.js';
import { WEBHOOK_CONFIGURATION_NAMES } from '../../src/engine/index.js';
import { certificateSecretNames } from '../../src/io/cluster/certificate-secrets.js';
import {
  CLUSTER_ROLE_BINDINGS,
  NAMESPACES,
  POLICY_COLLECTIONS,
  ROLE_BINDINGS,
} from '../../src/io/cluster/collections.js';
import { STATUS_KINDS } from '../../src/io/cluster/policy-status-writer.js';
import { helm, helmSkip } from '../support/helm.js';
import { refusedCalls } from '../support/refused-calls.js';
import { freePort, type ServeProcess, startServe } from '../support/serve-cluster-process.js';
import { eventually, runCommand, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ACCOUNT = `system:serviceaccount:${NAMESPACE}:palisade`;
const SERVICE = 'palisade-svc';

interface Attributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

const show = (a: Attributes): string =>
  `${a.verb} ${a.resource}${a.subresource !== undefined ? `/${a.subresource}` : ''}${a.group !== '' ? `.${a.group}` : ''}` +
  `${a.name !== undefined ? ` ${a.name}` : ''}${a.namespace !== undefined ? ` in ${a.namespace}` : ''}`;

/** group and plural of a collection path: /api/v1/namespaces, /apis/kyverno.io/v1/clusterpolicies. */
function resourceOf(path: string): { group: string; resource: string } {
  const core = /^\/api\/v1\/([^/]+)$/.exec(path);
  if (core !== null) return { group: '', resource: core[1]! };
  const m = /^\/apis\/([^/]+)\/[^/]+\/([^/]+)$/.exec(path);
  assert.ok(m !== null, path);
  return { group: m[1]!, resource: m[2]! };
}

/** Every call serve makes, as authorization attributes. */
function neededByServe(): Attributes[] {
  const out: Attributes[] = [];
  // The collections every replica lists and watches, in every namespace (each version it may pick).
  const followed = new Map<string, { group: string; resource: string }>();
  for (const c of [...POLICY_COLLECTIONS, NAMESPACES, ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS])
    for (const v of c.versions) {
      const r = resourceOf(v.path);
      followed.set(`${r.group}/${r.resource}`, r);
    }
  for (const r of followed.values()) for (const verb of ['list', 'watch']) out.push({ verb, ...r });
  // The leader's writes: policy status, ...
  for (const k of STATUS_KINDS)
    out.push({ verb: 'update', group: k.group, resource: k.plural, subresource: 'status' });
  // ... its webhook configurations (read, then server-side apply: a create when missing) ...
  for (const [key, name] of Object.entries(WEBHOOK_CONFIGURATION_NAMES)) {
    const resource = key === 'mutating' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
    out.push({ verb: 'create', group: 'admissionregistration.k8s.io', resource });
    for (const verb of ['get', 'patch'])
      out.push({ verb, group: 'admissionregistration.k8s.io', resource, name });
  }
  // ... the Lease ...
  out.push({ verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: NAMESPACE });
  for (const verb of ['get', 'update'])
    out.push({
      verb,
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: NAMESPACE,
      name: 'palisade',
    });
  // ... the self-managed certificates ...
  out.push({ verb: 'create', group: '', resource: 'secrets', namespace: NAMESPACE });
  for (const name of Object.values(certificateSecretNames(SERVICE, NAMESPACE)))
    for (const verb of ['get', 'update'])
      out.push({ verb, group: '', resource: 'secrets', namespace: NAMESPACE, name });
  // ... and RBACPermissionsGranted's questions.
  out.push({ verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' });
  // What policies read at admission (ConfigMap context, the CEL authorizer) ...
  for (const verb of ['get', 'list'])
    out.push({ verb, group: '', resource: 'configmaps', namespace: 'default' });
  out.push({ verb: 'create', group: 'authorization.k8s.io', resource: 'subjectaccessreviews' });
  // ... the GlobalContextEntries every replica runs, and their lastRefreshTime ...
  for (const verb of ['get', 'list', 'watch'])
    out.push({ verb, group: 'kyverno.io', resource: 'globalcontextentries' });
  out.push({ verb: 'patch', group: 'kyverno.io', resource: 'globalcontextentries', subresource: 'status' });
  // ... and the generate requests in its own namespace.
  for (const verb of ['create', 'get', 'list', 'update', 'delete'])
    out.push({ verb, group: '', resource: 'configmaps', namespace: NAMESPACE });
  // The reports controller: one report per resource (either API).
  for (const [group, kinds] of [
    ['wgpolicyk8s.io', ['policyreports', 'clusterpolicyreports']],
    ['openreports.io', ['reports', 'clusterreports']],
  ] as const)
    for (const resource of kinds)
      for (const verb of ['get', 'list', 'create', 'update', 'delete']) out.push({ verb, group, resource });
  // The background controllers: Kyverno's default kinds written (generate, mutate-existing) ...
  for (const verb of ['create', 'update', 'patch', 'delete']) {
    out.push({ verb, group: '', resource: 'configmaps', namespace: 'default' });
    out.push({ verb, group: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'default' });
  }
  // (What scans list, and the triggers and targets of other kinds, are read through the cluster's
  // `view` role, whose rules the cluster-role aggregation controller fills some time after the
  // install: not asserted here.)
  return out;
}

/** What the account must not do: the chart grants reads and these exact writes only. */
const NOT_GRANTED: readonly Attributes[] = [
  {
    verb: 'delete',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingwebhookconfigurations',
    name: WEBHOOK_CONFIGURATION_NAMES.validating,
  },
  {
    verb: 'patch',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingwebhookconfigurations',
    name: 'someone-elses',
  },
  { verb: 'list', group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
  { verb: 'get', group: '', resource: 'secrets', namespace: NAMESPACE, name: 'another-secret' },
  { verb: 'list', group: '', resource: 'secrets', namespace: NAMESPACE },
  { verb: 'get', group: '', resource: 'secrets', namespace: 'kube-system', name: 'any' },
  {
    verb: 'update',
    group: 'coordination.k8s.io',
    resource: 'leases',
    namespace: 'kube-system',
    name: 'kube-scheduler',
  },
  { verb: 'update', group: 'kyverno.io', resource: 'clusterpolicies' },
  { verb: 'update', group: 'kyverno.io', resource: 'globalcontextentries' },
  { verb: 'delete', group: 'policies.kyverno.io', resource: 'validatingpolicies' },
  { verb: 'create', group: '', resource: 'pods', namespace: 'default' },
  { verb: 'update', group: '', resource: 'namespaces' },
];

interface Stored {
  kind: string;
  metadata: { name: string; namespace?: string };
}

describe('install.yaml on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let dir: string;
  let serve: ServeProcess | undefined;
  before(async () => {
    tb = await startTestbed();
    dir = mkdtempSync(join(tmpdir(), 'palisade-install-'));
  });
  after(async () => {
    await serve?.kill();
    await tb?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('applies with server-side apply and every object is stored', async () => {
    const applied = await tb.kubectl(['apply', '--server-side', '-f', INSTALL_YAML]);
    assert.equal(applied.code, 0, applied.stderr);
    const wanted = parseAllDocuments(readFileSync(INSTALL_YAML, 'utf8'))
      .map((d) => d.toJS() as Stored | null)
      .filter((o): o is Stored => o !== null)
      .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
      .sort();
    const got = await tb.kubectl(['get', '-f', INSTALL_YAML, '-o', 'json']);
    assert.equal(got.code, 0, got.stderr);
    const stored = (JSON.parse(got.stdout) as { items: Stored[] }).items
      .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
      .sort();
    assert.deepEqual(stored, wanted);
    assert.ok(wanted.includes('Deployment/palisade/palisade'));
    assert.ok(wanted.includes(`Service/palisade/${SERVICE}`));
  });

  test('the service account may make every call serve makes, and not more', async () => {
    const review = async (a: Attributes): Promise<boolean> => {
      const r = await tb.api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: ACCOUNT,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${NAMESPACE}`, 'system:authenticated'],
          resourceAttributes: { ...a },
        },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return (r.body as { status: { allowed?: boolean } }).status.allowed === true;
    };
    const needed = neededByServe();
    assert.ok(needed.length > 50, `${needed.length} calls`);
    const denied = (await Promise.all(needed.map(async (a) => ((await review(a)) ? [] : [show(a)])))).flat();
    assert.deepEqual(denied, [], 'calls serve makes that the chart does not grant');
    const granted = (
      await Promise.all(NOT_GRANTED.map(async (a) => ((await review(a)) ? [show(a)] : [])))
    ).flat();
    assert.deepEqual(granted, [], 'granted beyond what serve does');
    // kubectl's view of the same account agrees.
    const yes = await tb.kubectl([
      'auth',
      'can-i',
      'patch',
      `validatingwebhookconfigurations/${WEBHOOK_CONFIGURATION_NAMES.policyValidating}`,
      `--as=${ACCOUNT}`,
    ]);
    assert.equal(yes.stdout.trim(), 'yes');
    const no = await tb.kubectl([
      'auth',
      'can-i',
      'delete',
      'validatingwebhookconfigurations',
      `--as=${ACCOUNT}`,
    ]);
    assert.equal(no.stdout.trim(), 'no');
  });

  test("serve with the account's token does its duties without a refusal", async () => {
    const token = await tb.kubectl(['create', 'token', 'palisade', '-n', NAMESPACE, '--duration=1h']);
    assert.equal(token.code, 0, token.stderr);
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, tb.caPem);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'testbed', cluster: { server: tb.server, 'certificate-authority': caFile } }],
        users: [{ name: 'palisade', user: { token: token.stdout.trim() } }],
        contexts: [{ name: 'palisade', context: { cluster: 'testbed', user: 'palisade' } }],
        'current-context': 'palisade',
      }),
    );
    const policies = [
      {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'require-team' },
        spec: {
          validationFailureAction: 'Enforce',
          rules: [
            {
              name: 'team',
              match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
              validate: {
                message: 'label team is required',
                pattern: { metadata: { labels: { team: '?*' } } },
              },
            },
          ],
        },
      },
      {
        apiVersion: 'policies.kyverno.io/v1',
        kind: 'ValidatingPolicy',
        metadata: { name: 'require-owner' },
        spec: {
          matchConstraints: {
            resourceRules: [
              // A resource the account may read: RBACPermissionsGranted (background scans) holds.
              { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] },
            ],
          },
          validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels" }],
        },
      },
    ];
    for (const p of policies) {
      const r = await tb.kubectl(['apply', '-f', '-'], JSON.stringify(p));
      assert.equal(r.code, 0, r.stderr);
    }
    const port = await freePort();
    serve = startServe([
      '--kubeconfig',
      kubeconfig,
      '--port',
      String(port),
      '--namespace',
      NAMESPACE,
      '--service-name',
      SERVICE,
      '--lease-name',
      'palisade',
      '--webhook-url',
      `https://127.0.0.1:${port}`,
      '--retry-period',
      '500ms',
    ]);
    const s = serve;
    try {
      for (const msg of [
        'became leader',
        'listening',
        'webhook configurations reconciled',
        'policy status written',
      ])
        await s.waitFor(msg, 60_000);
    } catch (err) {
      throw new Error(
        `${String(err)}; serve's log:\n${s.logs
          .slice(-15)
          .map((l) => JSON.stringify(l))
          .join('\n')}`,
      );
    }
    const secrets = Object.values(certificateSecretNames(SERVICE, NAMESPACE));
    for (const name of secrets)
      assert.equal(
        (await tb.api('GET', `/api/v1/namespaces/${NAMESPACE}/secrets/${name}`)).status,
        200,
        name,
      );
    for (const [key, name] of Object.entries(WEBHOOK_CONFIGURATION_NAMES)) {
      const kind = key === 'mutating' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
      assert.equal(
        (await tb.api('GET', `/apis/admissionregistration.k8s.io/v1/${kind}/${name}`)).status,
        200,
        name,
      );
    }
    const cpol = await eventually('ClusterPolicy status', 30_000, async () => {
      const r = await tb.api('GET', '/apis/kyverno.io/v1/clusterpolicies/require-team');
      const ready = (
        r.body as { status?: { conditions?: { type: string; status: string }[] } }
      ).status?.conditions?.find((c) => c.type === 'Ready');
      return ready?.status === 'True' ? ready : undefined;
    });
    assert.equal(cpol.status, 'True');
    await eventually('ValidatingPolicy status', 30_000, async () => {
      const r = await tb.api('GET', '/apis/policies.kyverno.io/v1/validatingpolicies/require-owner');
      const s = (r.body as { status?: { conditionStatus?: { ready?: boolean } } }).status;
      return s?.conditionStatus?.ready === true ? s : undefined;
    });
    // The webhook it registered judges, through the API server.
    const denied = await eventually('the webhook in effect', 20_000, async () => {
      const r = await tb.kubectl(['create', 'configmap', 'no-team', '-n', 'default']);
      if (r.code !== 0) return r;
      await tb.kubectl(['delete', 'configmap', 'no-team', '-n', 'default']);
      return undefined;
    });
    assert.match(denied.stderr, /label team is required/);
    const refused = refusedCalls(serve.logs);
    assert.deepEqual(refused, [], 'serve was refused a call');
    assert.equal(await serve.stop(), 0);
    // It released the Lease on the way out (an update the Role allows).
    const lease = await tb.api('GET', `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases/palisade`);
    assert.equal((lease.body as { spec: { holderIdentity?: string } }).spec.holderIdentity ?? '', '');
    serve = undefined;

    // Its Fail webhooks now refuse what they match (the ValidatingPolicy's: namespaces), until the
    // break-glass command of docs/install.md removes the configurations.
    const blocked = await tb.kubectl(['create', 'namespace', 'after-palisade']);
    assert.notEqual(blocked.code, 0);
    assert.match(blocked.stderr, /failed calling webhook "vpol\.validate\.palisade\.svc-fail"/);
    const breakGlass = await tb.kubectl([
      'delete',
      'validatingwebhookconfigurations,mutatingwebhookconfigurations',
      '-l',
      'app.kubernetes.io/managed-by=palisade',
    ]);
    assert.equal(breakGlass.code, 0, breakGlass.stderr);
    for (const name of Object.values(WEBHOOK_CONFIGURATION_NAMES))
      assert.match(breakGlass.stdout, new RegExp(`"${name}" deleted`));
    const admitted = await eventually('namespaces admitted again', 10_000, async () => {
      const r = await tb.kubectl(['create', 'namespace', 'after-palisade']);
      return r.code === 0 ? r : undefined;
    });
    assert.equal(admitted.code, 0);
  });

  test('helm installs, upgrades and uninstalls the chart beside it (another name and namespace)', {
    skip: helmSkip(),
  }, async () => {
    const home = join(dir, 'helm');
    const run = (...args: string[]) =>
      runCommand(helm, [...args, '--namespace', 'palisade-helm'], {
        KUBECONFIG: tb.kubeconfig,
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      });
    const install = await run(
      'install',
      'second',
      CHART,
      '--create-namespace',
      '--set',
      'fullnameOverride=palisade-helm',
    );
    assert.equal(install.code, 0, install.stderr);
    const replicas = async (): Promise<unknown> =>
      (
        (await tb.api('GET', '/apis/apps/v1/namespaces/palisade-helm/deployments/palisade-helm')).body as {
          spec?: { replicas?: number };
        }
      ).spec?.replicas;
    assert.equal(await replicas(), 3);
    const upgrade = await run('upgrade', 'second', CHART, '--reuse-values', '--set', 'replicaCount=2');
    assert.equal(upgrade.code, 0, upgrade.stderr);
    assert.equal(await replicas(), 2);
    const uninstall = await run('uninstall', 'second');
    assert.equal(uninstall.code, 0, uninstall.stderr);
    assert.equal(
      (await tb.api('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/palisade-helm')).status,
      404,
    );
    // The CRDs stay (Helm never deletes a chart's crds/), and so do the first installation's objects.
    assert.equal(
      (
        await tb.api(
          'GET',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/clusterpolicies.kyverno.io',
        )
      ).status,
      200,
    );
    assert.equal(
      (await tb.api('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/palisade')).status,
      200,
    );
  });
});
