import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  type AdmissionRequest,
  type CompiledSetPolicy,
  compilePolicySet,
  type KubeObject,
  type PolicySet,
  requestForObject,
} from '../../engine/index.js';
import { asyncClusterReader, type ClusterObjects } from '../../io/cluster/cluster-objects.js';
import { KubeApiError } from '../../io/cluster/kube-rest.js';
import {
  type MutateRequest,
  type MutateRequestStore,
  mutateRequestName,
} from '../../io/cluster/mutate-requests.js';
import type { EventInfo } from '../../io/events/event-info.js';
import { admissionRecord, createMutateExistingController, recordedPolicies } from './controller.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** An in-memory cluster with resourceVersions: an update of a stale copy is a 409. */
function fakeCluster(initial: KubeObject[]) {
  const objects = new Map<string, KubeObject>();
  let version = 0;
  const updates: string[] = [];
  const key = (apiVersion: string, kind: string, ns: string | undefined, name: string) =>
    `${apiVersion}/${kind}/${ns ?? ''}/${name}`;
  const keyOf = (o: KubeObject) =>
    key(str(o.apiVersion), str(o.kind), str(o.metadata?.namespace) || undefined, str(o.metadata?.name));
  const put = (o: KubeObject): KubeObject => {
    const stored = structuredClone(o);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++version) };
    objects.set(keyOf(stored), stored);
    return stored;
  };
  for (const o of initial) put(o);
  /** Called before each update: lets a test change the object meanwhile. */
  let beforeUpdate: (o: KubeObject) => void = () => undefined;
  const client: ClusterObjects = {
    async get(apiVersion, kind, ns, name) {
      const hit = objects.get(key(apiVersion, kind, ns, name));
      return hit === undefined ? undefined : structuredClone(hit);
    },
    async list(apiVersion, kind, ns) {
      return [...objects.values()]
        .filter(
          (o) =>
            (apiVersion === '' || o.apiVersion === apiVersion) &&
            o.kind === kind &&
            (ns === undefined || o.metadata?.namespace === ns),
        )
        .map((o) => structuredClone(o));
    },
    async create(o) {
      return put(o);
    },
    async apply(o) {
      return put(o);
    },
    async update(o, subresource) {
      beforeUpdate(o);
      const current = objects.get(keyOf(o));
      if (current === undefined) throw new KubeApiError(404, 'not found', 'NotFound');
      if (current.metadata?.resourceVersion !== o.metadata?.resourceVersion)
        throw new KubeApiError(409, 'the object has been modified', 'Conflict');
      updates.push(`${keyOf(o)}${subresource !== undefined ? `/${subresource}` : ''}`);
      // A status update keeps the stored spec; a plain update keeps the stored status.
      const next =
        subresource === 'status'
          ? { ...current, status: (o as { status?: unknown }).status }
          : { ...o, status: (current as { status?: unknown }).status };
      return put(next as KubeObject);
    },
    async delete(apiVersion, kind, ns, name) {
      objects.delete(key(apiVersion, kind, ns, name));
    },
  };
  return {
    client,
    updates,
    put,
    get: (apiVersion: string, kind: string, ns: string | undefined, name: string) =>
      objects.get(key(apiVersion, kind, ns, name)),
    onUpdate: (f: (o: KubeObject) => void) => {
      beforeUpdate = f;
    },
  };
}

