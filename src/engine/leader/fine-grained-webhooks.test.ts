// CEL policies with valid matchConditions, matchPolicy Exact or a timeout of their own get a
// webhook of their own (Kyverno's buildWebhookRules, pkg/controllers/webhook/validating.go).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Doc,
  mutatingPolicy,
  podRule,
  setOf,
  validatingPolicy,
} from '../policy-set/testdata/policies.js';
import {
  BOOTSTRAP_EXCLUSION,
  type WebhookConfigOptions,
  webhookConfigurations,
} from './webhook-configurations.js';

const OPTIONS: WebhookConfigOptions = {
  endpoint: { service: { namespace: 'palisade', name: 'palisade-svc' } },
  caBundle: 'Q0E=',
  namespace: 'palisade',
  timeoutSeconds: 10,
};

const EXCLUDED = {
  key: 'kubernetes.io/metadata.name',
  operator: 'NotIn',
  values: ['kube-system', 'palisade'],
};
const BOOTSTRAP = { ...BOOTSTRAP_EXCLUSION };

type Rule = [group: string, version: string, resources: string[], operations: string[]];
const rules = (...list: Rule[]) =>
  list.map(([g, v, resources, operations]) => ({
    apiGroups: [g],
    apiVersions: [v],
    resources,
    operations,
    scope: '*',
  }));

/** An expected webhook: Palisade's defaults, then what the case says. */
function webhook(
  name: string,
  path: string,
  rest: { rules: unknown[]; matchConditions?: unknown[] } & Record<string, unknown>,
): Record<string, unknown> {
  const { matchConditions, ...fields } = rest;
  return {
    name,
    clientConfig: {
      service: { namespace: 'palisade', name: 'palisade-svc', path, port: 443 },
      caBundle: 'Q0E=',
    },
    failurePolicy: 'Fail',
    sideEffects: 'NoneOnDryRun',
    admissionReviewVersions: ['v1'],
    namespaceSelector: { matchExpressions: [EXCLUDED] },
    objectSelector: {},
    timeoutSeconds: 10,
    matchPolicy: 'Equivalent',
    ...fields,
    ...(matchConditions !== undefined && matchConditions.length > 0 ? { matchConditions } : {}),
  };
}

const POD_CONTROLLERS = (ops: string[]): Rule[] => [
  ['', 'v1', ['pods'], ops],
  ['apps', 'v1', ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], ops],
  ['batch', 'v1', ['cronjobs', 'jobs'], ops],
];
const DEFAULTS_GUARD =
  "(object.apiVersion == 'apps/v1' && object.kind =='DaemonSet') || (object.apiVersion == 'apps/v1' && object.kind =='Deployment') || (object.apiVersion == 'apps/v1' && object.kind =='ReplicaSet') || (object.apiVersion == 'apps/v1' && object.kind =='StatefulSet') || (object.apiVersion == 'batch/v1' && object.kind =='Job')";
const PROD = { name: 'prod', expression: "object.metadata.?labels.prod.orValue('') == 'true'" };
// The same condition as each autogen variant rewrites it, restricted to its targets.
const PROD_AUTOGEN = [
  {
    name: 'autogen-prod',
    expression: `!((object.apiVersion == 'v1' && object.kind =='Pod')) || (${PROD.expression})`,
  },
  {
    name: 'autogen-cronjobs-prod',
    expression:
      "!((object.apiVersion == 'batch/v1' && object.kind =='CronJob')) || (object.spec.jobTemplate.spec.template.metadata.?labels.prod.orValue('') == 'true')",
  },
  {
    name: 'autogen-defaults-prod',
    expression: `!(${DEFAULTS_GUARD}) || (object.spec.template.metadata.?labels.prod.orValue('') == 'true')`,
  },
];

const validations = [{ expression: 'true' }];
const namespaced = (kind: string, namespace: string, doc: Doc): Doc =>
  ({ ...doc, kind, metadata: { ...doc.metadata, namespace } }) as Doc;
