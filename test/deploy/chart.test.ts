// The Helm chart (deploy/helm/palisade): its CRDs are config/crds, the committed install.yaml is what
// it renders with its default values, `helm lint` passes in every certificates mode, and values
// change what they say. helm comes from scripts/testbed/build.sh (skipped without it, except with
// PALISADE_TESTBED=required, as in CI).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CHART, helmTemplate, INSTALL_YAML, ROOT, renderInstallYaml } from '../../scripts/manifests.js';
import { helm, helmSkip } from '../support/helm.js';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  rules?: { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }[];
}

interface Container {
  args: string[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
  affinity?: { podAntiAffinity?: Record<string, unknown> };
  priorityClassName?: string;
}

function objects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

const render = (...sets: string[]): K8sObject[] =>
  objects(
    helmTemplate(
      helm,
      sets.flatMap((s) => ['--set', s]),
    ),
  );

function one(list: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = list.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.equal(found.length, 1, `one ${kind}${name !== undefined ? ` ${name}` : ''} in the render`);
  return found[0]!;
}

const podSpec = (list: readonly K8sObject[]): PodSpec =>
  (one(list, 'Deployment').spec as { template: { spec: PodSpec } }).template.spec;

test("the chart's crds/ folder holds exactly config/crds (npm run crds writes both)", () => {
  const configDir = join(ROOT, 'config/crds');
  const chartDir = join(CHART, 'crds');
  const names = readdirSync(configDir).sort();
  assert.ok(names.length >= 16);
  assert.deepEqual(readdirSync(chartDir).sort(), names);
  for (const n of names)
    assert.ok(
      readFileSync(join(chartDir, n)).equals(readFileSync(join(configDir, n))),
      `${n} differs: run npm run crds`,
    );
});

describe('the Helm chart', { skip: helmSkip() }, () => {
  test('deploy/manifests/install.yaml is the chart rendered with its default values (npm run manifests)', () => {
    assert.ok(readFileSync(INSTALL_YAML, 'utf8') === renderInstallYaml(helm), 'stale: run npm run manifests');
  });

  test('install.yaml holds the Namespace, the CRDs and every object of the chart', () => {
    const list = objects(readFileSync(INSTALL_YAML, 'utf8'));
    const kinds = list.map((o) => o.kind);
    assert.equal(
      kinds.filter((k) => k === 'CustomResourceDefinition').length,
      readdirSync(join(CHART, 'crds')).length,
    );
    for (const kind of [
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Service',
      'Deployment',
      'PodDisruptionBudget',
      'PriorityClass',
      'NetworkPolicy',
    ])
      assert.ok(kinds.includes(kind), kind);
    // Nothing needs cert-manager by default.
    assert.ok(!list.some((o) => o.apiVersion.startsWith('cert-manager.io/')));
    assert.ok(kinds.indexOf('Namespace') < kinds.indexOf('Deployment'));
  });

  test('helm lint passes in every certificates mode', () => {
    for (const sets of [
      [],
      ['certificates.mode=cert-manager'],
      ['certificates.mode=cert-manager', 'certificates.certManager.issuerRef.name=corp-ca'],
      ['certificates.mode=secret', 'certificates.secret.name=my-tls'],
      ['antiAffinity=hard', 'networkPolicy.enabled=false', 'serve.metricsPort=0'],
    ]) {
      const out = execFileSync(helm, ['lint', CHART, '--strict', ...sets.flatMap((s) => ['--set', s])], {
        encoding: 'utf8',
      });
      assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/, sets.join(' '));
    }
  });

  test('defaults: 3 replicas, self-managed certificates, probes, the hardened pod', () => {
    const list = render();
    const deployment = one(list, 'Deployment');
    assert.equal(deployment.spec?.replicas, 3);
    const pod = podSpec(list);
    const c = pod.containers[0]!;
    assert.deepEqual(c.args.slice(0, 2), ['serve', '--cluster']);
    for (const arg of [
      '--namespace=palisade',
      '--service-name=palisade-svc',
      '--service-port=443',
      '--lease-name=palisade',
    ])
      assert.ok(c.args.includes(arg), arg);
    assert.ok(
      !c.args.some((a) => a.startsWith('--tls-')),
      'no certificate files: the leader keeps them in Secrets',
    );
    const container = c as unknown as Record<string, { httpGet?: { path: string; scheme: string } }>;
    assert.equal(container.livenessProbe?.httpGet?.path, '/health/liveness');
    assert.equal(container.readinessProbe?.httpGet?.path, '/health/readiness');
    assert.equal(container.readinessProbe?.httpGet?.scheme, 'HTTPS');
    assert.deepEqual((c as unknown as { securityContext: unknown }).securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.ok(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    assert.equal(pod.priorityClassName, one(list, 'PriorityClass').metadata.name);
    // The Role may touch the two certificate Secrets by name.
    const secrets = one(list, 'Role').rules?.find((r) => r.resources.includes('secrets') && r.resourceNames);
    assert.deepEqual(secrets?.resourceNames, [
      'palisade-svc.palisade.svc.palisade-tls-ca',
      'palisade-svc.palisade.svc.palisade-tls-pair',
    ]);
    assert.equal(one(list, 'Service', 'palisade-svc').metadata.namespace, 'palisade');
  });

  test('replicaCount, antiAffinity and the optional objects follow their values', () => {
    const list = render('replicaCount=5', 'antiAffinity=hard');
    assert.equal(one(list, 'Deployment').spec?.replicas, 5);
    assert.ok(podSpec(list).affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    const bare = render(
      'podDisruptionBudget.enabled=false',
      'networkPolicy.enabled=false',
      'priorityClass.create=false',
      'serve.metricsPort=0',
      'antiAffinity=off',
    );
    for (const kind of ['PodDisruptionBudget', 'NetworkPolicy', 'PriorityClass'])
      assert.ok(!bare.some((o) => o.kind === kind), kind);
    assert.equal(bare.filter((o) => o.kind === 'Service').length, 1, 'no metrics Service');
    assert.ok(!podSpec(bare).containers[0]!.args.some((a) => a.startsWith('--metrics-port')));
    assert.equal(podSpec(bare).affinity, undefined);
    assert.equal(podSpec(bare).priorityClassName, undefined);
  });

  test("policyExceptions: off by default (Kyverno's), the gate flags when enabled", () => {
    const args = (list: readonly K8sObject[]) => podSpec(list).containers[0]!.args;
    assert.ok(!args(render()).some((a) => a.includes('exception')));
    const on = args(render('serve.policyExceptions.enabled=true', 'serve.policyExceptions.namespace=exempt'));
    assert.ok(on.includes('--enable-policy-exception'));
    assert.ok(on.includes('--exception-namespace=exempt'));
  });

  test('the NetworkPolicy opens the webhook port to the API server peers and metrics to the scrapers', () => {
    const policy = one(render('networkPolicy.apiServer[0].ipBlock.cidr=10.0.0.0/24'), 'NetworkPolicy');
    const ingress = policy.spec?.ingress as { from?: unknown[]; ports: { port: string }[] }[];
    assert.deepEqual(ingress, [
      { ports: [{ port: 'https', protocol: 'TCP' }], from: [{ ipBlock: { cidr: '10.0.0.0/24' } }] },
      {
        ports: [{ port: 'metrics', protocol: 'TCP' }],
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      },
    ]);
  });

  test('cert-manager: a self-signed CA, the serving Certificate mounted, no Secret rights', () => {
    const list = render('certificates.mode=cert-manager');
    const cert = one(list, 'Certificate', 'palisade-svc');
    assert.deepEqual((cert.spec as { dnsNames: string[] }).dnsNames, [
      'palisade-svc',
      'palisade-svc.palisade',
      'palisade-svc.palisade.svc',
    ]);
    assert.deepEqual((cert.spec as { issuerRef: unknown }).issuerRef, {
      name: 'palisade-ca',
      kind: 'Issuer',
      group: 'cert-manager.io',
    });
    one(list, 'Certificate', 'palisade-ca');
    assert.equal(list.filter((o) => o.kind === 'Issuer').length, 2);
    const pod = podSpec(list);
    const args = pod.containers[0]!.args;
    for (const a of [
      '--tls-cert=/etc/palisade/tls/tls.crt',
      '--tls-key=/etc/palisade/tls/tls.key',
      '--tls-ca=/etc/palisade/tls/ca.crt',
    ])
      assert.ok(args.includes(a), a);
    assert.equal(pod.volumes?.find((v) => v.name === 'tls')?.secret?.secretName, 'palisade-svc-tls');
    assert.ok(!one(list, 'Role').rules?.some((r) => r.resources.includes('secrets')));

    // An issuer of one's own: only the serving Certificate.
    const own = render(
      'certificates.mode=cert-manager',
      'certificates.certManager.issuerRef.name=corp-ca',
      'certificates.certManager.issuerRef.kind=ClusterIssuer',
    );
    assert.ok(!own.some((o) => o.kind === 'Issuer'));
    assert.equal(
      (one(own, 'Certificate').spec as { issuerRef: { name: string; kind: string } }).issuerRef.kind,
      'ClusterIssuer',
    );
  });

  test('secret mode mounts the named Secret; an unknown mode or a missing name fails the render', () => {
    const pod = podSpec(render('certificates.mode=secret', 'certificates.secret.name=my-tls'));
    assert.equal(pod.volumes?.find((v) => v.name === 'tls')?.secret?.secretName, 'my-tls');
    assert.throws(() => render('certificates.mode=secret'), /certificates\.secret\.name is required/);
    assert.throws(() => render('certificates.mode=vault'), /certificates\.mode must be/);
  });
});

describe('the Helm chart: cleanup and TTL controllers', { skip: helmSkip() }, () => {
  test('by default serve runs them, bound to the aggregated cleanup ClusterRole, with no delete rights', () => {
    const list = render();
    const args = podSpec(list).containers[0]!.args;
    assert.ok(args.includes('--ttl-reconciliation-interval=1m'));
    assert.ok(!args.includes('--cleanup-controller=false'));
    const binding = one(list, 'ClusterRoleBinding', 'palisade-cleanup-controller') as unknown as {
      subjects: { name: string }[];
    };
    assert.deepEqual(
      binding.subjects.map((s) => s.name),
      ['palisade'],
    );
    const core = one(list, 'ClusterRole', 'palisade-cleanup-controller-core');
    assert.ok(!core.rules?.some((r) => r.verbs.includes('delete')));
    assert.ok(core.rules?.some((r) => r.resources.includes('clustercleanuppolicies/status')));
    const webhooks = one(list, 'ClusterRole', 'palisade').rules?.find((r) =>
      r.resourceNames?.includes('palisade-ttl-validating-webhook-cfg'),
    );
    assert.ok(webhooks, 'serve may write the TTL webhook configuration');
  });

  test('separate: their own Deployment, ServiceAccount and Lease; serve turns them off; extraRules aggregate', () => {
    const list = render(
      'cleanupController.separate=true',
      'cleanupController.rbac.extraRules[0].apiGroups[0]=',
      'cleanupController.rbac.extraRules[0].resources[0]=pods',
      'cleanupController.rbac.extraRules[0].verbs[0]=delete',
    );
    const deployments = list.filter((o) => o.kind === 'Deployment');
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), [
      'palisade',
      'palisade-cleanup-controller',
    ]);
    const specOf = (d: K8sObject) =>
      (d.spec as { template: { spec: PodSpec & { serviceAccountName: string } } }).template.spec;
    const serve = specOf(deployments.find((d) => d.metadata.name === 'palisade')!);
    assert.ok(serve.containers[0]!.args.includes('--cleanup-controller=false'));
    const cleanup = specOf(deployments.find((d) => d.metadata.name === 'palisade-cleanup-controller')!);
    assert.equal(cleanup.serviceAccountName, 'palisade-cleanup-controller');
    assert.deepEqual(cleanup.containers[0]!.args.slice(0, 2), ['controller', 'cleanup']);
    assert.ok(cleanup.containers[0]!.args.includes('--lease-name=palisade-cleanup-controller'));
    const lease = one(list, 'Role', 'palisade-cleanup-controller').rules?.find(
      (r) => r.resourceNames !== undefined,
    );
    assert.deepEqual(lease?.resourceNames, ['palisade-cleanup-controller']);
    const extra = one(list, 'ClusterRole', 'palisade-cleanup-controller-additional');
    assert.equal(extra.metadata.labels?.['rbac.palisade.io/aggregate-to-cleanup-controller'], 'true');
    assert.deepEqual(extra.rules?.[0]?.verbs, ['delete']);
  });

  test('disabled: nothing of them, and serve does not run them', () => {
    const list = render('cleanupController.enabled=false');
    assert.ok(!list.some((o) => o.metadata.name.startsWith('palisade-cleanup-controller')));
    assert.ok(podSpec(list).containers[0]!.args.includes('--cleanup-controller=false'));
  });
});

describe('the Helm chart: reports and background controllers', { skip: helmSkip() }, () => {
  type Binding = K8sObject & { subjects: { name: string }[]; roleRef: { name: string } };
  const subjectsOf = (list: readonly K8sObject[], name: string) =>
    (one(list, 'ClusterRoleBinding', name) as Binding).subjects.map((s) => s.name);
  const specOf = (d: K8sObject) =>
    (d.spec as { template: { spec: PodSpec & { serviceAccountName: string } } }).template.spec;
  const grants = (role: K8sObject, resource: string, verb: string) =>
    role.rules?.some((r) => r.resources.includes(resource) && r.verbs.includes(verb)) === true;

  test('by default serve runs them: its account holds the report rights, the view and background bindings', () => {
    const list = render();
    const args = podSpec(list).containers[0]!.args;
    assert.ok(!args.includes('--reports-controller=false'));
    assert.ok(!args.includes('--background-controller=false'));
    assert.ok(grants(one(list, 'ClusterRole', 'palisade'), 'policyreports', 'create'));
    assert.deepEqual(subjectsOf(list, 'palisade:view'), ['palisade']);
    assert.deepEqual(subjectsOf(list, 'palisade-background'), ['palisade']);
    assert.ok(!list.some((o) => /-(reports|background)-controller$/.test(o.metadata.name)));
  });

  test('separate: a Deployment, account, Lease and narrowed roles each; serve records only', () => {
    const list = render(
      'reportsController.separate=true',
      'backgroundController.separate=true',
      'reports.openreports=true',
      'serve.policyExceptions.enabled=true',
      'serve.policyExceptions.namespace=exceptions',
      'rbac.extraRules[0].apiGroups[0]=',
      'rbac.extraRules[0].resources[0]=secrets',
      'rbac.extraRules[0].verbs[0]=get',
    );
    const deployments = list.filter((o) => o.kind === 'Deployment');
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), [
      'palisade',
      'palisade-background-controller',
      'palisade-reports-controller',
    ]);
    const serve = specOf(deployments.find((d) => d.metadata.name === 'palisade')!).containers[0]!.args;
    assert.ok(
      serve.includes('--reports-controller=false') && serve.includes('--background-controller=false'),
    );
    // Serve keeps recording (ConfigMaps in its namespace) but loses the report rights and the view role.
    const serveRole = one(list, 'ClusterRole', 'palisade');
    assert.ok(!grants(serveRole, 'policyreports', 'create'));
    assert.ok(grants(one(list, 'Role', 'palisade'), 'configmaps', 'create'));
    assert.deepEqual(subjectsOf(list, 'palisade:view'), ['palisade-reports-controller']);
    assert.deepEqual(subjectsOf(list, 'palisade-background'), ['palisade-background-controller']);
    // Serve still evaluates generate rules at admission, which read their targets: read only.
    assert.deepEqual(subjectsOf(list, 'palisade-background-view'), [
      'palisade-background-controller',
      'palisade',
    ]);
    assert.deepEqual(subjectsOf(list, 'palisade-background-read'), ['palisade']);
    const read = one(list, 'ClusterRole', 'palisade-background-read');
    assert.ok(grants(read, 'networkpolicies', 'get') && !grants(read, 'networkpolicies', 'create'));
    for (const name of ['reports', 'background']) {
      const full = `palisade-${name}-controller`;
      const spec = specOf(deployments.find((d) => d.metadata.name === full)!);
      assert.equal(spec.serviceAccountName, full);
      const args = spec.containers[0]!.args;
      assert.deepEqual(args.slice(0, 2), ['controller', name]);
      for (const want of [
        `--lease-name=${full}`,
        '--resync-period=1m',
        '--enable-policy-exception',
        '--exception-namespace=exceptions',
      ])
        assert.ok(args.includes(want), `${full}: ${want}`);
      assert.equal(args.includes('--openreports-enabled'), name === 'reports');
      const lease = one(list, 'Role', full).rules?.find((r) => r.resourceNames !== undefined);
      assert.deepEqual(lease?.resourceNames, [full]);
      // The records serve leaves: read and removed, never written.
      const records = one(list, 'Role', full).rules?.find((r) => r.resources.includes('configmaps'));
      assert.deepEqual(records?.verbs, ['get', 'list', 'delete']);
      const role = one(list, 'ClusterRole', full);
      assert.ok(grants(role, 'clusterpolicies', 'watch') && grants(role, 'rolebindings', 'watch'));
      assert.ok(grants(role, 'secrets', 'get'), 'rbac.extraRules');
      assert.equal(grants(role, 'policyreports', 'create'), name === 'reports');
      assert.ok(!grants(role, 'validatingwebhookconfigurations', 'create'));
      assert.deepEqual(subjectsOf(list, full), [full]);
    }
  });

