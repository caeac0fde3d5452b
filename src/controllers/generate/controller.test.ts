import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  admit,
  compilePolicySet,
  type KubeObject,
  type PolicySet,
  requestForObject,
} from '../../engine/index.js';
import type { ClusterObjects } from '../../io/cluster/cluster-objects.js';
import {
  type GenerateRequest,
  type GenerateRequestStore,
  generateRequestName,
} from '../../io/cluster/generate-requests.js';
import type { EventInfo } from '../../io/events/event-info.js';
import { createGenerateController } from './controller.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const labelsOf = (o: KubeObject | undefined): Record<string, string> =>
  (o?.metadata?.labels ?? {}) as Record<string, string>;

/** An in-memory cluster: objects by apiVersion/kind/namespace/name, uids and label selectors. */
function fakeCluster(initial: KubeObject[]) {
  const objects = new Map<string, KubeObject>();
  let uid = 0;
  const writes: string[] = [];
  const key = (apiVersion: string, kind: string, ns: string | undefined, name: string) =>
    `${apiVersion}/${kind}/${ns ?? ''}/${name}`;
  const keyOf = (o: KubeObject) =>
    key(str(o.apiVersion), str(o.kind), str(o.metadata?.namespace) || undefined, str(o.metadata?.name));
  const put = (o: KubeObject): KubeObject => {
    const stored = structuredClone(o);
    stored.metadata = { ...stored.metadata, uid: str(o.metadata?.uid) || `uid-${++uid}` };
    objects.set(keyOf(stored), stored);
    return stored;
  };
  for (const o of initial) put(o);
  const matches = (o: KubeObject, apiVersion: string, kind: string, ns?: string) =>
    (apiVersion === '' || o.apiVersion === apiVersion) &&
    o.kind === kind &&
    (ns === undefined || (o.metadata?.namespace ?? '') === ns);
  const selected = (o: KubeObject, selector?: string) =>
    (selector ?? '')
      .split(',')
      .filter((s) => s !== '')
      .every((pair) => {
        const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
        if (pair.startsWith('!')) return labels[pair.slice(1)] === undefined;
        const [k = '', v = ''] = pair.split('=');
        return labels[k] === v;
      });
  const client: ClusterObjects = {
    async get(apiVersion, kind, ns, name) {
      const hit = [...objects.values()].find(
        (o) => matches(o, apiVersion, kind, ns ?? '') && o.metadata?.name === name,
      );
      return hit === undefined ? undefined : structuredClone(hit);
    },
    async list(apiVersion, kind, ns, selector) {
      return [...objects.values()]
        .filter((o) => matches(o, apiVersion, kind, ns) && selected(o, selector))
        .map((o) => structuredClone(o));
    },
    async create(o) {
      writes.push(`create ${keyOf(o)}`);
      return put(o);
    },
    async apply(o) {
      writes.push(`apply ${keyOf(o)}`);
      const existing = objects.get(keyOf(o));
      return put({ ...o, metadata: { ...o.metadata, uid: existing?.metadata?.uid ?? '' } });
    },
    async update(o) {
      writes.push(`update ${keyOf(o)}`);
      return put(o);
    },
    async delete(apiVersion, kind, ns, name) {
      writes.push(`delete ${key(apiVersion, kind, ns, name)}`);
      objects.delete(key(apiVersion, kind, ns, name));
    },
  };
  return {
    client,
    writes,
    put,
    get: (apiVersion: string, kind: string, ns: string | undefined, name: string) =>
      objects.get(key(apiVersion, kind, ns, name)),
    remove: (apiVersion: string, kind: string, ns: string | undefined, name: string) =>
      objects.delete(key(apiVersion, kind, ns, name)),
  };
}

function fakeRequests() {
  const records = new Map<string, GenerateRequest>();
  const store: GenerateRequestStore = {
    async put(r) {
      records.set(generateRequestName(r), r);
    },
    async list() {
      return [...records].map(([name, request]) => ({ name, request }));
    },
    async remove(name) {
      records.delete(name);
    },
  };
  return { store, records };
}

