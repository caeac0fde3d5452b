// kyverno.io/docs/writing-policies/variables ("Pre-defined Variables", "Variables from container
// images") and kyverno-reference §2.6.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listFunctions } from '../jmespath/evaluate.js';
import { DEFAULT_EVALUATION_LIMITS, LimitExceededError, RequestBudget } from '../limits.js';
import type { KubeObject } from '../model/kube-object.js';
import type { EvaluationRequest } from '../request.js';
import { createRequestContext } from './request-context.js';
import { serviceAccountOf } from './service-account.js';

const hasTimeNow = listFunctions().some((f) => f.name === 'time_now_utc');

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    initContainers: [{ name: 'vault', image: 'ghcr.io/vault:v3' }],
    containers: [{ name: 'nginx', image: 'nginx' }],
  },
};

const base = (over: Partial<EvaluationRequest> = {}): EvaluationRequest => ({
  resource: pod,
  operation: 'CREATE',
  ports: {},
  ...over,
});

describe('createRequestContext', () => {
  test('request fields', () => {
    const ctx = createRequestContext(base());
    assert.equal(ctx.query('request.operation'), 'CREATE');
    assert.equal(ctx.query('request.object.metadata.name'), 'web');
    assert.equal(ctx.query('request.namespace'), 'shop');
    assert.equal(ctx.query('request.name'), 'web');
    assert.deepEqual(ctx.query('request.kind'), { group: '', version: 'v1', kind: 'Pod' });
    assert.equal(ctx.query('request.oldObject'), null);
  });

  test('images for Pods (docs example shape, default registry and tag)', () => {
    const ctx = createRequestContext(base());
    assert.equal(ctx.query('images.containers.nginx.registry'), 'docker.io');
    assert.equal(ctx.query('images.containers.nginx.tag'), 'latest');
    assert.equal(ctx.query('images.containers.nginx.reference'), 'docker.io/nginx:latest');
    assert.equal(ctx.query('images.initContainers.vault.registry'), 'ghcr.io');
    assert.equal(ctx.query('images.initContainers.vault.path'), 'vault');
    assert.equal(ctx.query('images.initContainers.vault.tag'), 'v3');
  });

  test('images for CronJob pod templates', () => {
    const cronjob: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'job', image: 'busybox:1.28' }] } } },
        },
      },
    };
    const ctx = createRequestContext(base({ resource: cronjob }));
    assert.equal(ctx.query('images.containers.job.tag'), '1.28');
    assert.deepEqual(ctx.query('request.kind'), { group: 'batch', version: 'v1', kind: 'CronJob' });
  });

  test('DELETE: object is null, oldObject holds the resource', () => {
    const ctx = createRequestContext(base({ resource: {}, oldResource: pod, operation: 'DELETE' }));
    assert.equal(ctx.query('request.object'), null);
    assert.equal(ctx.query('request.oldObject.metadata.name'), 'web');
    assert.equal(ctx.query('request.namespace'), 'shop');
  });

  test('user info, roles and service account', () => {
    const ctx = createRequestContext(
      base({
        requestInfo: {
          userInfo: { username: 'system:serviceaccount:nirmata:user1', groups: ['g'] },
          roles: ['foo:dave'],
          clusterRoles: ['dave-admin'],
        },
      }),
    );
    assert.equal(ctx.query('serviceAccountName'), 'user1');
    assert.equal(ctx.query('serviceAccountNamespace'), 'nirmata');
    assert.deepEqual(ctx.query('request.roles'), ['foo:dave']);
    assert.deepEqual(ctx.query('request.clusterRoles'), ['dave-admin']);
    assert.equal(ctx.query('request.userInfo.username'), 'system:serviceaccount:nirmata:user1');
  });

  test('global values are applied with dotted paths', () => {
    const ctx = createRequestContext(
      base({
        values: {
          global: { 'request.operation': 'UPDATE', 'cm.data.key': 'v' },
          rules: {},
          foreachValues: {},
        },
      }),
    );
    assert.equal(ctx.query('request.operation'), 'UPDATE');
    assert.equal(ctx.query('cm.data.key'), 'v');
    assert.equal(ctx.query('request.object.metadata.name'), 'web');
  });

  test('global values give the document each one set in turn would give (the operation it holds is not set again)', () => {
    const table: Record<string, unknown>[] = [
      { 'request.operation': 'CREATE' },
      { 'request.operation': 'UPDATE' },
      { 'request.operation': 'CREATE', 'a.b': 1 },
      { request: { kind: 'x' }, 'request.operation': 'CREATE' },
      { request: { operation: 'CREATE', x: 1 }, 'request.operation': 'CREATE' },
      { 'request.operation': 'CREATE', request: { y: 2 } },
      { 'request.operation': 1 },
      // Inherited keys are not values (Object.entries' own enumerable keys only).
      Object.assign(Object.create({ 'x.y': 1 }) as Record<string, unknown>, { 'a.b': 2 }),
    ];
    for (const global of table) {
      const values = { global, rules: {}, foreachValues: {} };
      const ctx = createRequestContext(base({ values }));
      const slow = createRequestContext(base());
      for (const [k, v] of Object.entries(global)) slow.setVariable(k, v);
      assert.equal(JSON.stringify(ctx.root), JSON.stringify(slow.root), JSON.stringify(global));
    }
  });

  test('each resource object gets its own images; the resource is shared, never changed', () => {
    const other: KubeObject = { ...pod, spec: { containers: [{ name: 'nginx', image: 'ghcr.io/nginx:2' }] } };
    const before = JSON.stringify(pod);
    const a = createRequestContext(base());
    const b = createRequestContext(base({ resource: other }));
    const again = createRequestContext(base());
    assert.equal(a.query('images.containers.nginx.tag'), 'latest');
    assert.equal(b.query('images.containers.nginx.tag'), '2');
    assert.equal(again.query('images.containers.nginx.registry'), 'docker.io');
    assert.equal(a.query('request.object'), pod); // shared, not copied
    a.set('request.object.metadata.name', 'changed');
    assert.equal(a.query('request.object.metadata.name'), 'changed');
    assert.equal(again.query('request.object.metadata.name'), 'web');
    assert.equal(JSON.stringify(pod), before);
  });

  test('every context of a request has a meter of its own, made from the request budget, limits and clock', () => {
    const budget = new RequestBudget({ limits: { maxJmespathCost: 7 } });
    let reads = 0;
    const clock = { now: () => new Date(1_000 + reads++) };
    const table: { name: string; over: Partial<EvaluationRequest>; cost: number; shared: boolean }[] = [
      { name: 'defaults', over: {}, cost: DEFAULT_EVALUATION_LIMITS.maxJmespathCost, shared: false },
      { name: 'limits', over: { limits: { maxJmespathCost: 5 } }, cost: 5, shared: false },
      { name: 'budget', over: { budget }, cost: 7, shared: true },
      { name: 'budget and clock', over: { budget, ports: { clock } }, cost: 7, shared: true },
      {
        name: 'clock',
        over: { ports: { clock } },
        cost: DEFAULT_EVALUATION_LIMITS.maxJmespathCost,
        shared: false,
      },
    ];
    for (const { name, over, cost, shared } of table) {
      const request = base(over);
      const a = createRequestContext(request);
      const b = createRequestContext(request);
      assert.notEqual(a.meter, b.meter, name);
      assert.equal(a.meter.limits.maxJmespathCost, cost, name);
      assert.equal(b.meter.limits.maxJmespathCost, cost, name);
      assert.equal(a.meter.request === b.meter.request, shared, name);
      if (shared) assert.equal(a.meter.request, budget, name);
      // A stop met by one policy's evaluation is not another's.
      a.meter.stopEvaluation(new LimitExceededError('maxJmespathCost', cost, 'test'));
      assert.notEqual(a.meter.startRule(), undefined, name);
      assert.equal(b.meter.startRule(), undefined, name);
    }
    // Another request with other limits gets them, after one that shared the same resource.
    const other = createRequestContext(base({ limits: { maxJmespathCost: 3 } }));
    assert.equal(other.meter.limits.maxJmespathCost, 3);
  });

  test('the clock port feeds time functions', {
    skip: !hasTimeNow && 'time_now_utc() not registered yet',
  }, () => {
    const ctx = createRequestContext(
      base({ ports: { clock: { now: () => new Date('2030-05-06T07:08:09Z') } } }),
    );
    assert.equal(ctx.query('time_now_utc()'), '2030-05-06T07:08:09Z');
  });
});