const generatingPolicy = (name: string, spec: Record<string, unknown>): Doc =>
  ({ apiVersion: 'policies.kyverno.io/v1alpha1', kind: 'GeneratingPolicy', metadata: { name }, spec }) as Doc;
const generate = [{ expression: 'generator.Apply("default", [])' }];
const namespacesRule = {
  resourceRules: [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] },
  ],
};

interface Case {
  readonly name: string;
  readonly policies: readonly Doc[];
  readonly validating?: readonly Record<string, unknown>[];
  readonly mutating?: readonly Record<string, unknown>[];
}

const CASES: readonly Case[] = [
  {
    name: 'a vpol with matchConditions: its own webhook, its conditions restricted to Pods and to each autogen target',
    policies: [validatingPolicy('v', { matchConstraints: podRule(), matchConditions: [PROD], validations })],
    validating: [
      webhook('vpol.validate.palisade.svc-fail-finegrained-v', '/vpol/finegrained/v', {
        rules: rules(...POD_CONTROLLERS(['CREATE', 'UPDATE'])),
        matchConditions: [...PROD_AUTOGEN, BOOTSTRAP],
      }),
    ],
  },
  {
    name: 'a vpol with timeoutSeconds: its own webhook with that timeout, even below the default',
    policies: [
      validatingPolicy('t', {
        failurePolicy: 'Ignore',
        webhookConfiguration: { timeoutSeconds: 4 },
        matchConstraints: podRule(['configmaps']),
        validations,
      }),
    ],
    validating: [
      webhook('vpol.validate.palisade.svc-ignore-finegrained-t', '/vpol/finegrained/t', {
        rules: rules(['', 'v1', ['configmaps'], ['CREATE', 'UPDATE']]),
        failurePolicy: 'Ignore',
        timeoutSeconds: 4,
      }),
    ],
  },
  {
    name: 'a vpol with matchPolicy Exact: its own webhook matching exactly, its selectors carried over',
    policies: [
      validatingPolicy('e', {
        matchConstraints: {
          ...podRule(['secrets'], ['CREATE']),
          matchPolicy: 'Exact',
          namespaceSelector: { matchLabels: { env: 'prod' } },
          objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
        },
        validations,
      }),
    ],
    validating: [
      webhook('vpol.validate.palisade.svc-fail-finegrained-e', '/vpol/finegrained/e', {
        rules: rules(['', 'v1', ['secrets'], ['CREATE']]),
        matchPolicy: 'Exact',
        namespaceSelector: { matchLabels: { env: 'prod' }, matchExpressions: [EXCLUDED] },
        objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
        matchConditions: [BOOTSTRAP],
      }),
    ],
  },
  {
    name: 'an mpol with autogen: its own mutating webhook, autogen rules and conditions, reinvoked if needed',
    policies: [
      mutatingPolicy('m', {
        matchConstraints: podRule(),
        matchConditions: [{ name: 'prod', expression: "object.metadata.labels['prod'] == 'true'" }],
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}}' },
          },
        ],
      }),
    ],
    mutating: [
      webhook('mpol.mutate.palisade.svc-fail-finegrained-m', '/mpol/finegrained/m', {
        rules: rules(...POD_CONTROLLERS(['CREATE', 'UPDATE'])),
        matchConditions: [
          {
            name: 'autogen-prod',
            expression:
              "!((object.apiVersion == 'v1' && object.kind =='Pod')) || (object.metadata.labels['prod'] == 'true')",
          },
          {
            name: 'autogen-cronjobs-prod',
            expression:
              "!((object.apiVersion == 'batch/v1' && object.kind =='CronJob')) || (object.spec.jobTemplate.spec.template.metadata.labels['prod'] == 'true')",
          },
          {
            name: 'autogen-defaults-prod',
            expression: `!(${DEFAULTS_GUARD}) || (object.spec.template.metadata.labels['prod'] == 'true')`,
          },
          BOOTSTRAP,
        ],
        reinvocationPolicy: 'IfNeeded',
      }),
    ],
  },
  {
    name: 'a gpol with synchronization: its conditions filter CREATE only, every operation registered',
    policies: [
      generatingPolicy('g', {
        matchConstraints: namespacesRule,
        matchConditions: [
          { name: 'opt-in', expression: `object.metadata.?labels["opt-in"].orValue("") == "true"` },
        ],
        evaluation: { synchronize: { enabled: true } },
        generate,
      }),
      generatingPolicy('h', {
        matchConstraints: namespacesRule,
        matchConditions: [
          { name: 'opt-in', expression: `object.metadata.?labels["opt-in"].orValue("") == "true"` },
        ],
        generate,
      }),
    ],
    validating: [
      webhook('gpol.validate.palisade.svc-fail-finegrained-g', '/gpol/finegrained/g', {
        rules: rules(['', 'v1', ['namespaces'], ['CREATE', 'UPDATE', 'DELETE', 'CONNECT']]),
        matchConditions: [
          {
            name: 'opt-in',
            expression: `request.operation != 'CREATE' || (object.metadata.?labels["opt-in"].orValue("") == "true")`,
          },
          BOOTSTRAP,
        ],
      }),
      webhook('gpol.validate.palisade.svc-fail-finegrained-h', '/gpol/finegrained/h', {
        rules: rules(['', 'v1', ['namespaces'], ['CREATE', 'UPDATE', 'DELETE', 'CONNECT']]),
        matchConditions: [
          { name: 'opt-in', expression: `object.metadata.?labels["opt-in"].orValue("") == "true"` },
          BOOTSTRAP,
        ],
      }),
    ],
  },
  {
    name: 'a mix: own webhooks first (Fail, then Ignore, by namespace and name), then the shared buckets',
    policies: [
      validatingPolicy('b', { matchConstraints: podRule(['secrets']), validations }),
      validatingPolicy('a', { matchConstraints: podRule(['configmaps']), validations }),
      validatingPolicy('z', {
        matchConstraints: podRule(['services']),
        webhookConfiguration: { timeoutSeconds: 20 },
        validations,
      }),
      validatingPolicy('y', {
        failurePolicy: 'Ignore',
        matchConstraints: podRule(['services']),
        webhookConfiguration: { timeoutSeconds: 20 },
        validations,
      }),
      validatingPolicy('c', {
        failurePolicy: 'Ignore',
        matchConstraints: podRule(['services']),
        validations,
      }),
      validatingPolicy('x', {
        matchConstraints: { ...podRule(['services']), matchPolicy: 'Exact' },
        validations,
      }),
      namespaced(
        'NamespacedValidatingPolicy',
        'team',
        validatingPolicy('n', {
          matchConstraints: podRule(['configmaps']),
          matchConditions: [{ name: 'named', expression: "object.metadata.name != 'skip'" }],
          validations,
        }),
      ),
    ],
    validating: [
      webhook('nvpol.validate.palisade.svc-fail-finegrained-team-n', '/nvpol/finegrained/team/n', {
        rules: rules(['', 'v1', ['configmaps'], ['CREATE', 'UPDATE']]),
        namespaceSelector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team'] },
            EXCLUDED,
          ],
        },
        matchConditions: [{ name: 'named', expression: "object.metadata.name != 'skip'" }, BOOTSTRAP],
      }),
      webhook('vpol.validate.palisade.svc-fail-finegrained-x', '/vpol/finegrained/x', {
        rules: rules(['', 'v1', ['services'], ['CREATE', 'UPDATE']]),
        matchPolicy: 'Exact',
        matchConditions: [BOOTSTRAP],
      }),
      webhook('vpol.validate.palisade.svc-fail-finegrained-z', '/vpol/finegrained/z', {
        rules: rules(['', 'v1', ['services'], ['CREATE', 'UPDATE']]),
        timeoutSeconds: 20,
        matchConditions: [BOOTSTRAP],
      }),
      webhook('vpol.validate.palisade.svc-ignore-finegrained-y', '/vpol/finegrained/y', {
        rules: rules(['', 'v1', ['services'], ['CREATE', 'UPDATE']]),
        failurePolicy: 'Ignore',
        timeoutSeconds: 20,
      }),
      webhook('vpol.validate.palisade.svc-fail', '/vpol/a/b', {
        rules: rules(['', 'v1', ['configmaps', 'secrets'], ['CREATE', 'UPDATE']]),
        matchConditions: [BOOTSTRAP],
      }),
      webhook('vpol.validate.palisade.svc-ignore', '/vpol/c', {
        rules: rules(['', 'v1', ['services'], ['CREATE', 'UPDATE']]),
        failurePolicy: 'Ignore',
      }),
    ],
  },
  {
    name: 'matchConditions the API server cannot compile (a Kyverno library) are dropped: the policy stays shared',
    policies: [
      validatingPolicy('lib', {
        matchConstraints: podRule(['configmaps']),
        matchConditions: [{ name: 'parsed', expression: "json.unmarshal('{}') == {}" }],
        validations,
      }),
    ],
    validating: [
      webhook('vpol.validate.palisade.svc-fail', '/vpol/lib', {
        rules: rules(['', 'v1', ['configmaps'], ['CREATE', 'UPDATE']]),
        matchConditions: [BOOTSTRAP],
      }),
    ],
  },
  {
    name: 'conditions reading namespaceObject stay with Palisade; the webhook is still its own',
    policies: [
      validatingPolicy('nso', {
        matchConstraints: podRule(['configmaps']),
        matchConditions: [
          { name: 'labelled', expression: "'team' in namespaceObject.metadata.labels" },
          { name: 'named', expression: "object.metadata.name != 'skip'" },
        ],
        validations,
      }),
    ],
    validating: [
      webhook('vpol.validate.palisade.svc-fail-finegrained-nso', '/vpol/finegrained/nso', {
        rules: rules(['', 'v1', ['configmaps'], ['CREATE', 'UPDATE']]),
        matchConditions: [{ name: 'named', expression: "object.metadata.name != 'skip'" }, BOOTSTRAP],
      }),
    ],
  },
  {
    name: 'a shared path never starts with the own-webhook marker (a policy named `finegrained` goes last)',
    policies: [
      validatingPolicy('finegrained', { matchConstraints: podRule(['configmaps']), validations }),
      validatingPolicy('zeta', { matchConstraints: podRule(['configmaps']), validations }),
    ],
    validating: [
      webhook('vpol.validate.palisade.svc-fail', '/vpol/zeta/finegrained', {
        rules: rules(['', 'v1', ['configmaps'], ['CREATE', 'UPDATE']]),
        matchConditions: [BOOTSTRAP],
      }),
    ],
  },
];