function policySet(...documents: Record<string, unknown>[]): PolicySet {
  const out = compilePolicySet(
    documents.map((document) => ({ document: document as never, source: 'test' })),
  );
  assert.deepEqual(out.diagnostics, []);
  return out.set;
}

const namespace = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const clusterPolicy = (name: string, generate: Record<string, unknown>, kinds = ['Namespace']) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name },
  spec: { rules: [{ name: 'gen', match: { any: [{ resources: { kinds } }] }, generate }] },
});

const quota = (sync: boolean, extra: Record<string, unknown> = {}) =>
  clusterPolicy('quota', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'quota',
    namespace: '{{request.object.metadata.name}}',
    synchronize: sync,
    data: { data: { owner: '{{request.object.metadata.name}}' } },
    ...extra,
  });

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function eventually<T>(what: string, probe: () => T | undefined, ms = 3000): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Leaderships still running: a failed assertion must not leave a lead loop holding the process. */
const running: { abort: AbortController; run?: Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.abort.abort();
    await r.run;
  }
});

/** An AbortController whose abort the afterEach hook also calls. */
function leadership(): AbortController {
  const c = new AbortController();
  running.push({ abort: c });
  return c;
}

function setup(set: PolicySet, objects: KubeObject[]) {
  const cluster = fakeCluster(objects);
  const requests = fakeRequests();
  const events: EventInfo[] = [];
  const controller = createGenerateController({
    events: { add: (...e) => events.push(...e) },
    objects: cluster.client,
    requests: requests.store,
    policies: () => set,
    logger,
    resyncMs: 30,
    pollMs: 10,
    queue: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
  });
  return { cluster, requests, controller, events };
}

/** What admission hands the sink: the generated objects of a CREATE. */
function admitted(
  controller: ReturnType<typeof createGenerateController>,
  trigger: KubeObject,
  policy: string,
) {
  controller.onGenerated(
    [
      {
        policy: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: policy },
        object: { kind: 'ConfigMap', metadata: { labels: { 'generate.kyverno.io/rule-name': 'gen' } } },
      },
    ],
    {
      uid: 'u',
      kind: { group: '', version: 'v1', kind: str(trigger.kind) },
      resource: { group: '', version: 'v1', resource: 'namespaces' },
      name: str(trigger.metadata?.name),
      operation: 'CREATE',
      object: trigger,
    } as never,
  );
}

