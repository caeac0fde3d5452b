import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clusterPolicy,
  type Doc,
  podRule,
  setOf,
  validatingPolicy,
} from '../policy-set/testdata/policies.js';
import {
  BOOTSTRAP_EXCLUSION,
  type DiscoveredResource,
  resolveKind,
  type WebhookConfigOptions,
  webhookConfigurations,
} from './webhook-configurations.js';

const r = (
  group: string,
  version: string,
  kind: string,
  resource: string,
  namespaced = true,
): DiscoveredResource => ({
  group,
  version,
  kind,
  resource,
  namespaced,
});

const DISCOVERY: DiscoveredResource[] = [
  r('', 'v1', 'Pod', 'pods'),
  r('', 'v1', 'PodExecOptions', 'pods/exec'),
  r('', 'v1', 'Pod', 'pods/status'),
  r('', 'v1', 'Namespace', 'namespaces', false),
  r('', 'v1', 'Node', 'nodes', false),
  r('', 'v1', 'ConfigMap', 'configmaps'),
  r('', 'v1', 'Secret', 'secrets'),
  r('apps', 'v1', 'Deployment', 'deployments'),
  r('apps', 'v1', 'Scale', 'deployments/scale'),
  r('apps', 'v1', 'StatefulSet', 'statefulsets'),
  r('apps', 'v1', 'DaemonSet', 'daemonsets'),
  r('apps', 'v1', 'ReplicaSet', 'replicasets'),
  r('batch', 'v1', 'Job', 'jobs'),
  r('batch', 'v1', 'CronJob', 'cronjobs'),
  r('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
];

const OPTIONS: WebhookConfigOptions = {
  endpoint: { service: { namespace: 'palisade', name: 'palisade-svc' } },
  caBundle: 'Q0E=',
  namespace: 'palisade',
  timeoutSeconds: 10,
};

type Webhook = {
  name: string;
  rules: {
    apiGroups: string[];
    apiVersions: string[];
    resources: string[];
    operations: string[];
    scope: string;
  }[];
  failurePolicy: string;
  timeoutSeconds: number;
  clientConfig: { service?: { path: string }; url?: string };
  matchConditions?: { name: string }[];
  reinvocationPolicy?: string;
};
const webhooksOf = (o: unknown): Webhook[] => (o as { webhooks: Webhook[] }).webhooks;
const compact = (w: Webhook) =>
  w.rules.map(
    (x) => `${x.apiGroups}/${x.apiVersions}/${x.resources.join('+')} ${x.operations.join(',')} ${x.scope}`,
  );

const rule = (name: string, kinds: string[], body: Record<string, unknown>, operations?: string[]) => ({
  name,
  match: { any: [{ resources: { kinds, ...(operations !== undefined ? { operations } : {}) } }] },
  ...body,
});
const validate = { validate: { message: 'm', pattern: { metadata: { name: '?*' } } } };
const mutate = { mutate: { patchStrategicMerge: { metadata: { labels: { a: 'b' } } } } };

function compute(...docs: Doc[]) {
  return webhookConfigurations(setOf(...docs), DISCOVERY, OPTIONS);
}

describe('resolveKind through discovery', () => {
  const cases: [string, boolean, string[] | undefined][] = [
    ['Pod', false, ['/v1/pods Namespaced']],
    ['apps/v1/Deployment', false, ['apps/v1/deployments Namespaced']],
    ['Deployment/scale', false, ['apps/v1/deployments/scale Namespaced']],
    ['Pod/*', false, ['/v1/pods/exec Namespaced', '/v1/pods/status Namespaced']],
    [
      'HorizontalPodAutoscaler',
      false,
      [
        'autoscaling/v1/horizontalpodautoscalers Namespaced',
        'autoscaling/v2/horizontalpodautoscalers Namespaced',
      ],
    ],
    ['Namespace', false, ['/v1/namespaces *']],
    ['*', false, ['*/*/* *']],
    ['*', true, ['*/*/* Namespaced']],
    ['*/*', false, ['*/*/*/* *']],
    ['Widget', false, undefined],
  ];
  for (const [selector, namespaced, want] of cases) {
    test(`${selector}${namespaced ? ' (namespaced policy)' : ''}`, () => {
      const got = resolveKind(selector, DISCOVERY, namespaced)?.map(
        (e) => `${e.group}/${e.version}/${e.resource} ${e.scope}`,
      );
      assert.deepEqual(got, want);
    });
  }
});

describe('webhookConfigurations: policy → webhooks and rules', () => {
  test('a validate policy: validate.palisade.svc-fail with every operation, merged by group/version', () => {
    const out = compute(
      clusterPolicy('p', { rules: [rule('r', ['Pod', 'Deployment', 'ConfigMap'], validate)] }),
    );
    const [w, ...rest] = webhooksOf(out.validating);
    assert.equal(rest.length, 0);
    assert.equal(w?.name, 'validate.palisade.svc-fail');
    assert.equal(w?.clientConfig.service?.path, '/validate/fail');
    assert.equal(w?.failurePolicy, 'Fail');
    // Pods bring pods/ephemeralcontainers along, as in Kyverno (`kubectl debug` is judged too).
    assert.deepEqual(compact(w!), [
      '/v1/configmaps+pods+pods/ephemeralcontainers CREATE,UPDATE,DELETE,CONNECT Namespaced',
      'apps/v1/deployments CREATE,UPDATE,DELETE,CONNECT Namespaced',
    ]);
    assert.deepEqual(
      w?.matchConditions?.map((c) => c.name),
      [BOOTSTRAP_EXCLUSION.name],
    );
    assert.deepEqual(webhooksOf(out.mutating), []);
    assert.deepEqual(
      out.registrations,
      [
        {
          policy: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' },
          webhooks: ['validate.palisade.svc-fail'],
          unresolvedKinds: [],
        },
      ].map((x) => ({ ...x, policy: out.registrations[0]!.policy })),
    );
  });

  test('a ValidatingPolicy on pods registers its autogen variants (the pod controllers) too', () => {
    const out = compute(
      validatingPolicy('v', { matchConstraints: podRule(), validations: [{ expression: 'true' }] }),
    );
    assert.deepEqual(compact(webhooksOf(out.validating)[0]!), [
      '/v1/pods CREATE,UPDATE *',
      'apps/v1/daemonsets+deployments+replicasets+statefulsets CREATE,UPDATE *',
      'batch/v1/cronjobs+jobs CREATE,UPDATE *',
    ]);
  });

  test('autogen rules register the pod controllers too', () => {
    const out = compute(clusterPolicy('p', { rules: [rule('r', ['Pod'], validate)] }));
    // Pod plus autogen's DaemonSet, Deployment, Job, ReplicaSet, StatefulSet, ReplicationController, CronJob.
    const resources = webhooksOf(out.validating)[0]!.rules.flatMap((x) => x.resources);
    for (const r of ['pods', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'])
      assert.ok(resources.includes(r), r);
  });

  test('a mutate policy goes to the mutating configuration with CREATE and UPDATE, reinvoked if needed', () => {
    const out = compute(clusterPolicy('m', { rules: [rule('r', ['ConfigMap'], mutate)] }));
    const [w] = webhooksOf(out.mutating);
    assert.equal(w?.name, 'mutate.palisade.svc-fail');
    assert.deepEqual(compact(w!), ['/v1/configmaps CREATE,UPDATE Namespaced']);
    assert.equal(w?.reinvocationPolicy, 'IfNeeded');
    assert.deepEqual(webhooksOf(out.validating), []);
  });

  test('failurePolicy Ignore goes to the -ignore bucket, without the bootstrap condition', () => {
    const out = compute(
      clusterPolicy('f', { rules: [rule('r', ['Secret'], validate)] }),
      clusterPolicy('i', { failurePolicy: 'Ignore', rules: [rule('r', ['ConfigMap'], validate)] }),
    );
    const names = webhooksOf(out.validating).map((w) => [
      w.name,
      w.clientConfig.service?.path,
      compact(w).join(';'),
      w.matchConditions?.length ?? 0,
    ]);
    assert.deepEqual(names, [
      [
        'validate.palisade.svc-fail',
        '/validate/fail',
        '/v1/secrets CREATE,UPDATE,DELETE,CONNECT Namespaced',
        1,
      ],
      [
        'validate.palisade.svc-ignore',
        '/validate/ignore',
        '/v1/configmaps CREATE,UPDATE,DELETE,CONNECT Namespaced',
        0,
      ],
    ]);
  });

  test('operations given in the match are kept; exclude.any of kinds and operations takes some away', () => {
    const out = compute(
      clusterPolicy('o', {
        rules: [
          {
            ...rule('r', ['ConfigMap'], validate, ['CREATE', 'DELETE']),
            exclude: { any: [{ resources: { kinds: ['ConfigMap'], operations: ['DELETE'] } }] },
          },
        ],
      }),
    );
    assert.deepEqual(compact(webhooksOf(out.validating)[0]!), ['/v1/configmaps CREATE Namespaced']);
  });

  test('a wildcard kind stays a wildcard; a namespaced Policy narrows it to namespaced resources', () => {
    const out = compute(clusterPolicy('w', { rules: [rule('r', ['*'], validate)] }));
    assert.deepEqual(compact(webhooksOf(out.validating)[0]!), [
      '*/*/*+pods/ephemeralcontainers CREATE,UPDATE,DELETE,CONNECT *',
    ]);
    const ns = {
      ...clusterPolicy('n', { rules: [rule('r', ['*'], validate)] }),
      kind: 'Policy',
      metadata: { name: 'n', namespace: 'team' },
    } as Doc;
    assert.deepEqual(compact(webhooksOf(compute(ns).validating)[0]!), [
      '*/*/*+pods/ephemeralcontainers CREATE,UPDATE,DELETE,CONNECT Namespaced',
    ]);
  });

  test('generate rules take every operation on the trigger and CREATE/UPDATE/DELETE on what they generate', () => {
    const out = compute(
      clusterPolicy('g', {
        rules: [
          rule('r', ['Namespace'], {
            generate: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: 'x',
              namespace: '{{request.object.metadata.name}}',
              data: {},
            },
          }),
        ],
      }),
    );
    assert.deepEqual(compact(webhooksOf(out.validating)[0]!), [
      '/v1/configmaps CREATE,UPDATE,DELETE Namespaced',
      '/v1/namespaces CREATE,UPDATE,DELETE,CONNECT *',
    ]);
  });

  test('an unknown kind is reported, and a policy whose kinds are all unknown registers nowhere', () => {
    const out = compute(clusterPolicy('u', { rules: [rule('r', ['Widget'], validate)] }));
    assert.deepEqual(webhooksOf(out.validating), []);
    assert.deepEqual(out.registrations[0]?.webhooks, []);
    assert.deepEqual(out.registrations[0]?.unresolvedKinds, ['Widget']);
  });

  test('the largest policy timeout wins, capped at 30 s', () => {
    const out = compute(
      clusterPolicy('a', { webhookTimeoutSeconds: 15, rules: [rule('r', ['Secret'], validate)] }),
      clusterPolicy('b', {
        webhookConfiguration: { timeoutSeconds: 25 },
        rules: [rule('r', ['Secret'], validate)],
      }),
    );
    assert.equal(webhooksOf(out.validating)[0]?.timeoutSeconds, 25);
  });

  test('webhookConfiguration.matchConditions: a fine-grained webhook of its own', () => {
    const out = compute(
      clusterPolicy('fg', {
        webhookConfiguration: {
          matchConditions: [{ name: 'only-a', expression: 'object.metadata.name == "a"' }],
        },
        rules: [rule('r', ['Secret'], validate)],
      }),
    );
    const [w] = webhooksOf(out.validating);
    assert.equal(w?.name, 'validate.palisade.svc-fail-finegrained-fg');
    assert.equal(w?.clientConfig.service?.path, '/validate/fail/finegrained/fg');
    assert.deepEqual(
      w?.matchConditions?.map((c) => c.name),
      ['only-a', BOOTSTRAP_EXCLUSION.name],
    );
  });

  test('admission: false registers nothing', () => {
    const out = compute(clusterPolicy('off', { admission: false, rules: [rule('r', ['Secret'], validate)] }));
    assert.deepEqual(webhooksOf(out.validating), []);
  });

  test('ValidatingPolicies: their own webhook per bucket, the path naming them, rules as written', () => {
    const out = compute(
      validatingPolicy('b', {
        matchConstraints: podRule(['secrets']),
        validations: [{ expression: 'true' }],
      }),
      validatingPolicy('a', {
        matchConstraints: podRule(['configmaps'], ['CREATE']),
        validations: [{ expression: 'true' }],
      }),
      validatingPolicy('i', {
        failurePolicy: 'Ignore',
        matchConstraints: podRule(['secrets']),
        validations: [{ expression: 'true' }],
      }),
    );
    const got = webhooksOf(out.validating).map((w) => [w.name, w.clientConfig.service?.path, compact(w)]);
    assert.deepEqual(got, [
      [
        'vpol.validate.palisade.svc-fail',
        '/vpol/a/b',
        ['/v1/configmaps CREATE *', '/v1/secrets CREATE,UPDATE *'],
      ],
      ['vpol.validate.palisade.svc-ignore', '/vpol/i', ['/v1/secrets CREATE,UPDATE *']],
    ]);
  });

  test('a URL endpoint (serve outside the cluster) and the exclusion of its own namespace and kube-system', () => {
    const out = webhookConfigurations(
      setOf(clusterPolicy('p', { rules: [rule('r', ['Secret'], validate)] })),
      DISCOVERY,
      {
        ...OPTIONS,
        endpoint: { url: 'https://127.0.0.1:9443/' },
      },
    );
    const w = webhooksOf(out.validating)[0] as unknown as Record<string, unknown>;
    assert.deepEqual(w.clientConfig, { url: 'https://127.0.0.1:9443/validate/fail', caBundle: 'Q0E=' });
    assert.deepEqual(w.namespaceSelector, {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'palisade'] },
      ],
    });
    assert.equal(w.sideEffects, 'NoneOnDryRun');
    assert.equal(w.matchPolicy, 'Equivalent');
    assert.deepEqual(w.admissionReviewVersions, ['v1']);
  });

  test('the policy-validation webhook covers the policy kinds, Fail, on /policyvalidate', () => {
    const w = webhooksOf(compute().policyValidating)[0]!;
    assert.equal(w.clientConfig.service?.path, '/policyvalidate');
    assert.equal(w.failurePolicy, 'Fail');
    assert.ok(w.rules[0]?.resources.includes('clusterpolicies'));
    assert.ok(w.rules[1]?.resources.includes('validatingpolicies'));
  });
});