function fakeRequests() {
  const records = new Map<string, MutateRequest>();
  const store: MutateRequestStore = {
    async put(r) {
      records.set(mutateRequestName(r), r);
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

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const configMap = (ns: string, name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});
const pod = (ns: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

/** A ClusterPolicy (or a Policy in `namespace`) whose rule labels `target` when a Pod is admitted. */
function labelTarget(
  options: {
    name?: string;
    namespace?: string;
    target?: Record<string, unknown>;
    onPolicyUpdate?: boolean;
    operations?: string[];
    patch?: Record<string, unknown>;
  } = {},
) {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: options.namespace !== undefined ? 'Policy' : 'ClusterPolicy',
    metadata: {
      name: options.name ?? 'label-target',
      ...(options.namespace ? { namespace: options.namespace } : {}),
    },
    spec: {
      rules: [
        {
          name: 'label',
          match: {
            any: [
              {
                resources: {
                  kinds: ['Pod'],
                  ...(options.operations ? { operations: options.operations } : {}),
                },
              },
            ],
          },
          mutate: {
            ...(options.onPolicyUpdate !== undefined
              ? { mutateExistingOnPolicyUpdate: options.onPolicyUpdate }
              : {}),
            targets: [
              options.target ?? { apiVersion: 'v1', kind: 'ConfigMap', name: 'target', namespace: 'team' },
            ],
            patchStrategicMerge: options.patch ?? {
              metadata: { labels: { 'last-pod': '{{ request.object.metadata.name }}' } },
            },
          },
        },
      ],
    },
  };
}

async function eventually<T>(what: string, probe: () => T | undefined, ms = 3000): Promise<T> {
  const until = performance.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const running: AbortController[] = [];
const runs: Promise<void>[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) c.abort();
  await Promise.all(runs.splice(0));
});

function setup(set: PolicySet, objects: KubeObject[]) {
  const cluster = fakeCluster(objects);
  const requests = fakeRequests();
  const events: EventInfo[] = [];
  const controller = createMutateExistingController({
    events: { add: (...e) => events.push(...e) },
    objects: cluster.client,
    ports: { cluster: asyncClusterReader(cluster.client) },
    requests: requests.store,
    policies: () => set,
    logger,
    resyncMs: 20,
    pollMs: 10,
    namespace: 'palisade',
    queue: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
  });
  const lead = () => {
    const c = new AbortController();
    running.push(c);
    runs.push(controller.lead(c.signal));
  };
  return { cluster, requests, controller, lead, events };
}

function admission(set: PolicySet, request: AdmissionRequest, role: 'validate' | 'mutate' = 'validate') {
  return { request, set, select: () => true, role, responses: [], allowed: true } as const;
}

const labelOf = (o: KubeObject | undefined, k: string) =>
  (o?.metadata?.labels as Record<string, string>)?.[k];

describe('mutate-existing controller', () => {
  test('a trigger admitted on any replica is recorded; the leader patches the target and removes the record', async () => {
    const set = policySet(labelTarget());
    const { cluster, requests, controller, lead, events } = setup(set, [
      configMap('team', 'target'),
      pod('team', 'web'),
    ]);
    controller.onAdmitted(admission(set, requestForObject(pod('team', 'web'), 'CREATE')));
    await controller.flush();
    assert.equal(requests.records.size, 1);
    const [record] = requests.records.values();
    assert.equal(record?.operation, 'CREATE');
    assert.equal(record?.object, undefined, 'a CREATE is evaluated on the trigger as stored');
    lead();
    await eventually('target patched', () =>
      labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'),
    );
    assert.equal(labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'), 'web');
    await eventually('record removed', () => requests.records.size === 0);
    assert.deepEqual(cluster.updates, ['v1/ConfigMap/team/target']);
    // Kyverno's kyverno-mutate event: on the policy, about the target.
    assert.deepEqual(
      events.map((e) => [e.source, e.reason, e.action, e.regarding.kind, e.related?.name, e.message]),
      [
        [
          'kyverno-mutate',
          'PolicyApplied',
          'Resource Mutated',
          'ClusterPolicy',
          'target',
          'resource mutated',
        ],
      ],
    );
  });

  test('mutateExistingOnPolicyUpdate: existing triggers patch their targets without any admission', async () => {
    const set = policySet(labelTarget({ onPolicyUpdate: true }));
    const { cluster, lead } = setup(set, [configMap('team', 'target'), pod('team', 'old')]);
    lead();
    await eventually('target patched', () =>
      labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'),
    );
    assert.equal(labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'), 'old');
  });

  test('without mutateExistingOnPolicyUpdate nothing happens until a trigger is admitted', async () => {
    const set = policySet(labelTarget());
    const { cluster, lead } = setup(set, [configMap('team', 'target'), pod('team', 'old')]);
    lead();
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(cluster.updates, []);
  });

  test('a 409 reads the target again and evaluates again (the concurrent change is kept)', async () => {
    const set = policySet(labelTarget({ onPolicyUpdate: true }));
    const { cluster, lead } = setup(set, [configMap('team', 'target'), pod('team', 'web')]);
    let changed = false;
    cluster.onUpdate(() => {
      if (changed) return;
      changed = true;
      cluster.put({ ...configMap('team', 'target', { edited: 'yes' }) });
    });
    lead();
    await eventually('target patched', () =>
      labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'),
    );
    const target = cluster.get('v1', 'ConfigMap', 'team', 'target');
    assert.deepEqual(target?.data, { edited: 'yes' });
    assert.equal(cluster.updates.length, 1);
  });

  test('a Kind/status target is written to its status subresource', async () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { capacity: { cpu: '2' } },
    };
    const set = policySet(
      labelTarget({
        onPolicyUpdate: true,
        target: { apiVersion: 'v1', kind: 'Node/status', name: 'n1' },
        patch: { status: { capacity: { 'example.com/dongle': '4' } } },
      }),
    );
    const { cluster, lead } = setup(set, [node as KubeObject, pod('team', 'web')]);
    lead();
    await eventually('status written', () => cluster.updates.length > 0);
    assert.deepEqual(cluster.updates, ['v1/Node//n1/status']);
    const stored = cluster.get('v1', 'Node', undefined, 'n1') as {
      status?: { capacity?: Record<string, string> };
    };
    assert.deepEqual(stored.status?.capacity, { cpu: '2', 'example.com/dongle': '4' });
  });

  test('a namespaced Policy never patches outside its namespace, wildcard or not', async () => {
    const set = policySet(
      labelTarget({
        namespace: 'team',
        onPolicyUpdate: true,
        target: { apiVersion: 'v1', kind: 'ConfigMap', name: 'target', namespace: '*' },
      }),
    );
    const { cluster, lead } = setup(set, [
      configMap('team', 'target'),
      configMap('other', 'target'),
      pod('team', 'web'),
    ]);
    lead();
    await eventually('own namespace patched', () =>
      labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'),
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(labelOf(cluster.get('v1', 'ConfigMap', 'other', 'target'), 'last-pod'), undefined);
    assert.deepEqual(cluster.updates, ['v1/ConfigMap/team/target']);
  });

  test('DELETE: recorded only for rules naming DELETE, evaluated on the deleted object', async () => {
    const onDelete = policySet(labelTarget({ name: 'on-delete', operations: ['DELETE'] }));
    const { cluster, requests, controller, lead } = setup(onDelete, [configMap('team', 'target')]);
    const gone = pod('team', 'gone');
    controller.onAdmitted(admission(onDelete, requestForObject(gone, 'DELETE')));
    await controller.flush();
    const [record] = requests.records.values();
    assert.equal(record?.operation, 'DELETE');
    assert.equal(record?.oldObject?.metadata?.name, 'gone');
    lead();
    await eventually('target patched', () =>
      labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'),
    );
    assert.equal(labelOf(cluster.get('v1', 'ConfigMap', 'team', 'target'), 'last-pod'), 'gone');

    const anyOperation = policySet(labelTarget());
    const second = setup(anyOperation, [configMap('team', 'target')]);
    second.controller.onAdmitted(admission(anyOperation, requestForObject(gone, 'DELETE')));
    await second.controller.flush();
    assert.equal(second.requests.records.size, 0, 'Kyverno skips rules that do not name DELETE');
  });

  test('a trigger that never appears is given up and its record removed', async () => {
    const set = policySet(labelTarget());
    const { cluster, requests, controller, lead } = setup(set, [configMap('team', 'target')]);
    controller.onAdmitted(admission(set, requestForObject(pod('team', 'denied'), 'CREATE')));
    await controller.flush();
    lead();
    await eventually('record removed', () => requests.records.size === 0);
    assert.deepEqual(cluster.updates, []);
  });

  test('a MutatingPolicy with targetMatchConstraints patches the targets of an admitted trigger', async () => {
    const mpol = {
      apiVersion: 'policies.kyverno.io/v1alpha1',
      kind: 'MutatingPolicy',
      metadata: { name: 'mpol' },
      spec: {
        evaluation: { mutateExisting: { enabled: true } },
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
          ],
        },
        targetMatchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
        mutations: [
          {
            patchType: 'ApplyConfiguration',
            applyConfiguration: {
              expression: 'Object{metadata: Object.metadata{labels: {"mutated": "yes"}}}',
            },
          },
        ],
      },
    };
    const set = policySet(mpol);
    const { cluster, controller, lead } = setup(set, [
      configMap('team', 'target'),
      configMap('other', 'second'),
    ]);
    controller.onAdmitted(admission(set, requestForObject(pod('team', 'web'), 'CREATE'), 'mutate'));
    await controller.flush();
    cluster.put(pod('team', 'web'));
    lead();
    // On policy change (every mutate-existing MutatingPolicy) and for the admitted trigger alike.
    await eventually('targets patched', () =>
      ['team/target', 'other/second'].every((id) => {
        const [ns = '', name = ''] = id.split('/');
        return labelOf(cluster.get('v1', 'ConfigMap', ns, name), 'mutated') === 'yes';
      }),
    );
  });
});