describe('serviceAccountOf (quirky derivation)', () => {
  const rows: [string, string, string][] = [
    ['system:serviceaccount:nirmata:user1', 'user1', 'nirmata'],
    ['kubernetes-admin', '', ''],
    ['system:serviceaccount:', '', ''],
    ['xxxxxxxxxxxxxxxxxxxxxxns:name', 'name', 'ns'], // the prefix is not checked
    ['system:serviceaccount:onlyone', '', ''],
  ];
  for (const [user, name, ns] of rows)
    test(user, () => assert.deepEqual(serviceAccountOf(user), { name, namespace: ns }));
});

// Kyverno (pkg/utils/api/image.go extract, deferred `images` loader): a resource whose containers
// Kyverno cannot read makes every query naming `images` an error, while queries that do not name
// it still work. Found by scripts/differential.mjs (a precondition on `images.initContainers.*`
// was `skip` here, `error` in the reference, for a Pod whose containers were not maps).
describe('images that Kyverno cannot extract', () => {
  const podWith = (spec: unknown): EvaluationRequest =>
    base({ resource: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec } });
  const cases: { name: string; spec: unknown; error?: RegExp }[] = [
    { name: 'a container that is a string', spec: { containers: ['nginx'] }, error: /invalid image config/ },
    { name: 'a container list that is a string', spec: { containers: 'nginx' }, error: /invalid type/ },
    { name: 'a container without a name', spec: { containers: [{ image: 'nginx' }] }, error: /invalid key/ },
    { name: 'a spec that is a list', spec: [{ containers: [] }], error: /invalid image config/ },
    {
      name: 'an image that does not parse',
      spec: { containers: [{ name: 'c', image: 'Bad:Image' }] },
      error: /invalid image 'Bad:Image'/,
    },
    { name: 'null containers and entries', spec: { containers: [null], initContainers: null } },
    { name: 'a container without an image', spec: { containers: [{ name: 'c' }] } },
    { name: 'no spec', spec: null },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.error ? 'queries naming images fail' : 'no error'}`, () => {
      const ctx = createRequestContext(podWith(c.spec));
      if (c.error) assert.throws(() => ctx.query('images.containers.*.registry || `[]`'), c.error);
      else assert.doesNotThrow(() => ctx.query('images.containers.*.registry || `[]`'));
      assert.equal(ctx.query('request.object.metadata.name'), 'p');
    });
  }
});

describe('contexts of one request (the request frame kept for the last request)', () => {
  test('share their document; another request, even of the same object, gets its own', () => {
    const request = base();
    const a = createRequestContext(request);
    const b = createRequestContext(request, { policyNamespace: 'shop' });
    assert.equal(a.root, b.root);
    assert.notEqual(a.meter, b.meter, 'a meter per context');
    const rows: [Partial<EvaluationRequest>, string, unknown][] = [
      [{ operation: 'UPDATE' }, 'request.operation', 'UPDATE'],
      [{ oldResource: pod }, 'request.oldObject.metadata.name', 'web'],
      [{ subresource: 'status' }, 'request.subResource', 'status'],
      [{ resource: { ...pod, metadata: { name: 'other' } } }, 'request.name', 'other'],
      [{}, 'request.operation', 'CREATE'],
    ];
    for (const [over, path, want] of rows) {
      const next = base(over);
      assert.equal(createRequestContext(next).query(path), want, path);
      assert.equal(createRequestContext(next).query(path), want, `${path} (kept)`);
    }
    // Back to the first request: its document again, equal to the first.
    assert.deepEqual(createRequestContext(request).root, a.root);
  });

  test("a request's budget and clock are each context's", () => {
    let t = 1000;
    const budget = new RequestBudget({ now: () => t, limits: { requestTimeoutMs: 10 } });
    const request = base({ budget, ports: { clock: { now: () => new Date(t) } } });
    assert.equal(createRequestContext(request).meter.request, budget);
    t = 2000;
    assert.equal(createRequestContext(request).meter.startRule()?.limit, 'requestTimeoutMs');
    assert.equal(createRequestContext(base()).meter.request === budget, false);
  });
});