describe('webhookConfigurations: CEL policies with a webhook of their own', () => {
  for (const c of CASES)
    test(c.name, () => {
      const out = webhookConfigurations(setOf(...c.policies), [], OPTIONS);
      const webhooks = (o: unknown) => (o as { webhooks: unknown[] }).webhooks;
      assert.deepEqual(webhooks(out.validating), c.validating ?? []);
      assert.deepEqual(webhooks(out.mutating), c.mutating ?? []);
    });

  test('registrations name the policy’s own webhook', () => {
    const out = webhookConfigurations(
      setOf(validatingPolicy('v', { matchConstraints: podRule(), matchConditions: [PROD], validations })),
      [],
      OPTIONS,
    );
    assert.deepEqual(out.registrations[0]?.webhooks, ['vpol.validate.palisade.svc-fail-finegrained-v']);
  });

  test('more than 64 conditions on one webhook: the policy’s are left to Palisade', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, expression: 'true' }));
    const out = webhookConfigurations(
      setOf(validatingPolicy('v', { matchConstraints: podRule(), matchConditions: many, validations })),
      [],
      OPTIONS,
    );
    const [w] = (out.validating as unknown as { webhooks: { matchConditions: unknown[]; name: string }[] })
      .webhooks;
    assert.equal(w?.name, 'vpol.validate.palisade.svc-fail-finegrained-v');
    assert.deepEqual(w?.matchConditions, [BOOTSTRAP]);
  });
});
