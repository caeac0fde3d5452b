// The `cli` profile keeps Kyverno's CLI processor order and quirks (reference §8.3, §8.6;
// processor/policy_processor.go). Assertions carried over from the former cli/run evaluators.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../model/kube-object.js';
import { evaluateAuthzPayload, evaluatePayload } from './admit.js';
import { requestForObject } from './request.js';
import {
  admitCli,
  clusterPolicy,
  mutatingPolicy,
  pod,
  podRule,
  setOf,
  statuses,
  validatingPolicy,
} from './testdata/policies.js';

const deployment = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('legacy policies: mutate and validate first, generate rules last', () => {
  const namespaceSetup = clusterPolicy('namespace-setup', {
    rules: [
      {
        name: 'need-owner',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        validate: { message: 'owner label required', pattern: { metadata: { labels: { owner: '?*' } } } },
      },
      {
        name: 'owner-configmap',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        generate: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'owner',
          namespace: '{{request.object.metadata.name}}',
          synchronize: false,
          data: { data: { owner: '{{request.object.metadata.labels.owner}}' } },
        },
      },
    ],
  });
  const addOwner = mutatingPolicy('add-owner', {
    matchConstraints: podRule(['namespaces']),
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"owner": "web"}}}' },
      },
    ],
  });
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: {} } };
  const owned: KubeObject = { ...ns, metadata: { name: 'shop', labels: { owner: 'web' } } };

  test('generate rules run after the MutatingPolicies, on the object they left', async () => {
    const out = await admitCli(setOf(namespaceSetup, addOwner), ns);
    assert.deepEqual(
      out.responses.map((r) => [r.policy.name, r.response.rules.map((x) => [x.name, x.status])]),
      [
        ['namespace-setup', [['need-owner', 'fail']]],
        ['add-owner', [['', 'pass']]],
        ['namespace-setup', [['owner-configmap', 'pass']]],
      ],
    );
    const cm = out.generated[0]?.object as { data?: unknown } | undefined;
    assert.deepEqual(cm?.data, { owner: 'web' });
    // The validate rule saw the resource as loaded, the generate rule the mutated one.
    assert.equal(out.responses[0]?.response.resource, ns);
    assert.deepEqual(out.responses[2]?.response.resource.metadata?.labels, { owner: 'web' });
  });

  test('without mutating kinds both phases see the resource as loaded', async () => {
    const out = await admitCli(setOf(namespaceSetup), owned);
    assert.deepEqual(
      out.responses.map((r) => r.response.rules.map((x) => [x.name, x.status])),
      [[['need-owner', 'pass']], [['owner-configmap', 'pass']]],
    );
    assert.equal(out.patchedObject, owned);
  });
});

describe('legacy policies: every mutation before any validate rule (processor/policy_processor.go)', () => {
  const match = { any: [{ resources: { kinds: ['Pod'] } }] };
  const needs = (label: string) => ({
    name: `check-${label}`,
    match,
    validate: { message: `need ${label}`, pattern: { metadata: { labels: { [label]: '1' } } } },
  });
  const adds = (label: string) => ({
    name: `add-${label}`,
    match,
    mutate: { patchStrategicMerge: { metadata: { labels: { [label]: '1' } } } },
  });
  // `a` validates what the later `b` adds; `c` (no mutate rules) what `a` adds.
  const a = clusterPolicy('a', { rules: [needs('y'), adds('x')] });
  const b = clusterPolicy('b', { rules: [adds('y')] });
  const c = clusterPolicy('c', { rules: [needs('x')] });
  const table: [string, ReturnType<typeof clusterPolicy>[], [string, [string, string][]][]][] = [
    [
      'a validate rule sees what a later policy mutated; one response per policy, in run order',
      [a, c, b],
      [
        [
          'a',
          [
            ['add-x', 'pass'],
            ['check-y', 'pass'],
          ],
        ],
        ['b', [['add-y', 'pass']]],
        ['c', [['check-x', 'pass']]],
      ],
    ],
    [
      'without the later mutation the validate rule fails',
      [a, c],
      [
        [
          'a',
          [
            ['add-x', 'pass'],
            ['check-y', 'fail'],
          ],
        ],
        ['c', [['check-x', 'pass']]],
      ],
    ],
  ];
  for (const [name, docs, expected] of table)
    test(name, async () => {
      const out = await admitCli(setOf(...docs), pod('p'));
      assert.deepEqual(
        out.responses.map((r) => [r.policy.name, r.response.rules.map((x) => [x.name, x.status])]),
        expected,
      );
      assert.deepEqual(
        out.patchedObject?.metadata?.labels,
        docs.includes(b) ? { x: '1', y: '1' } : { x: '1' },
      );
    });
});

