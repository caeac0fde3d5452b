import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequestContext } from '../../../context/request-context.js';
import type { KubeObject } from '../../../model/kube-object.js';
import type { ClusterReader } from '../../../ports.js';
import type { EvaluationRequest, Operation } from '../../../request.js';
import type { RuleResult } from '../../../verdict/types.js';
import type { Rule } from '../types.js';
import { generateRule } from './generate-rule.js';

function reader(objects: KubeObject[]): ClusterReader {
  const matches = (o: KubeObject, apiVersion: string, kind: string, ns: string | undefined) =>
    (apiVersion === '' || o.apiVersion === apiVersion) &&
    o.kind === kind &&
    (ns === undefined || o.metadata?.namespace === ns);
  return {
    get: (apiVersion, kind, ns, name) =>
      objects.find((o) => matches(o, apiVersion, kind, ns) && o.metadata?.name === name),
    list: (apiVersion, kind, ns) => objects.filter((o) => matches(o, apiVersion, kind, ns)),
  };
}

function run(
  rule: Rule,
  resource: KubeObject,
  opts: { cluster?: KubeObject[]; namespace?: string; operation?: Operation } = {},
): RuleResult | undefined {
  const operation = opts.operation ?? 'CREATE';
  const request: EvaluationRequest = {
    ...(operation === 'DELETE' ? { resource: {}, oldResource: resource } : { resource }),
    operation,
    ports: opts.cluster !== undefined ? { cluster: reader(opts.cluster) } : {},
  };
  return generateRule({
    rule,
    ctx: createRequestContext(request),
    request,
    resource,
    policyName: 'gen',
    ...(opts.namespace !== undefined ? { policyNamespace: opts.namespace } : {}),
  });
}

const namespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', uid: 'ns-uid-1', labels: { team: 'a' } },
};

const onNamespace = { any: [{ resources: { kinds: ['Namespace'] } }] };

// kyverno.io docs "Generate Rules", data example: a ConfigMap for every new Namespace.
const zkKafka: Rule = {
  name: 'zk-kafka-address',
  match: onNamespace,
  generate: {
    synchronize: true,
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'zk-kafka-address',
    namespace: '{{request.object.metadata.name}}',
    data: {
      kind: 'ConfigMap',
      metadata: { labels: { somekey: 'somevalue' } },
      data: { ZK_ADDRESS: '192.168.10.10:2181', KAFKA_ADDRESS: '192.168.10.13:9092' },
    },
  },
};

// kyverno.io docs, clone example: copy the `regcred` Secret from `default` into new Namespaces.
const syncSecret: Rule = {
  name: 'sync-image-pull-secret',
  match: onNamespace,
  generate: {
    apiVersion: 'v1',
    kind: 'Secret',
    name: 'regcred',
    namespace: '{{request.object.metadata.name}}',
    synchronize: true,
    clone: { namespace: 'default', name: 'regcred' },
  },
};

const regcred: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/dockerconfigjson',
  metadata: {
    name: 'regcred',
    namespace: 'default',
    uid: 'src-uid',
    resourceVersion: '42',
    creationTimestamp: '2024-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl' }],
    ownerReferences: [{ kind: 'Deployment', name: 'x' }],
    labels: { app: 'registry' },
  },
  data: { '.dockerconfigjson': 'e30=' },
};

const expectedOwnerLabels = {
  'app.kubernetes.io/managed-by': 'kyverno',
  'generate.kyverno.io/policy-name': 'gen',
  'generate.kyverno.io/policy-namespace': '',
  'generate.kyverno.io/trigger-version': 'v1',
  'generate.kyverno.io/trigger-group': '',
  'generate.kyverno.io/trigger-kind': 'Namespace',
  'generate.kyverno.io/trigger-namespace': '',
  'generate.kyverno.io/trigger-uid': 'ns-uid-1',
};