  test('reports disabled: no reports Deployment even when separate, serve records nothing', () => {
    const list = render('reports.enabled=false', 'reportsController.separate=true');
    assert.ok(!list.some((o) => o.metadata.name === 'palisade-reports-controller'));
    assert.ok(podSpec(list).containers[0]!.args.includes('--background-scan=false'));
  });
});

describe('the Helm chart: events, and the separate controllers’ PDB and NetworkPolicy', {
  skip: helmSkip(),
}, () => {
  const ALL_SEPARATE = [
    'reportsController.separate=true',
    'backgroundController.separate=true',
    'cleanupController.separate=true',
  ];
  const CONTROLLERS = ['reports', 'background', 'cleanup'].map((c) => `palisade-${c}-controller`);
  const argsOf = (list: readonly K8sObject[], name: string): string[] =>
    (one(list, 'Deployment', name).spec as { template: { spec: PodSpec } }).template.spec.containers[0]!.args;
  const labelsOf = (list: readonly K8sObject[], name: string): Record<string, string> =>
    (one(list, 'Deployment', name).spec as { template: { metadata: { labels: Record<string, string> } } })
      .template.metadata.labels;
  const createsEvents = (role: K8sObject): boolean =>
    role.rules?.some(
      (r) =>
        r.apiGroups.includes('events.k8s.io') &&
        r.resources.includes('events') &&
        r.verbs.includes('create') &&
        r.verbs.includes('patch'),
    ) === true;

  test('every process gets Kyverno’s default --omit-events and --max-queued-events; values change them', () => {
    for (const list of [render(...ALL_SEPARATE)])
      for (const name of ['palisade', ...CONTROLLERS]) {
        const args = argsOf(list, name);
        assert.ok(args.includes('--omit-events=PolicyApplied,PolicySkipped'), `${name}: ${args.join(' ')}`);
        assert.ok(args.includes('--max-queued-events=1000'), name);
      }
    const changed = render(...ALL_SEPARATE, 'events.omit={PolicyViolation}', 'events.maxQueued=50');
    for (const name of ['palisade', ...CONTROLLERS]) {
      assert.ok(argsOf(changed, name).includes('--omit-events=PolicyViolation'), name);
      assert.ok(argsOf(changed, name).includes('--max-queued-events=50'), name);
    }
    assert.ok(
      argsOf(render('events.omit=null'), 'palisade').includes('--omit-events='),
      'an empty list emits all',
    );
  });

  test('the ClusterRole of every ServiceAccount may create and patch events', () => {
    const together = render();
    assert.ok(createsEvents(one(together, 'ClusterRole', 'palisade')), 'serve');
    assert.ok(
      createsEvents(one(together, 'ClusterRole', 'palisade-cleanup-controller-core')),
      'cleanup in serve',
    );
    const apart = render(...ALL_SEPARATE);
    for (const name of ['palisade', 'palisade-reports-controller', 'palisade-background-controller'])
      assert.ok(createsEvents(one(apart, 'ClusterRole', name)), name);
    assert.ok(createsEvents(one(apart, 'ClusterRole', 'palisade-cleanup-controller-core')), 'cleanup');
  });

  test('each separate controller has a PodDisruptionBudget and a NetworkPolicy selecting its own pods', () => {
    const list = render(...ALL_SEPARATE);
    for (const name of CONTROLLERS) {
      const pods = labelsOf(list, name);
      const pdb = one(list, 'PodDisruptionBudget', name);
      const pdbSpec = pdb.spec as {
        maxUnavailable: number;
        selector: { matchLabels: Record<string, string> };
      };
      assert.equal(pdbSpec.maxUnavailable, 1);
      const np = one(list, 'NetworkPolicy', name);
      const npSpec = np.spec as {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: { ports: { port: string }[]; from: unknown[] }[];
      };
      for (const selector of [pdbSpec.selector.matchLabels, npSpec.podSelector.matchLabels]) {
        for (const [k, v] of Object.entries(selector)) assert.equal(pods[k], v, `${name}: ${k}`);
        assert.equal(selector['app.kubernetes.io/component'], name.replace(/^palisade-/, ''));
      }
      assert.deepEqual(npSpec.policyTypes, ['Ingress']);
      // Only the metrics port, only from the scrapers' namespace.
      assert.deepEqual(
        npSpec.ingress.map((i) => i.ports.map((p) => p.port)),
        [['metrics']],
      );
      assert.deepEqual(npSpec.ingress[0]?.from, [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      ]);
    }
    // The admission Deployment keeps its own, which does not select the controllers' pods.
    const serveNp = one(list, 'NetworkPolicy', 'palisade').spec as {
      podSelector: { matchLabels: Record<string, string> };
    };
    assert.equal(serveNp.podSelector.matchLabels['app.kubernetes.io/component'], 'admission-webhook');
  });

  test('without metricsFrom a controller takes no ingress; the PDB and NetworkPolicy follow their switches', () => {
    const closed = render(...ALL_SEPARATE, 'networkPolicy.metricsFrom=null');
    for (const name of CONTROLLERS)
      assert.deepEqual((one(closed, 'NetworkPolicy', name).spec as { ingress: unknown[] }).ingress, []);
    const off = render(...ALL_SEPARATE, 'podDisruptionBudget.enabled=false', 'networkPolicy.enabled=false');
    assert.ok(!off.some((o) => o.kind === 'PodDisruptionBudget' || o.kind === 'NetworkPolicy'));
    // Not separate: no controller Deployment, so none of theirs.
    const together = render();
    assert.deepEqual(
      together
        .filter((o) => o.kind === 'PodDisruptionBudget' || o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name),
      ['palisade', 'palisade'],
    );
  });
});