describe('generate controller', () => {
  test('an admission record is processed by the leader: the object created with Kyverno’s labels, the record removed', async () => {
    const { cluster, requests, controller, events } = setup(policySet(quota(false)), [namespace('team')]);
    const trigger = cluster.get('v1', 'Namespace', undefined, 'team');
    assert.ok(trigger);
    admitted(controller, trigger, 'quota');
    await controller.flush();
    assert.equal(requests.records.size, 1, 'recorded, whoever leads');
    assert.equal(cluster.writes.length, 0, 'nothing is written before this replica leads');
    const leading = leadership();
    const run = controller.lead(leading.signal);
    const made = await eventually('the ConfigMap', () => cluster.get('v1', 'ConfigMap', 'team', 'quota'));
    assert.deepEqual(made.data, { owner: 'team' });
    const labels = made.metadata?.labels as Record<string, string>;
    assert.equal(labels['generate.kyverno.io/policy-name'], 'quota');
    assert.equal(labels['generate.kyverno.io/rule-name'], 'gen');
    assert.equal(labels['generate.kyverno.io/trigger-uid'], trigger.metadata?.uid);
    assert.equal(labels['app.kubernetes.io/managed-by'], 'kyverno');
    // Kyverno's kyverno-generate events: on the object made, and on the policy.
    assert.deepEqual(
      events.map((e) => [e.source, e.reason, e.regarding.kind, e.regarding.name, e.message]),
      [
        [
          'kyverno-generate',
          'PolicyApplied',
          'ConfigMap',
          'quota',
          'Created ConfigMap quota as a result of applying policy quota/gen',
        ],
        ['kyverno-generate', 'PolicyApplied', 'ClusterPolicy', 'quota', 'resource generated'],
      ],
    );
    await eventually('the record removed', () => requests.records.size === 0);
    leading.abort();
    await run;
  });

  test('without synchronize, a deleted object stays deleted; with it, it is restored and a changed one repaired', async () => {
    for (const sync of [false, true]) {
      const { cluster, controller } = setup(policySet(quota(sync, { generateExisting: true })), [
        namespace('team'),
      ]);
      const leading = leadership();
      const run = controller.lead(leading.signal);
      await eventually('generated for the existing namespace', () =>
        cluster.get('v1', 'ConfigMap', 'team', 'quota'),
      );
      await new Promise((r) => setTimeout(r, 80)); // one resync sees it
      cluster.remove('v1', 'ConfigMap', 'team', 'quota');
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(
        cluster.get('v1', 'ConfigMap', 'team', 'quota') !== undefined,
        sync,
        `synchronize: ${sync}`,
      );
      if (sync) {
        const changed = cluster.get('v1', 'ConfigMap', 'team', 'quota');
        assert.ok(changed);
        cluster.put({ ...changed, data: { owner: 'someone-else' } });
        await eventually('repaired', () =>
          (cluster.get('v1', 'ConfigMap', 'team', 'quota')?.data as Record<string, string> | undefined)
            ?.owner === 'team'
            ? true
            : undefined,
        );
      }
      leading.abort();
      await run;
    }
  });

  test('a trigger deleted takes its synchronized downstream with it', async () => {
    const { cluster, controller } = setup(policySet(quota(true, { generateExisting: true })), [
      namespace('team'),
    ]);
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually('generated', () => cluster.get('v1', 'ConfigMap', 'team', 'quota'));
    cluster.remove('v1', 'Namespace', undefined, 'team');
    await eventually('deleted', () =>
      cluster.get('v1', 'ConfigMap', 'team', 'quota') === undefined ? true : undefined,
    );
    assert.ok(cluster.writes.includes('delete v1/ConfigMap/team/quota'));
    leading.abort();
    await run;
  });

  test('a deleted policy takes the downstream of its synchronized rules, unless orphaned or merely left out', async () => {
    for (const orphan of [false, true]) {
      const policy = quota(true, { generateExisting: true, orphanDownstreamOnPolicyDelete: orphan });
      const stored = { ...policy, metadata: { name: 'quota' } } as KubeObject;
      let set: PolicySet | undefined = policySet(policy);
      const cluster = fakeCluster([namespace('team'), stored]);
      const controller = createGenerateController({
        objects: cluster.client,
        requests: fakeRequests().store,
        policies: () => set,
        logger,
        resyncMs: 30,
        pollMs: 10,
      });
      const leading = leadership();
      const run = controller.lead(leading.signal);
      await eventually('generated', () => cluster.get('v1', 'ConfigMap', 'team', 'quota'));
      await new Promise((r) => setTimeout(r, 80));
      set = policySet(); // left out of the set (it stopped compiling) but still in the cluster
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(cluster.get('v1', 'ConfigMap', 'team', 'quota'), 'kept while the policy exists');
      cluster.remove('kyverno.io/v1', 'ClusterPolicy', undefined, 'quota');
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(
        cluster.get('v1', 'ConfigMap', 'team', 'quota') === undefined,
        !orphan,
        `orphan: ${orphan}`,
      );
      leading.abort();
      await run;
    }
  });

  test('clone copies the source from another namespace and follows it when synchronized', async () => {
    const policy = clusterPolicy('clone', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'shared',
      namespace: '{{request.object.metadata.name}}',
      synchronize: true,
      generateExisting: true,
      clone: { namespace: 'source', name: 'shared' },
    });
    const source = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: 'source' },
      data: { c: 'blue' },
    };
    const { cluster, controller } = setup(policySet(policy), [
      namespace('team'),
      namespace('source'),
      source,
    ]);
    const leading = leadership();
    const run = controller.lead(leading.signal);
    const copy = await eventually('the clone', () => cluster.get('v1', 'ConfigMap', 'team', 'shared'));
    assert.deepEqual(copy.data, { c: 'blue' });
    assert.equal(
      (copy.metadata?.labels as Record<string, string> | undefined)?.['generate.kyverno.io/source-namespace'],
      'source',
    );
    const stored = cluster.get('v1', 'ConfigMap', 'source', 'shared');
    assert.ok(stored);
    cluster.put({ ...stored, data: { c: 'green' } });
    await eventually('the clone updated', () =>
      (cluster.get('v1', 'ConfigMap', 'team', 'shared')?.data as Record<string, string> | undefined)?.c ===
      'green'
        ? true
        : undefined,
    );
    leading.abort();
    await run;
  });

  test('a trigger that never appears is retried, then given up and its record removed', async () => {
    const { cluster, requests, controller } = setup(policySet(quota(false)), []);
    admitted(controller, namespace('denied'), 'quota');
    await controller.flush();
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually('given up', () => requests.records.size === 0);
    assert.deepEqual(cluster.writes, []);
    leading.abort();
    await run;
  });

  test('a namespaced Policy never writes outside its namespace', async () => {
    const policy = {
      apiVersion: 'kyverno.io/v1',
      kind: 'Policy',
      metadata: { name: 'escape', namespace: 'team' },
      spec: {
        rules: [
          {
            name: 'gen',
            match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
            generate: {
              generateExisting: true,
              apiVersion: 'v1',
              kind: 'Secret',
              name: 'out',
              namespace: 'other',
              data: {},
            },
          },
        ],
      },
    };
    const trigger = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team' } };
    const { cluster, controller } = setup(policySet(policy), [namespace('team'), trigger]);
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(cluster.writes, []);
    leading.abort();
    await run;
  });

  test('a trigger relabelled out of a synchronized rule loses its downstream; an unsynchronized rule keeps its', async () => {
    const rule = (name: string, sync: boolean) => ({
      name,
      match: { any: [{ resources: { kinds: ['Namespace'], selector: { matchLabels: { tenant: 'yes' } } } }] },
      generate: {
        generateExisting: true,
        synchronize: sync,
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: name,
        namespace: '{{request.object.metadata.name}}',
        data: { data: { a: 'b' } },
      },
    });
    const policy = {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'tenant' },
      spec: { rules: [rule('synced', true), rule('kept', false)] },
    };
    const { cluster, controller } = setup(policySet(policy), [namespace('team', { tenant: 'yes' })]);
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually(
      'both generated',
      () =>
        cluster.get('v1', 'ConfigMap', 'team', 'synced') && cluster.get('v1', 'ConfigMap', 'team', 'kept'),
    );
    const ns = cluster.get('v1', 'Namespace', undefined, 'team');
    assert.ok(ns);
    cluster.put({ ...ns, metadata: { ...ns.metadata, labels: { tenant: 'no' } } });
    await eventually('the synchronized one deleted', () =>
      cluster.get('v1', 'ConfigMap', 'team', 'synced') === undefined ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(cluster.get('v1', 'ConfigMap', 'team', 'kept'), 'create-once downstream kept');
    leading.abort();
    await run;
  });

  test('a GeneratingPolicy: Kyverno’s labels, restored when deleted, deleted when the trigger stops matching', async () => {
    const gpol = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'GeneratingPolicy',
      metadata: { name: 'gp' },
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] },
          ],
        },
        matchConditions: [
          { name: 'tenant', expression: "object.metadata.?labels.?tenant.orValue('') == 'yes'" },
        ],
        evaluation: { synchronize: { enabled: true } },
        generate: [
          {
            expression:
              'generator.Apply(object.metadata.name, [{"apiVersion": dyn("v1"), "kind": dyn("ConfigMap"), "metadata": dyn({"name": "gp"}), "data": dyn({"a": "b"})}])',
          },
        ],
      },
    };
    const { cluster, controller } = setup(policySet(gpol), [namespace('team', { tenant: 'yes' })]);
    const trigger = cluster.get('v1', 'Namespace', undefined, 'team');
    assert.ok(trigger);
    controller.onGenerated(
      [
        {
          policy: { apiVersion: 'policies.kyverno.io/v1beta1', kind: 'GeneratingPolicy', name: 'gp' },
          object: {},
        },
      ],
      {
        uid: 'u',
        kind: { group: '', version: 'v1', kind: 'Namespace' },
        resource: { group: '', version: 'v1', resource: 'namespaces' },
        name: 'team',
        operation: 'CREATE',
        object: trigger,
      } as never,
    );
    await controller.flush();
    const leading = leadership();
    const run = controller.lead(leading.signal);
    const made = await eventually('generated', () => cluster.get('v1', 'ConfigMap', 'team', 'gp'));
    assert.deepEqual(made.metadata?.labels, {
      'app.kubernetes.io/managed-by': 'kyverno',
      'generate.kyverno.io/policy-name': 'gp',
      'generate.kyverno.io/trigger-name': 'team',
      'generate.kyverno.io/trigger-namespace': '',
      'generate.kyverno.io/trigger-uid': trigger.metadata?.uid,
      'generate.kyverno.io/trigger-kind': 'Namespace',
      'generate.kyverno.io/trigger-group': '',
      'generate.kyverno.io/trigger-version': 'v1',
    });
    cluster.remove('v1', 'ConfigMap', 'team', 'gp');
    await eventually('restored', () => cluster.get('v1', 'ConfigMap', 'team', 'gp'));
    cluster.put({ ...trigger, metadata: { ...trigger.metadata, labels: {} } });
    await eventually('deleted once the trigger no longer matches', () =>
      cluster.get('v1', 'ConfigMap', 'team', 'gp') === undefined ? true : undefined,
    );
    leading.abort();
    await run;
  });

  test('a synchronized GeneratingPolicy that generates less after its trigger changed deletes the rest', async () => {
    const gpol = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'GeneratingPolicy',
      metadata: { name: 'per-item' },
      spec: {
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['namespaces'],
            },
          ],
        },
        evaluation: { synchronize: { enabled: true } },
        generate: [
          {
            expression:
              'generator.Apply(object.metadata.name, object.metadata.labels.items.split("-").map(i, {"apiVersion": dyn("v1"), "kind": dyn("ConfigMap"), "metadata": dyn({"name": "item-" + i})}))',
          },
        ],
      },
    };
    const { cluster, controller } = setup(policySet(gpol), [namespace('team', { items: 'a-b' })]);
    const admit = (operation: 'CREATE' | 'UPDATE') => {
      const trigger = cluster.get('v1', 'Namespace', undefined, 'team');
      controller.onGenerated(
        [
          {
            policy: { apiVersion: 'policies.kyverno.io/v1beta1', kind: 'GeneratingPolicy', name: 'per-item' },
            object: {},
          },
        ],
        {
          uid: 'u',
          kind: { group: '', version: 'v1', kind: 'Namespace' },
          resource: { group: '', version: 'v1', resource: 'namespaces' },
          name: 'team',
          operation,
          object: trigger,
        } as never,
      );
    };
    admit('CREATE');
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually(
      'both generated',
      () =>
        cluster.get('v1', 'ConfigMap', 'team', 'item-a') && cluster.get('v1', 'ConfigMap', 'team', 'item-b'),
    );
    const ns = cluster.get('v1', 'Namespace', undefined, 'team');
    assert.ok(ns);
    cluster.put({ ...ns, metadata: { ...ns.metadata, labels: { items: 'a' } } });
    admit('UPDATE');
    await eventually('item-b deleted', () =>
      cluster.get('v1', 'ConfigMap', 'team', 'item-b') === undefined ? true : undefined,
    );
    assert.ok(cluster.get('v1', 'ConfigMap', 'team', 'item-a'), 'the one still generated stays');
    leading.abort();
    await run;
  });

  test('a NamespacedGeneratingPolicy deletes only in its namespace, whatever carries its name elsewhere', async () => {
    const ngpol = {
      apiVersion: 'policies.kyverno.io/v1beta1',
      kind: 'NamespacedGeneratingPolicy',
      metadata: { name: 'gp', namespace: 'team' },
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
        matchConditions: [{ name: 'on', expression: "object.metadata.?labels.?on.orValue('') == 'yes'" }],
        evaluation: { synchronize: { enabled: true } },
        generate: [
          {
            expression:
              'generator.Apply("team", [{"apiVersion": dyn("v1"), "kind": dyn("Secret"), "metadata": dyn({"name": object.metadata.name + "-s"})}])',
          },
        ],
      },
    };
    const trigger = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'team', uid: 't1', labels: { on: 'yes' } },
    };
    const lookalike = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'cm-s',
        namespace: 'other',
        labels: {
          'app.kubernetes.io/managed-by': 'kyverno',
          'generate.kyverno.io/policy-name': 'gp',
          'generate.kyverno.io/trigger-uid': 't1',
          'generate.kyverno.io/trigger-kind': 'ConfigMap',
          'generate.kyverno.io/trigger-version': 'v1',
          'generate.kyverno.io/trigger-namespace': 'team',
        },
      },
    };
    const { cluster, controller } = setup(policySet(ngpol), [
      namespace('team'),
      namespace('other'),
      trigger,
      lookalike,
    ]);
    controller.onGenerated(
      [
        {
          policy: {
            apiVersion: 'policies.kyverno.io/v1beta1',
            kind: 'NamespacedGeneratingPolicy',
            name: 'gp',
            namespace: 'team',
          },
          object: {},
        },
      ],
      {
        uid: 'u',
        kind: { group: '', version: 'v1', kind: 'ConfigMap' },
        resource: { group: '', version: 'v1', resource: 'configmaps' },
        namespace: 'team',
        name: 'cm',
        operation: 'CREATE',
        object: trigger,
      } as never,
    );
    await controller.flush();
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually('generated in its namespace', () => cluster.get('v1', 'Secret', 'team', 'cm-s'));
    const stored = cluster.get('v1', 'ConfigMap', 'team', 'cm');
    assert.ok(stored);
    cluster.put({ ...stored, metadata: { ...stored.metadata, labels: { on: 'no' } } });
    await eventually('its own deleted', () =>
      cluster.get('v1', 'Secret', 'team', 'cm-s') === undefined ? true : undefined,
    );
    assert.ok(cluster.get('v1', 'Secret', 'other', 'cm-s'), 'the look-alike elsewhere is not its own');
    leading.abort();
    await run;
  });
});