describe('ValidatingPolicies', () => {
  const noDefaultNs = validatingPolicy('no-default-ns', {
    validationActions: ['Audit'],
    matchConstraints: podRule(),
    validations: [{ expression: "object.metadata.namespace != 'default'", message: 'default namespace' }],
  });
  test('a Deployment answers through the autogen variant; the unmatched single-rule base is dropped', async () => {
    const out = await admitCli(setOf(noDefaultNs), deployment('d', 'default'));
    // The pods rule (one plain rule) is dropped; the defaults variant answers; the cronjobs one is dropped.
    assert.deepEqual(
      out.responses.map((e) => e.response.rules.map((r) => r.status)),
      [['fail']],
    );
    assert.equal(out.responses[0]?.policy.name, 'no-default-ns');
    assert.equal(out.responses[0]?.response.validationFailureAction, 'Audit');
  });
  test('an unmatched policy with several resource rules still answers, with no rules', async () => {
    const multi = validatingPolicy('multi', {
      matchConstraints: {
        resourceRules: [
          ...podRule().resourceRules,
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
        ],
      },
      validations: [{ expression: 'true' }],
    });
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
    };
    const out = await admitCli(setOf(multi), cm);
    assert.deepEqual(
      out.responses.map((e) => e.response.rules.length),
      [0],
    );
  });
  test('the request operation reaches the policy (UPDATE sees oldObject)', async () => {
    const onUpdate = validatingPolicy('on-update', {
      matchConstraints: podRule(['pods'], ['UPDATE']),
      validations: [{ expression: "request.operation == 'UPDATE' && oldObject != null" }],
    });
    const set = setOf(onUpdate);
    assert.deepEqual(
      (await admitCli(set, pod('p', 'foo'))).responses.flatMap((e) => e.response.rules),
      [],
    );
    const out = await admitCli(set, pod('p', 'foo'), { operation: 'UPDATE' });
    assert.equal(out.responses[0]?.response.rules[0]?.status, 'pass');
  });
});

describe('Kyverno CLI order across kinds', () => {
  const addTeam = mutatingPolicy('add-team', {
    matchConstraints: podRule(),
    autogen: { podControllers: { controllers: [] } },
    matchConditions: [
      { name: 'has-owner', expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels" },
    ],
    mutations: [
      {
        patchType: 'JSONPatch',
        jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/labels/team", value: "a"}]' },
      },
    ],
  });
  const requireTeam = validatingPolicy('require-team', {
    validationActions: ['Audit'],
    matchConstraints: podRule(),
    autogen: { podControllers: { controllers: [] } },
    validations: [{ expression: "'team' in object.metadata.?labels.orValue({})", message: 'team label' }],
  });
  const addOwner = clusterPolicy('add-owner', {
    rules: [
      {
        name: 'owner',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'x' } } } },
      },
    ],
  });
  test('ValidatingPolicies see the object MutatingPolicies patched', async () => {
    const set = setOf(requireTeam, addTeam);
    assert.deepEqual(statuses(await admitCli(set, pod('p', 'foo', { owner: 'x' }))), [
      ['add-team', 'pass'],
      ['require-team', 'pass'],
    ]);
    assert.deepEqual(statuses(await admitCli(set, pod('p', 'foo'))), [
      ['add-team', 'skip'],
      ['require-team', 'fail'],
    ]);
  });
  test('MutatingPolicies start from the object legacy mutate rules left; responses keep the loaded key', async () => {
    const loaded = pod('p', 'foo');
    const out = await admitCli(setOf(requireTeam, addTeam, addOwner), loaded);
    assert.deepEqual(statuses(out), [
      ['add-owner', 'pass'],
      ['add-team', 'pass'],
      ['require-team', 'pass'],
    ]);
    assert.ok(out.responses.every((r) => r.response.resource === loaded));
    assert.deepEqual(out.patchedObject?.metadata?.labels, { owner: 'x', team: 'a' });
  });
});

