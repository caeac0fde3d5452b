// Namespaced policies stay in their namespace (issue #15), tried through the real API server with
// `palisade serve` in cluster mode: a Policy, NamespacedValidatingPolicy, NamespacedGeneratingPolicy
// or NamespacedMutatingPolicy in namespace `team` tries to read a Secret of namespace `other`
// (apiCall `urlPath` with `..`, `%2e%2e`, `%2E%2E`, `#`, `?`; a ConfigMap context; the CEL resource
// library's Get and List), to generate into `other` or clone from it, and to patch a ConfigMap there.
// Every read is refused (the request is denied with the refusal, never with what the Secret holds),
// nothing appears in `other` and nothing there is patched; the same reads inside `team` work.
// Admission probes are server-side dry runs, so they leave nothing behind.
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
const SECRET = 's3cret-value-in-other';
const OWN = 'own-value-in-team';

/** apiCall paths that lead to namespace `other` (or everywhere) while naming `team` somewhere. */
const ESCAPES: readonly (readonly [string, string])[] = [
  ['dotdot', '/api/v1/namespaces/team/../other/secrets/leak'],
  ['encoded', '/api/v1/namespaces/team/%2e%2e/other/secrets/leak'],
  ['encoded-upper', '/api/v1/namespaces/team/%2E%2E/other/secrets/leak'],
  ['mixed', '/api/v1/namespaces/team/.%2E/other/secrets/leak'],
  ['fragment', '/api/v1/namespaces/other/secrets/leak#/api/v1/namespaces/team/'],
  ['query', '/api/v1/namespaces/other/secrets/leak?x=/api/v1/namespaces/team/'],
  ['list-fragment', '/api/v1/secrets#/namespaces/team/'],
  ['list-query', '/api/v1/secrets?x=/namespaces/team/'],
  ['cluster', '/api/v1/secrets'],
];

/** One validate rule: a ConfigMap labelled `probe: <name>` is denied, saying whether `leak` holds `marker`. */
const probeRule = (name: string, context: string, marker: string) => `    - name: ${name}
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels:
                  probe: ${name}
      context:
${context}
      validate:
        deny:
          conditions:
            any:
              - key: "{{ contains(leak, '${marker}') }}"
                operator: Equals
                value: true
        message: "READ-${marker}"
`;

const apiCall = (path: string) => `        - name: leak
          apiCall:
            urlPath: "${path}"
            jmesPath: "to_string(@)"`;