describe('generateRule: data', () => {
  it('generates the data object with target identity and Kyverno labels', () => {
    const result = run(zkKafka, namespace);
    assert.equal(result?.status, 'pass');
    assert.equal(result?.message, '');
    assert.deepEqual(result?.generatedResources, [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'zk-kafka-address',
          namespace: 'team-a',
          labels: {
            somekey: 'somevalue',
            ...expectedOwnerLabels,
            'generate.kyverno.io/rule-name': 'zk-kafka-address',
          },
        },
        data: { ZK_ADDRESS: '192.168.10.10:2181', KAFKA_ADDRESS: '192.168.10.13:9092' },
      },
    ]);
  });

  const existing: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'zk-kafka-address', namespace: 'team-a' },
  };
  const table: { name: string; synchronize: boolean; data?: unknown; cluster: KubeObject[] }[] = [
    { name: 'existing target, synchronize true (an update)', synchronize: true, cluster: [existing] },
    { name: 'existing target, synchronize false (left alone)', synchronize: false, cluster: [existing] },
    { name: 'no data at all', synchronize: false, data: null, cluster: [] },
  ];
  for (const t of table) {
    it(`passes without a new object: ${t.name}`, () => {
      const gen: Record<string, unknown> = { ...zkKafka.generate, synchronize: t.synchronize };
      if (t.data === null) delete gen.data;
      const result = run({ ...zkKafka, generate: gen }, namespace, { cluster: t.cluster });
      assert.equal(result?.status, 'pass');
      assert.deepEqual(result?.generatedResources, []);
    });
  }

  it('substitutes element-free variables anywhere in data', () => {
    const rule: Rule = {
      name: 'pdb',
      match: { any: [{ resources: { kinds: ['Deployment'] } }] },
      generate: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        name: '{{request.object.metadata.name}}-default-pdb',
        namespace: '{{request.object.metadata.namespace}}',
        data: { spec: { minAvailable: 1, selector: '{{request.object.spec.selector}}' } },
      },
    };
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } } },
    };
    const [obj] = run(rule, deployment)?.generatedResources ?? [];
    assert.equal(obj?.metadata?.name, 'web-default-pdb');
    assert.equal(obj?.metadata?.namespace, 'shop');
    assert.deepEqual(obj?.spec, { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    assert.equal(obj?.metadata?.labels?.['generate.kyverno.io/trigger-group'], 'apps');
    assert.equal(obj?.metadata?.labels?.['generate.kyverno.io/trigger-namespace'], 'shop');
  });

  it('passes an unresolvable variable with a generateError (the controller fails, not the verdict)', () => {
    const rule: Rule = {
      ...zkKafka,
      generate: { ...zkKafka.generate, name: '{{request.object.metadata.nope.x}}-{{ missing( }}' },
    };
    const result = run(rule, namespace);
    assert.equal(result?.status, 'pass');
    assert.match(result?.generateError ?? '', /^failed to generate resource: /);
  });

  it('reports a data block that is not an object as an error', () => {
    const result = run({ ...zkKafka, generate: { ...zkKafka.generate, data: 'oops' } }, namespace);
    assert.equal(result?.status, 'pass');
    assert.match(result?.generateError ?? '', /generate\.data must be an object, got string/);
  });
});

describe('generateRule: clone', () => {
  it('copies the source without its identity fields and labels it', () => {
    const result = run(syncSecret, namespace, { cluster: [regcred] });
    assert.equal(result?.status, 'pass');
    assert.deepEqual(result?.generatedResources, [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'regcred',
          namespace: 'team-a',
          labels: {
            app: 'registry',
            'generate.kyverno.io/clone-source': '',
            'generate.kyverno.io/source-group': '',
            'generate.kyverno.io/source-version': 'v1',
            'generate.kyverno.io/source-kind': 'Secret',
            'generate.kyverno.io/source-namespace': 'default',
            'generate.kyverno.io/source-name': 'regcred',
            'generate.kyverno.io/source-uid': 'src-uid',
            ...expectedOwnerLabels,
            'generate.kyverno.io/rule-name': 'sync-image-pull-secret',
          },
        },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': 'e30=' },
      },
    ]);
  });

  it('passes with a generateError when the clone source does not exist', () => {
    const result = run(syncSecret, namespace, { cluster: [] });
    assert.equal(result?.status, 'pass');
    assert.equal(
      result?.generateError,
      'failed to generate resource: source resource v1/Secret/default/regcred not found',
    );
  });

  it('passes with a generateError without any cluster to read the source from', () => {
    const result = run(syncSecret, namespace);
    assert.equal(result?.status, 'pass');
    assert.match(result?.generateError ?? '', /^failed to generate resource: /);
  });

  it('skips a self-clone and an existing target', () => {
    const self = { ...syncSecret, generate: { ...syncSecret.generate, namespace: 'default' } };
    assert.deepEqual(run(self, namespace, { cluster: [regcred] })?.generatedResources, []);
    const existing = { ...regcred, metadata: { name: 'regcred', namespace: 'team-a' } };
    assert.deepEqual(run(syncSecret, namespace, { cluster: [regcred, existing] })?.generatedResources, []);
  });
});

