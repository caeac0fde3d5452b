// The mutate-existing controller on the real API server (issue #15): `palisade serve` in cluster
// mode, as leader, patches the targets of mutate-existing rules when their trigger is admitted
// (CREATE, and DELETE for a rule naming it), a policy created later with
// mutateExistingOnPolicyUpdate patches the targets of existing triggers, a MutatingPolicy with
// targetMatchConstraints does both, a `Kind/status` target is written to its status subresource, and
// a namespaced Policy or NamespacedMutatingPolicy never patches outside its namespace.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeLoopbackCertificate } from '../support/loopback-certificate.js';
import {
  removeWebhookConfigurations,
  type ServeProcess,
  startLeadingServe,
} from '../support/serve-cluster-process.js';
import { eventually, startTestbed, type Testbed, testbedSkip } from '../support/testbed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CM = (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const RECORDS =
  '/api/v1/namespaces/palisade/configmaps?labelSelector=palisade.kyverno.io%2Fmutate-request%3Dtrue';

/** A ClusterPolicy/Policy rule: a ConfigMap labelled `trigger: <label>` labels `target`. */
const rule = (name: string, label: string, target: string, extra = '') => `    - name: ${name}
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  trigger: ${label}
${extra}      mutate:
        targets:
${target}
        patchStrategicMerge:
          metadata:
            labels:
              ${name}: "{{ request.object.metadata.name }}"
`;

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: on-trigger
spec:
  rules:
${rule('created', 'create', '          - {apiVersion: v1, kind: ConfigMap, namespace: app, name: target}')}${rule(
  'deleted',
  'delete',
  '          - {apiVersion: v1, kind: ConfigMap, namespace: app, name: target}',
).replace('kinds: [ConfigMap]', 'kinds: [ConfigMap]\n              operations: [DELETE]')}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: lb-status
spec:
  rules:
    - name: status
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  trigger: status
      mutate:
        targets:
          - {apiVersion: v1, kind: Service/status, namespace: app, name: lb}
        patchStrategicMerge:
          status:
            loadBalancer:
              ingress:
                - ip: 192.0.2.10
---
apiVersion: kyverno.io/v1
kind: Policy
metadata:
  name: escape
  namespace: team
spec:
  rules:
${rule('escape', 'escape', '          - {apiVersion: v1, kind: ConfigMap, namespace: other, name: victim}\n          - {apiVersion: v1, kind: ConfigMap, namespace: "*", name: "*"}')}---
apiVersion: policies.kyverno.io/v1beta1
kind: NamespacedMutatingPolicy
metadata:
  name: nmpol-escape
  namespace: team
spec:
  evaluation:
    mutateExisting: {enabled: true}
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [secrets]}
  targetMatchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
  mutations:
    - patchType: ApplyConfiguration
      applyConfiguration:
        expression: 'Object{metadata: Object.metadata{labels: {"nmpol": "was-here"}}}'
`;

const LATE_POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: late
spec:
  rules:
${rule(
  'late',
  'late',
  '          - {apiVersion: v1, kind: ConfigMap, namespace: late, name: "late-*"}',
).replace('      mutate:\n', '      mutate:\n        mutateExistingOnPolicyUpdate: true\n')}`;

const MPOL = `apiVersion: policies.kyverno.io/v1beta1
kind: MutatingPolicy
metadata:
  name: mpol
spec:
  evaluation:
    mutateExisting: {enabled: true}
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [serviceaccounts]}
    namespaceSelector:
      matchLabels: {mpol: "yes"}
  targetMatchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
    objectSelector:
      matchLabels: {mpol-target: "yes"}
  mutations:
    - patchType: ApplyConfiguration
      applyConfiguration:
        expression: 'Object{metadata: Object.metadata{labels: {"mpol": "done"}}}'
`;

async function body(tb: Testbed, path: string): Promise<Record<string, unknown> | undefined> {
  const r = await tb.api('GET', path);
  return r.status === 200 ? (r.body as Record<string, unknown>) : undefined;
}

const labels = (o: Record<string, unknown> | undefined): Record<string, string> =>
  ((o?.metadata as { labels?: Record<string, string> })?.labels ?? {}) as Record<string, string>;