describe('generate controller: clones follow their source', () => {
  const cm = (name: string, ns: string, data: Record<string, string>, extra: Record<string, unknown> = {}) =>
    ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, ...extra },
      data,
    }) as KubeObject;
  const cloneRule = (sync: boolean) =>
    clusterPolicy('clone', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'shared',
      namespace: '{{request.object.metadata.name}}',
      synchronize: sync,
      generateExisting: true,
      clone: { namespace: 'source', name: 'shared' },
    });

  test('a ClusterPolicy’s synchronized clone is deleted with its source; an unsynchronized one stays', async () => {
    for (const sync of [true, false]) {
      const { cluster, controller } = setup(policySet(cloneRule(sync)), [
        namespace('team'),
        namespace('source'),
        cm('shared', 'source', { c: 'blue' }, { uid: 'src-1' }),
      ]);
      const leading = leadership();
      const run = controller.lead(leading.signal);
      const copy = await eventually('the clone', () => cluster.get('v1', 'ConfigMap', 'team', 'shared'));
      const labels = copy.metadata?.labels as Record<string, string>;
      assert.equal(labels['generate.kyverno.io/source-uid'], 'src-1');
      assert.equal(labels['generate.kyverno.io/source-name'], 'shared');
      await new Promise((r) => setTimeout(r, 80));
      cluster.remove('v1', 'ConfigMap', 'source', 'shared');
      if (sync)
        await eventually('the clone deleted', () =>
          cluster.get('v1', 'ConfigMap', 'team', 'shared') === undefined ? true : undefined,
        );
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(cluster.get('v1', 'ConfigMap', 'team', 'shared') !== undefined, !sync, `sync: ${sync}`);
      leading.abort();
      await run;
    }
  });

  const gpolClone = (name: string, orphan = false) => ({
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind: 'GeneratingPolicy',
    metadata: { name },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] },
        ],
      },
      matchConditions: [{ name: 'team', expression: "object.metadata.name == 'team'" }],
      evaluation: {
        synchronize: { enabled: true },
        orphanDownstreamOnPolicyDelete: { enabled: orphan },
      },
      variables: [{ name: 'source', expression: 'resource.Get("v1", "configmaps", "source", "shared")' }],
      generate: [
        { expression: 'generator.Apply(object.metadata.name, [variables.source])' },
        {
          expression:
            'generator.Apply(object.metadata.name, [{"apiVersion": dyn("v1"), "kind": dyn("ConfigMap"), "metadata": dyn({"name": "made"}), "data": dyn({"a": "b"})}])',
        },
      ],
    },
  });
  const withVersion = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '1' } });
  /** Admission of the namespace `team` records the GeneratingPolicy `gp`'s work. */
  const admitTeam = async (
    controller: ReturnType<typeof createGenerateController>,
    team: KubeObject | undefined,
  ) => {
    assert.ok(team);
    controller.onGenerated(
      [
        {
          policy: { apiVersion: 'policies.kyverno.io/v1beta1', kind: 'GeneratingPolicy', name: 'gp' },
          object: {},
        },
      ],
      {
        uid: 'u',
        kind: { group: '', version: 'v1', kind: 'Namespace' },
        resource: { group: '', version: 'v1', resource: 'namespaces' },
        name: 'team',
        namespace: '',
        operation: 'CREATE',
        object: team,
        oldObject: null,
      },
    );
    await controller.flush();
  };

  test('a GeneratingPolicy’s clone carries its source’s uid, follows its changes and goes with it', async () => {
    const { cluster, controller } = setup(policySet(gpolClone('gp')), [
      namespace('team'),
      namespace('source'),
      withVersion(cm('shared', 'source', { c: 'blue' }, { uid: 'src-1' })),
    ]);
    await admitTeam(controller, cluster.get('v1', 'Namespace', undefined, 'team'));
    const leading = leadership();
    const run = controller.lead(leading.signal);
    const copy = await eventually('the clone', () => cluster.get('v1', 'ConfigMap', 'team', 'shared'));
    assert.equal(labelsOf(copy)['generate.kyverno.io/source-uid'], 'src-1');
    const made = cluster.get('v1', 'ConfigMap', 'team', 'made');
    assert.equal(labelsOf(made)['generate.kyverno.io/source-uid'], undefined);
    const source = cluster.get('v1', 'ConfigMap', 'source', 'shared');
    assert.ok(source);
    cluster.put({ ...source, data: { c: 'green' } });
    await eventually('the clone updated', () =>
      (cluster.get('v1', 'ConfigMap', 'team', 'shared')?.data as Record<string, string> | undefined)?.c ===
      'green'
        ? true
        : undefined,
    );
    cluster.remove('v1', 'ConfigMap', 'source', 'shared');
    await eventually('the clone deleted', () =>
      cluster.get('v1', 'ConfigMap', 'team', 'shared') === undefined ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(cluster.get('v1', 'ConfigMap', 'team', 'shared'), undefined, 'not generated again');
    leading.abort();
    await run;
  });

  test('deleting a GeneratingPolicy keeps its clones and deletes the rest of its downstream', async () => {
    const policy = gpolClone('gp');
    let set: PolicySet | undefined = policySet(policy);
    const cluster = fakeCluster([
      namespace('team'),
      namespace('source'),
      withVersion(cm('shared', 'source', { c: 'blue' }, { uid: 'src-1' })),
      policy as KubeObject,
    ]);
    const controller = createGenerateController({
      objects: cluster.client,
      requests: fakeRequests().store,
      policies: () => set,
      logger,
      resyncMs: 30,
      pollMs: 10,
    });
    await admitTeam(controller, cluster.get('v1', 'Namespace', undefined, 'team'));
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually(
      'both generated',
      () =>
        cluster.get('v1', 'ConfigMap', 'team', 'shared') && cluster.get('v1', 'ConfigMap', 'team', 'made'),
    );
    await new Promise((r) => setTimeout(r, 80));
    set = policySet();
    cluster.remove('policies.kyverno.io/v1beta1', 'GeneratingPolicy', undefined, 'gp');
    await eventually('the generated object deleted', () =>
      cluster.get('v1', 'ConfigMap', 'team', 'made') === undefined ? true : undefined,
    );
    assert.ok(cluster.get('v1', 'ConfigMap', 'team', 'shared'), 'the clone kept');
    leading.abort();
    await run;
  });
});