describe('generateRule: cloneList', () => {
  // kyverno.io docs cloneList example: Secrets and ConfigMaps labelled allowedToBeCloned=true.
  const rule: Rule = {
    name: 'sync-secret-configmap',
    match: onNamespace,
    generate: {
      namespace: '{{request.object.metadata.name}}',
      synchronize: true,
      cloneList: {
        namespace: 'staging',
        kinds: ['v1/Secret', 'v1/ConfigMap'],
        selector: { matchLabels: { allowedToBeCloned: 'true' } },
      },
    },
  };
  const src = (kind: string, name: string, ns: string, cloned: boolean): KubeObject => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: ns, labels: { allowedToBeCloned: cloned ? 'true' : 'false' } },
  });

  it('clones every matching source of every kind into the target namespace', () => {
    const cluster = [
      src('Secret', 'b-secret', 'staging', true),
      src('Secret', 'a-secret', 'staging', true),
      src('Secret', 'private', 'staging', false),
      src('Secret', 'elsewhere', 'prod', true),
      src('ConfigMap', 'settings', 'staging', true),
    ];
    const generated = run(rule, namespace, { cluster })?.generatedResources ?? [];
    assert.deepEqual(
      generated.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`),
      ['Secret/team-a/a-secret', 'Secret/team-a/b-secret', 'ConfigMap/team-a/settings'],
    );
    assert.equal(generated[0]?.metadata?.labels?.['generate.kyverno.io/source-namespace'], 'staging');
  });

  it('never clones into the source namespace itself', () => {
    const trigger = { ...namespace, metadata: { name: 'staging' } };
    const generated = run(rule, trigger, { cluster: [src('Secret', 's', 'staging', true)] });
    assert.deepEqual(generated?.generatedResources, []);
  });
});

describe('generateRule: foreach', () => {
  // kyverno.io docs foreach example: one NetworkPolicy per namespace listed in a ConfigMap.
  const entry = {
    list: "request.object.data.namespaces | split(@, ',')",
    context: [{ name: 'ns', variable: { jmesPath: 'element' } }],
    preconditions: { any: [{ key: '{{ ns }}', operator: 'NotEquals', value: 'skipme' }] },
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    name: 'my-networkpolicy-{{element}}-{{ elementIndex }}',
    namespace: '{{ element }}',
    data: {
      metadata: { labels: { request: '{{ request.object.metadata.name }}' } },
      spec: { podSelector: {} },
    },
  };
  const rule: Rule = {
    name: 'k-kafka-address',
    match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
    generate: { generateExisting: false, synchronize: true, foreach: [entry] },
  };
  const cm = (namespaces: unknown): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'default-deny', namespace: 'default' },
    data: { namespaces },
  });

  it('generates one object per element, with element variables substituted', () => {
    const result = run(rule, cm('foo,skipme,bar'));
    assert.equal(result?.status, 'pass');
    const generated = result?.generatedResources ?? [];
    assert.deepEqual(
      generated.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`),
      ['foo/my-networkpolicy-foo-0', 'bar/my-networkpolicy-bar-2'],
    );
    assert.equal(generated[0]?.metadata?.labels?.request, 'default-deny');
    assert.equal(generated[0]?.metadata?.labels?.['generate.kyverno.io/trigger-kind'], 'ConfigMap');
  });

  it('is an error when the list is not a list', () => {
    const bad: Rule = {
      ...rule,
      generate: { foreach: [{ ...entry, list: 'request.object.data' }] },
    };
    const result = run(bad, cm('foo'));
    assert.equal(result?.status, 'pass');
    assert.match(
      result?.generateError ?? '',
      /failed to evaluate 0 foreach list: .*must evaluate to a list, got object/,
    );
  });

  it('generates nothing for a null list and errors on a missing one', () => {
    const withList = (list: string): Rule => ({
      ...rule,
      generate: { foreach: [{ ...entry, list }] },
    });
    assert.deepEqual(run(withList('request.object.data.namespaces'), cm(null))?.generatedResources, []);
    const missing = run(withList('request.object.nothing'), cm('foo'));
    assert.equal(missing?.status, 'pass');
    assert.match(missing?.generateError ?? '', /failed to evaluate 0 foreach list: /);
  });

  it('collects the errors of every failing element', () => {
    const clone: Rule = {
      ...rule,
      generate: {
        foreach: [
          {
            list: "request.object.data.namespaces | split(@, ',')",
            apiVersion: 'v1',
            kind: 'Secret',
            name: 'regcred',
            namespace: '{{ element }}',
            clone: { namespace: 'default', name: 'regcred' },
          },
        ],
      },
    };
    const result = run(clone, cm('a,b'), { cluster: [] });
    assert.equal(result?.status, 'pass');
    assert.equal(
      result?.generateError,
      'failed to generate resource: failed to process 0 foreach in rule k-kafka-address: ' +
        'failed to process 0 element: source resource v1/Secret/default/regcred not found; ' +
        'failed to process 1 element: source resource v1/Secret/default/regcred not found',
    );
    assert.deepEqual(
      run(clone, cm('a,b'), { cluster: [regcred] })?.generatedResources?.map((o) => o.metadata?.namespace),
      ['a', 'b'],
    );
  });
});