const configMap = (ns: string, name: string, l: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: ${JSON.stringify(l)}\ndata: {a: b}\n`;

describe('the mutate-existing controller on the real API server', { skip: testbedSkip() }, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-mutate-existing-'));
  const apply = async (yaml: string) => {
    const r = await tb.kubectl(['apply', '-f', '-'], yaml);
    assert.equal(r.code, 0, r.stderr);
  };
  /** Admission records left unprocessed (none once the leader has caught up). */
  const pending = async () =>
    ((await tb.api('GET', RECORDS)).body as { items?: unknown[] }).items?.length ?? 0;

  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'app', 'team', 'other', 'late'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    await apply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mp\n  labels: {mpol: "yes"}\n');
    for (const file of [
      'kyverno.io_clusterpolicies.yaml',
      'kyverno.io_policies.yaml',
      'policies.kyverno.io_mutatingpolicies.yaml',
      'policies.kyverno.io_namespacedmutatingpolicies.yaml',
    ]) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/kyverno.io/v1/policies')).status === 200 &&
      (await tb.api('GET', '/apis/policies.kyverno.io/v1beta1/namespacedmutatingpolicies')).status === 200
        ? true
        : undefined,
    );
    // Targets and triggers that exist before any policy.
    await apply(
      [
        configMap('app', 'target'),
        configMap('team', 'own'),
        configMap('other', 'victim'),
        configMap('late', 'late-1'),
        configMap('late', 'late-trigger', { trigger: 'late' }),
        configMap('mp', 'mp-target', { 'mpol-target': 'yes' }),
        configMap('other', 'mp-outside', { 'mpol-target': 'yes' }),
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: mp-trigger\n  namespace: mp\n',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\n  namespace: app\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n',
      ].join('---\n'),
    );
    await eventually('the policies applied', 30_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], POLICIES);
      return r.code === 0 ? true : undefined;
    });
    serve = await startLeadingServe(tb.kubeconfig, cert, key);
  });
  after(async () => {
    await serve?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('creating a trigger patches the target; deleting one patches it for a rule naming DELETE', async () => {
    await eventually('the trigger admitted', 30_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], configMap('app', 'trigger-1', { trigger: 'create' }));
      return r.code === 0 ? true : undefined;
    });
    const patched = await eventually('the target patched', 30_000, async () => {
      const o = await body(tb, CM('app', 'target'));
      return labels(o).created === 'trigger-1' ? o : undefined;
    });
    assert.deepEqual(patched.data, { a: 'b' }, 'the rest of the target is kept');
    assert.equal(labels(patched).deleted, undefined);
    await apply(configMap('app', 'doomed', { trigger: 'delete' }));
    assert.equal((await tb.api('DELETE', CM('app', 'doomed'))).status, 200);
    await eventually('the target patched for the deleted trigger', 30_000, async () =>
      labels(await body(tb, CM('app', 'target'))).deleted === 'doomed' ? true : undefined,
    );
  });

  test('a Kind/status target is patched through its status subresource', async () => {
    await apply(configMap('app', 'status-trigger', { trigger: 'status' }));
    const svc = await eventually('the load balancer status written', 30_000, async () => {
      const o = await body(tb, '/api/v1/namespaces/app/services/lb');
      const ingress = (o?.status as { loadBalancer?: { ingress?: { ip?: string }[] } })?.loadBalancer
        ?.ingress;
      return ingress?.[0]?.ip === '192.0.2.10' ? o : undefined;
    });
    assert.equal((svc.spec as { type?: string }).type, 'LoadBalancer');
  });

  test('a policy created later with mutateExistingOnPolicyUpdate patches the targets of existing triggers', async () => {
    assert.equal(labels(await body(tb, CM('late', 'late-1'))).late, undefined);
    await apply(LATE_POLICY);
    await eventually('the existing target patched', 30_000, async () =>
      labels(await body(tb, CM('late', 'late-1'))).late === 'late-trigger' ? true : undefined,
    );
  });

  test('a MutatingPolicy with targetMatchConstraints patches existing targets when created, and again for an admitted trigger', async () => {
    await apply(MPOL);
    await eventually('the existing target patched', 30_000, async () =>
      labels(await body(tb, CM('mp', 'mp-target'))).mpol === 'done' ? true : undefined,
    );
    assert.equal(labels(await body(tb, CM('mp', 'mp-target2'))).mpol, undefined);
    await apply(configMap('mp', 'mp-target2', { 'mpol-target': 'yes' }));
    await apply('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: mp-trigger-2\n  namespace: mp\n');
    await eventually('the new target patched for the admitted trigger', 30_000, async () =>
      labels(await body(tb, CM('mp', 'mp-target2'))).mpol === 'done' ? true : undefined,
    );
  });

  test('a namespaced Policy or NamespacedMutatingPolicy never patches outside its namespace', async () => {
    await apply(configMap('team', 'escaper', { trigger: 'escape' }));
    await apply('apiVersion: v1\nkind: Secret\nmetadata:\n  name: nmpol-trigger\n  namespace: team\n');
    await eventually('own-namespace targets patched', 30_000, async () => {
      const own = labels(await body(tb, CM('team', 'own')));
      return own.escape === 'escaper' && own.nmpol === 'was-here' ? true : undefined;
    });
    try {
      await eventually('every admission record processed', 30_000, async () =>
        (await pending()) === 0 ? true : undefined,
      );
    } catch (e) {
      console.log(JSON.stringify((await tb.api('GET', RECORDS)).body).slice(0, 3000));
      console.log(
        serve.logs
          .slice(-40)
          .map((l) => JSON.stringify(l))
          .join('\n'),
      );
      throw e;
    }
    for (const [ns, name] of [
      ['other', 'victim'],
      ['other', 'mp-outside'],
      ['app', 'target'],
    ] as const) {
      const l = labels(await body(tb, CM(ns, name)));
      assert.equal(l.escape, undefined, `${ns}/${name} patched by the namespaced Policy`);
      assert.equal(l.nmpol, undefined, `${ns}/${name} patched by the NamespacedMutatingPolicy`);
    }
  });
});