describe('what admission records', () => {
  const set = policySet(labelTarget(), labelTarget({ name: 'skips-delete' }));
  const policies = (request: AdmissionRequest, role: 'validate' | 'mutate' = 'validate') =>
    recordedPolicies(
      { request, set, select: () => true, role, responses: [], allowed: true },
      'palisade',
    ).map((p: CompiledSetPolicy) => p.ref.name);

  const table: { name: string; request: AdmissionRequest; role?: 'validate' | 'mutate'; want: string[] }[] = [
    {
      name: 'a CREATE at the validating endpoint',
      request: requestForObject(pod('team', 'a')),
      want: ['label-target', 'skips-delete'],
    },
    {
      name: 'the same request at a mutating endpoint (ClusterPolicy work is recorded once)',
      request: requestForObject(pod('team', 'a')),
      role: 'mutate',
      want: [],
    },
    { name: 'a kind no policy matches', request: requestForObject(configMap('team', 'a')), want: [] },
    {
      name: 'Palisade’s own write (skipBackgroundRequests defaults to true)',
      request: {
        ...requestForObject(pod('team', 'a')),
        userInfo: { username: 'system:serviceaccount:palisade:palisade' },
      },
      want: [],
    },
    {
      name: 'another service account',
      request: {
        ...requestForObject(pod('team', 'a')),
        userInfo: { username: 'system:serviceaccount:team:ci' },
      },
      want: ['label-target', 'skips-delete'],
    },
    { name: 'a CONNECT', request: { ...requestForObject(pod('team', 'a')), operation: 'CONNECT' }, want: [] },
  ];
  for (const row of table)
    test(row.name, () => {
      assert.deepEqual(policies(row.request, row.role), row.want);
    });

  test('only requests the match selects are recorded (selector, exclude, namespaced policy)', () => {
    const selective = labelTarget({ name: 'selective' }) as ReturnType<typeof labelTarget> & {
      spec: { rules: { match: unknown; exclude?: unknown }[] };
    };
    const rule = selective.spec.rules[0] as { match: unknown; exclude?: unknown };
    rule.match = { any: [{ resources: { kinds: ['Pod'], selector: { matchLabels: { app: 'web' } } } }] };
    rule.exclude = { any: [{ resources: { namespaces: ['kube-system'] } }] };
    const local = labelTarget({
      name: 'local',
      namespace: 'team',
      target: { apiVersion: 'v1', kind: 'ConfigMap', name: 't' },
    });
    const s2 = policySet(selective, local);
    const names = (r: AdmissionRequest) =>
      recordedPolicies(
        { request: r, set: s2, select: () => true, role: 'validate', responses: [], allowed: true },
        'palisade',
      ).map((p) => p.ref.name);
    assert.deepEqual(names(requestForObject(pod('team', 'a', { app: 'web' }))), ['selective', 'local']);
    assert.deepEqual(names(requestForObject(pod('team', 'a', { app: 'db' }))), ['local']);
    assert.deepEqual(names(requestForObject(pod('kube-system', 'a', { app: 'web' }))), []);
    assert.deepEqual(names(requestForObject(pod('other', 'a', { app: 'web' }))), ['selective']);
  });

  test('UPDATE and DELETE records carry the objects as admitted; a CREATE does not', () => {
    const policy = set.policies[0] as CompiledSetPolicy;
    const created = admissionRecord(requestForObject(pod('team', 'a')), policy);
    assert.equal(created.object, undefined);
    const updated = admissionRecord(
      {
        ...requestForObject(pod('team', 'a', { v: '2' }), 'UPDATE'),
        oldObject: pod('team', 'a', { v: '1' }),
      },
      policy,
    );
    assert.equal(labelOf(updated.object, 'v'), '2');
    assert.equal(labelOf(updated.oldObject, 'v'), '1');
    assert.deepEqual(updated.trigger, { apiVersion: 'v1', kind: 'Pod', namespace: 'team', name: 'a' });
    const deleted = admissionRecord(requestForObject(pod('team', 'a'), 'DELETE'), policy);
    assert.equal(deleted.object, undefined);
    assert.equal(deleted.oldObject?.metadata?.name, 'a');
  });
});