describe('generateRule: rule outcome around generation', () => {
  it('ignores rules without a generate block', () => {
    assert.equal(run({ name: 'v', validate: { deny: {} } }, namespace), undefined);
  });

  it('fails on DELETE, the old trigger matching', () => {
    const result = run(zkKafka, namespace, { operation: 'DELETE' });
    assert.equal(result?.status, 'fail');
    assert.equal(result?.generatedResources, undefined);
  });

  it('generates on DELETE when the deleted trigger is the new object (the background controller)', () => {
    const request: EvaluationRequest = {
      resource: namespace,
      oldResource: namespace,
      operation: 'DELETE',
      ports: {},
    };
    const result = generateRule({
      rule: zkKafka,
      ctx: createRequestContext(request),
      request,
      resource: namespace,
      policyName: 'gen',
    });
    assert.equal(result?.status, 'pass');
    const made = result?.generatedResources?.[0];
    assert.equal(made?.metadata?.namespace, 'team-a');
    assert.equal(made?.metadata?.labels?.['generate.kyverno.io/trigger-uid'], 'ns-uid-1');
  });

  it('keeps a namespaced Policy inside its namespace', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' } };
    const rule: Rule = { ...zkKafka, generate: { ...zkKafka.generate, namespace: 'other' } };
    const result = run(rule, pod, { namespace: 'team-a' });
    assert.equal(result?.status, 'pass');
    assert.match(
      result?.generateError ?? '',
      /generate\.namespace "other" must equal policy namespace "team-a"/,
    );
    const inside = run({ ...rule, generate: { ...zkKafka.generate, namespace: 'team-a' } }, pod, {
      namespace: 'team-a',
    });
    assert.equal(inside?.status, 'pass');
    const labels = inside?.generatedResources?.[0]?.metadata?.labels;
    assert.equal(labels?.['generate.kyverno.io/policy-namespace'], 'team-a');
  });

  it('keeps clone sources of a namespaced Policy inside its namespace', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' } };
    const rule: Rule = { ...syncSecret, generate: { ...syncSecret.generate, namespace: 'team-a' } };
    const result = run(rule, pod, { namespace: 'team-a', cluster: [regcred] });
    assert.equal(result?.status, 'pass');
    assert.match(
      result?.generateError ?? '',
      /generate\.clone\.namespace "default" must equal policy namespace "team-a"/,
    );
  });
});