describe('MutatingPolicies', () => {
  const addLabel = mutatingPolicy('add-label', {
    matchConstraints: podRule(['pods'], ['CREATE']),
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}' },
      },
    ],
  });
  const p = pod('p');
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'default' },
  };
  test('a matched pod gets a pass response carrying the patched resource', async () => {
    const out = await admitCli(setOf(addLabel), p);
    // The policy, then its `defaults` autogen variant (two resource rules: kept, with no rules);
    // the `cronjobs` variant (one plain rule) is dropped, as Kyverno's hasSelector does.
    assert.deepEqual(
      out.responses.map((r) => r.response.rules.length),
      [1, 0],
    );
    assert.equal(out.responses[0]?.response.rules[0]?.status, 'pass');
    assert.deepEqual(out.patchedObject?.metadata?.labels, { a: 'b' });
    assert.equal(out.responses[0]?.response.patchedResource, out.patchedObject);
    assert.equal(out.responses[0]?.response.resource, p);
  });
  test('an unmatched single-rule policy is dropped; a multi-rule one answers with no rules', async () => {
    const noAutogen = mutatingPolicy('no-autogen', {
      matchConstraints: podRule(['pods'], ['CREATE']),
      autogen: { podControllers: { controllers: [] } },
    });
    assert.deepEqual((await admitCli(setOf(noAutogen), service)).responses, []);
    const multi = mutatingPolicy('multi', {
      matchConstraints: {
        resourceRules: [
          ...podRule(['pods'], ['CREATE']).resourceRules,
          ...podRule(['configmaps'], ['CREATE']).resourceRules,
        ],
      },
    });
    const out = (await admitCli(setOf(multi), service)).responses;
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]?.response.rules, []);
  });
  test('a mutate-existing policy also patches the admitted object it matches', async () => {
    const existing = mutatingPolicy('existing', {
      matchConstraints: podRule(['pods'], ['CREATE']),
      autogen: { podControllers: { controllers: [] } },
      evaluation: { mutateExisting: { enabled: true } },
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"m": "x"}}}' },
        },
      ],
    });
    const out = await admitCli(setOf(existing), p);
    assert.equal(out.responses.length, 1);
    assert.deepEqual(out.patchedObject?.metadata?.labels, { m: 'x' });
  });
  test('target resources are patched and answered under the trigger', async () => {
    const existing = mutatingPolicy('label-cms', {
      matchConstraints: podRule(['secrets'], ['CREATE']),
      targetMatchConstraints: podRule(['configmaps'], ['CREATE']),
      evaluation: { mutateExisting: { enabled: true } },
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"t": "1"}}}' },
        },
      ],
    });
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } };
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
    const context = { mutateExistingTargets: [cm, service] };
    const out = await admitCli(setOf(existing), secret, { context });
    const withTargets = out.responses.filter((r) =>
      r.response.rules.some((x) => x.patchedTargets !== undefined),
    );
    assert.equal(withTargets.length, 1);
    assert.equal(withTargets[0]?.response.resource, secret);
    assert.deepEqual(withTargets[0]?.response.rules[0]?.patchedTargets?.[0]?.metadata?.labels, { t: '1' });
    assert.deepEqual(
      out.mutatedTargets.map((t) => t.object.metadata?.name),
      ['c'],
    );
  });
  // Kyverno's CLI names results from the metadata (MetaNamespaceKeyFunc): a cluster-scoped
  // MutatingPolicy file carrying a namespace reports as ns/name, yet still matches every namespace.
  for (const [namespace, key, policyNamespace] of [
    [undefined, 'add-label', undefined],
    ['kyverno', 'kyverno/add-label', 'kyverno'],
  ] as const) {
    test(`metadata.namespace ${namespace ?? 'unset'} is reported as ${key}`, async () => {
      const doc = { ...addLabel, metadata: { ...addLabel.metadata, ...(namespace ? { namespace } : {}) } };
      const out = await admitCli(setOf(doc), p);
      const first = out.responses[0]?.response;
      assert.equal(first?.rules[0]?.status, 'pass');
      assert.equal(first?.policyKey, key);
      assert.equal(first?.policyNamespace, policyNamespace);
      assert.deepEqual(out.patchedObject?.metadata?.labels, { a: 'b' });
    });
  }
  test('each MutatingPolicy sees the object the previous one patched', async () => {
    const second = mutatingPolicy('second', {
      matchConstraints: podRule(['pods'], ['CREATE']),
      autogen: { podControllers: { controllers: [] } },
      matchConditions: [{ name: 'labelled', expression: 'has(object.metadata.labels)' }],
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: '[JSONPatch{op: "add", path: "/metadata/labels/c", value: "d"}]' },
        },
      ],
    });
    const out = await admitCli(setOf(addLabel, second), p);
    assert.deepEqual(out.patchedObject?.metadata?.labels, { a: 'b', c: 'd' });
  });
});