const POLICIES = `apiVersion: kyverno.io/v1
kind: Policy
metadata:
  name: probes
  namespace: team
spec:
  validationFailureAction: Enforce
  background: false
  rules:
${ESCAPES.map(([name, path]) => probeRule(name, apiCall(path), SECRET)).join('')}${probeRule(
  'configmap',
  `        - name: cm
          configMap: {name: leak, namespace: other}
        - name: leak
          variable:
            jmesPath: "to_string(cm)"`,
  SECRET,
)}${probeRule('own-path', apiCall('/api/v1/namespaces/team/configmaps/own'), OWN)}${probeRule(
  'own-configmap',
  `        - name: cm
          configMap: {name: own, namespace: team}
        - name: leak
          variable:
            jmesPath: "to_string(cm)"`,
  OWN,
)}---
apiVersion: policies.kyverno.io/v1beta1
kind: NamespacedValidatingPolicy
metadata:
  name: cel-probes
  namespace: team
spec:
  validationActions: [Deny]
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
    objectSelector:
      matchLabels: {cel-probe: "yes"}
  validations:
    - expression: "object.metadata.labels['cel'] != 'get' || string(resource.Get('v1', 'secrets', 'other', 'leak').data) == ''"
      message: READ-GET
    - expression: "object.metadata.labels['cel'] != 'list' || resource.List('v1', 'secrets', '').items.size() < 0"
      message: READ-LIST
    - expression: "object.metadata.labels['cel'] != 'own' || resource.Get('v1', 'configmaps', 'team', 'own').data.value != '${OWN}'"
      message: READ-OWN
---
apiVersion: kyverno.io/v1
kind: Policy
metadata:
  name: writes
  namespace: team
spec:
  rules:
    - name: clone-from-other
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels: {write: "yes"}
      generate:
        apiVersion: v1
        kind: Secret
        name: cloned
        namespace: team
        clone: {namespace: other, name: leak}
    - name: generate-into-other
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels: {write: "yes"}
      generate:
        apiVersion: v1
        kind: ConfigMap
        name: planted
        namespace: other
        data:
          data: {a: b}
    - name: patch-other
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              selector:
                matchLabels: {write: "yes"}
      mutate:
        targets:
          - {apiVersion: v1, kind: ConfigMap, namespace: other, name: victim}
        patchStrategicMerge:
          metadata:
            labels: {patched: "by-team"}
---
apiVersion: policies.kyverno.io/v1beta1
kind: NamespacedGeneratingPolicy
metadata:
  name: gpol-writes
  namespace: team
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
    objectSelector:
      matchLabels: {write: "yes"}
  variables:
    - name: planted
      expression: '[{"kind": dyn("ConfigMap"), "apiVersion": dyn("v1"), "metadata": dyn({"name": "gpol-planted"}), "data": dyn({"a": "b"})}]'
  generate:
    - expression: generator.Apply("other", variables.planted)
    - expression: 'generator.Apply("team", [resource.Get("v1", "secrets", "other", "leak")])'
---
apiVersion: policies.kyverno.io/v1beta1
kind: NamespacedMutatingPolicy
metadata:
  name: mpol-writes
  namespace: team
spec:
  evaluation:
    mutateExisting: {enabled: true}
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
    objectSelector:
      matchLabels: {write: "yes"}
  targetMatchConstraints:
    expression: "resource.List('v1', 'configmaps', 'other')"
  mutations:
    - patchType: ApplyConfiguration
      applyConfiguration:
        expression: 'Object{metadata: Object.metadata{labels: {"patched": "by-nmpol"}}}'
`;

const configMap = (ns: string, name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data: { a: 'b' },
});

const message = (body: unknown): string => String((body as { message?: unknown })?.message ?? '');