describe('generate controller: triggers matching DELETE', () => {
  const onDelete = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'farewell' },
    spec: {
      rules: [
        {
          name: 'note',
          match: { any: [{ resources: { kinds: ['ConfigMap'], operations: ['DELETE'] } }] },
          generate: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: '{{request.object.metadata.name}}-gone',
            namespace: 'archive',
            data: { data: { was: '{{request.object.metadata.name}}' } },
          },
        },
      ],
    },
  };
  const gpolOnDelete = {
    apiVersion: 'policies.kyverno.io/v1beta1',
    kind: 'GeneratingPolicy',
    metadata: { name: 'gp-farewell' },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] },
        ],
      },
      generate: [
        {
          expression:
            'generator.Apply("archive", [{"apiVersion": dyn("v1"), "kind": dyn("ConfigMap"), "metadata": dyn({"name": oldObject.metadata.name + "-gp"}), "data": dyn({"deleted": string(object == null)})}])',
        },
      ],
    },
  };
  const trigger: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'team', uid: 'cm-uid' },
  };

  /** Admission of the deletion of `trigger`, its responses as the engine answers them. */
  async function admitDeletion(
    controller: ReturnType<typeof createGenerateController>,
    set: PolicySet,
    allowed = true,
  ) {
    const request = requestForObject(trigger, 'DELETE');
    const outcome = await admit(set, request, { ports: {} }, { profile: 'admission' });
    controller.onGenerated(outcome.generated, request);
    controller.onAdmitted({
      request,
      set,
      select: () => true,
      role: 'validate',
      responses: outcome.responses,
      allowed,
    });
    await controller.flush();
  }

  test('a ClusterPolicy rule and a GeneratingPolicy matching DELETE generate from the deleted trigger', async () => {
    const set = policySet(onDelete, gpolOnDelete);
    const { cluster, requests, controller } = setup(set, [namespace('team'), namespace('archive')]);
    await admitDeletion(controller, set);
    assert.equal(requests.records.size, 2);
    const leading = leadership();
    const run = controller.lead(leading.signal);
    const note = await eventually('the rule’s object', () =>
      cluster.get('v1', 'ConfigMap', 'archive', 'cm-gone'),
    );
    assert.deepEqual(note.data, { was: 'cm' });
    assert.equal(labelsOf(note)['generate.kyverno.io/trigger-uid'], 'cm-uid');
    const gp = await eventually('the GeneratingPolicy’s object', () =>
      cluster.get('v1', 'ConfigMap', 'archive', 'cm-gp'),
    );
    assert.deepEqual(gp.data, { deleted: 'true' });
    await eventually('the records removed', () => requests.records.size === 0);
    leading.abort();
    await run;
  });

  test('a trigger still there (its deletion refused) generates nothing', async () => {
    const set = policySet(onDelete);
    const { cluster, requests, controller } = setup(set, [namespace('team'), namespace('archive'), trigger]);
    await admitDeletion(controller, set);
    const leading = leadership();
    const run = controller.lead(leading.signal);
    await eventually('given up', () => requests.records.size === 0);
    assert.equal(cluster.get('v1', 'ConfigMap', 'archive', 'cm-gone'), undefined);
    leading.abort();
    await run;
  });

  test('a rule that does not match DELETE records nothing on a deletion', async () => {
    const set = policySet(quota(true, {}));
    const { requests, controller } = setup(set, [namespace('team')]);
    const request = requestForObject(namespace('team'), 'DELETE');
    const outcome = await admit(set, request, { ports: {} }, { profile: 'admission' });
    controller.onAdmitted({
      request,
      set,
      select: () => true,
      role: 'validate',
      responses: outcome.responses,
      allowed: true,
    });
    await controller.flush();
    assert.equal(requests.records.size, 0);
  });
});