describe('evaluatePayload (spec.evaluation.mode: JSON)', () => {
  const minReplicas = validatingPolicy('min-replicas', {
    evaluation: { mode: 'JSON' },
    validations: [{ expression: 'object.replicas >= 2', message: 'at least two replicas' }],
  });
  const k8s = validatingPolicy('k8s', { matchConstraints: podRule(), validations: [{ expression: 'true' }] });
  const set = setOf(minReplicas, k8s);
  const payload = (value: Record<string, unknown>) =>
    evaluatePayload(set, requestForObject(value as KubeObject), { ports: {} });
  test('JSON-mode policies answer for any document; Kubernetes-mode ones are skipped', () => {
    assert.deepEqual(
      payload({ replicas: 1 }).map((r) => [
        r.policy.name,
        r.response.rules.map((x) => [x.status, x.message]),
      ]),
      [['min-replicas', [['fail', 'at least two replicas']]]],
    );
    assert.equal(payload({ replicas: 3 })[0]?.response.rules[0]?.status, 'pass');
  });
  test('a resource admitted with JSON-mode policies is left as loaded', async () => {
    const loaded = pod('p', 'foo');
    assert.equal((await admitCli(set, loaded)).patchedObject, loaded);
  });
});

describe('evaluateAuthzPayload (spec.evaluation.mode: Envoy / HTTP)', () => {
  const envoy = validatingPolicy('envoy-deny', {
    evaluation: { mode: 'Envoy' },
    validations: [{ expression: 'envoy.Denied(403).Response()' }],
  });
  const http = validatingPolicy('http-allow', {
    evaluation: { mode: 'HTTP' },
    validations: [{ expression: 'http.Allowed().Response()' }],
  });
  const json = validatingPolicy('json', {
    evaluation: { mode: 'JSON' },
    validations: [{ expression: 'true' }],
  });
  const set = setOf(envoy, http, json);
  const answers = (mode: 'Envoy' | 'HTTP') =>
    evaluateAuthzPayload(set, mode, { attributes: {} }, { ports: {} }).map((r) => [
      r.policy.name,
      r.response.rules.map((x) => [x.status, x.message]),
    ]);
  test('each request is answered by the policies of its mode only', () => {
    assert.deepEqual(answers('Envoy'), [['envoy-deny', [['fail', 'request denied with status code 403']]]]);
    assert.deepEqual(answers('HTTP'), [['http-allow', [['pass', 'request allowed']]]]);
  });
  test('authorization-mode policies do not answer for resources or JSON payloads', async () => {
    assert.deepEqual(
      evaluatePayload(set, requestForObject({ a: 1 } as unknown as KubeObject), { ports: {} }).map(
        (r) => r.policy.name,
      ),
      ['json'],
    );
    assert.deepEqual(
      (await admitCli(set, pod('p', 'foo'))).responses.map((r) => r.policy.name).filter((n) => n !== 'json'),
      [],
    );
  });
});