describe('namespaced policies stay in their namespace, on the real API server', {
  skip: testbedSkip(),
}, () => {
  let tb: Testbed;
  let serve: ServeProcess;
  const work = mkdtempSync(join(tmpdir(), 'palisade-confinement-'));
  const apply = async (yaml: string) => {
    const r = await tb.kubectl(['apply', '-f', '-'], yaml);
    assert.equal(r.code, 0, r.stderr);
  };
  /** A dry-run CREATE in `team`: the admission answer, with nothing stored. */
  const probe = async (labels: Record<string, string>) => {
    const r = await tb.api(
      'POST',
      '/api/v1/namespaces/team/configmaps?dryRun=All',
      configMap('team', `probe-${Object.values(labels).join('-')}`, labels),
    );
    return { status: r.status, message: message(r.body) };
  };

  before(async () => {
    tb = await startTestbed();
    const { cert, key } = writeLoopbackCertificate(work);
    for (const ns of ['palisade', 'team', 'other'])
      assert.equal((await tb.kubectl(['create', 'namespace', ns])).code, 0);
    await apply(
      [
        `apiVersion: v1\nkind: Secret\nmetadata: {name: leak, namespace: other, labels: {marker: ${SECRET}}}\nstringData: {value: ${SECRET}}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak, namespace: other}\ndata: {value: ${SECRET}}\n`,
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: victim, namespace: other}\ndata: {a: b}\n',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: own, namespace: team}\ndata: {value: ${OWN}}\n`,
      ].join('---\n'),
    );
    for (const file of [
      'kyverno.io_policies.yaml',
      'kyverno.io_clusterpolicies.yaml',
      'policies.kyverno.io_namespacedvalidatingpolicies.yaml',
      'policies.kyverno.io_namespacedgeneratingpolicies.yaml',
      'policies.kyverno.io_namespacedmutatingpolicies.yaml',
    ]) {
      const crd = await tb.kubectl(['apply', '--server-side', '-f', join(ROOT, 'config/crds', file)]);
      assert.equal(crd.code, 0, crd.stderr);
    }
    await eventually('the CRDs served', 20_000, async () =>
      (await tb.api('GET', '/apis/policies.kyverno.io/v1beta1/namespacedmutatingpolicies')).status === 200 &&
      (await tb.api('GET', '/apis/kyverno.io/v1/policies')).status === 200
        ? true
        : undefined,
    );
    await eventually('the policies applied', 30_000, async () => {
      const r = await tb.kubectl(['apply', '-f', '-'], POLICIES);
      return r.code === 0 ? true : undefined;
    });
    serve = await startLeadingServe(tb.kubeconfig, cert, key);
    // The webhooks are live once a control probe inside `team` is answered by the policy.
    await eventually('the webhooks answering', 30_000, async () =>
      (await probe({ probe: 'own-path' })).message.includes(`READ-${OWN}`) ? true : undefined,
    );
  });
  after(async () => {
    await serve?.kill();
    if (tb !== undefined) await removeWebhookConfigurations((m, p) => tb.api(m, p));
    await tb?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('inside its namespace, apiCall and ConfigMap context read (the control)', async () => {
    for (const name of ['own-path', 'own-configmap']) {
      const r = await probe({ probe: name });
      assert.equal(r.status, 400, name);
      assert.match(r.message, new RegExp(`READ-${OWN}`), name);
    }
  });

  for (const [name, path] of [...ESCAPES, ['configmap', 'configMap {name: leak, namespace: other}'] as const])
    test(`apiCall / context "${name}" (${path}) is refused before anything is read`, async () => {
      const r = await probe({ probe: name });
      assert.equal(r.status, 400, `${name}: ${r.message}`);
      assert.doesNotMatch(r.message, /READ-/, `${name} read the other namespace: ${r.message}`);
      assert.match(
        r.message,
        /namespace segment|different from (the )?policy namespace|"#", "%"|"\." or "\.\."|not sent as written|reads only in its namespace/,
        r.message,
      );
    });

  test('CEL resource.Get and resource.List outside the namespace are refused; inside it they read', async () => {
    for (const cel of ['get', 'list']) {
      const r = await probe({ 'cel-probe': 'yes', cel });
      assert.equal(r.status, 400, `${cel}: ${r.message}`);
      assert.doesNotMatch(r.message, /READ-/, `${cel} read outside: ${r.message}`);
      assert.match(r.message, /reads only in its namespace/, r.message);
    }
    const own = await probe({ 'cel-probe': 'yes', cel: 'own' });
    assert.match(own.message, /READ-OWN/, own.message);
  });

  test('generate targets, clone sources and mutate targets outside the namespace are never written or read', async () => {
    const trigger = await tb.api(
      'POST',
      '/api/v1/namespaces/team/configmaps',
      configMap('team', 'writer', { write: 'yes' }),
    );
    assert.equal(trigger.status, 201, message(trigger.body));
    // Generate wants nothing (admission refused both rules and both generator calls: no record);
    // the mutate-existing record is processed and retried (the NamespacedMutatingPolicy's target
    // expression is refused), the Policy's target was looked for in `team` only.
    await serve.waitFor('mutate-existing failed; retrying', 60_000, (l) => /namespace/.test(String(l.error)));
    for (const path of [
      '/api/v1/namespaces/other/configmaps/planted',
      '/api/v1/namespaces/other/configmaps/gpol-planted',
      '/api/v1/namespaces/team/secrets/cloned',
      '/api/v1/namespaces/team/secrets/leak',
    ])
      assert.equal((await tb.api('GET', path)).status, 404, `${path} exists`);
    const victim = (await tb.api('GET', '/api/v1/namespaces/other/configmaps/victim')).body as {
      metadata?: { labels?: Record<string, string> };
    };
    assert.equal(victim.metadata?.labels?.patched, undefined, 'the other namespace was patched');
    const leak = (await tb.api('GET', '/api/v1/namespaces/other/configmaps/leak')).body as {
      metadata?: { labels?: Record<string, string> };
    };
    assert.equal(leak.metadata?.labels?.patched, undefined, 'the other namespace was patched');
  });
});
