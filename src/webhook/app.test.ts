// The admission handler as a function, AdmissionReview in, AdmissionReview out (design B6), over
// Kyverno's endpoints (reference §9.1), denial message (§3.4), filters (§9.5) and safety rules (#14).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AsyncPorts } from '../engine/index.js';
import { mutatingPolicy } from '../engine/policy-set/testdata/policies.js';
import { PolicyStore } from './policy-store.js';
import {
  appOf,
  clusterPolicy,
  pod,
  podRule,
  requireTeam,
  responseOf,
  review,
  storeOf,
  validatingPolicy,
} from './testdata/reviews.js';

const addOwner = clusterPolicy('add-owner', {
  rules: [
    {
      name: 'owner',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'platform' } } } },
    },
  ],
});
const noLatest = validatingPolicy('no-latest', {
  validationActions: ['Deny'],
  matchConstraints: podRule(),
  validations: [
    {
      expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))",
      message: 'images must not use the latest tag',
    },
  ],
});
const warnTeam = requireTeam('warn-team', 'Audit', { emitWarning: true });
const protectPods = clusterPolicy('protect', {
  validationFailureAction: 'Enforce',
  background: false,
  rules: [
    {
      name: 'protected',
      match: { any: [{ resources: { kinds: ['Pod'], operations: ['DELETE'] } }] },
      validate: {
        message: 'protected pods stay',
        deny: {
          conditions: {
            any: [
              {
                key: "{{ request.oldObject.metadata.labels.protected || '' }}",
                operator: 'Equals',
                value: 'true',
              },
            ],
          },
        },
      },
    },
  ],
});
const generateQuota = clusterPolicy('default-quota', {
  rules: [
    {
      name: 'quota',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      generate: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'generated',
        namespace: '{{request.object.metadata.namespace}}',
        data: { data: { owner: 'palisade' } },
      },
    },
  ],
});

const BLOCKED =
  '\n\nresource Pod/default/a was blocked due to the following policies \n\n' +
  "require-team:\n  team: 'validation error: label team is required. rule team failed at path /metadata/labels/'\n";

describe('validating endpoints', () => {
  const store = storeOf(requireTeam('require-team', 'Enforce'), requireTeam('audit-team', 'Audit'), noLatest);
  const cases = [
    {
      name: "an Enforce violation is denied with Kyverno's message",
      path: '/validate/fail',
      object: pod('a'),
      want: { allowed: false, message: BLOCKED },
    },
    {
      name: 'a compliant Pod is allowed',
      path: '/validate/fail',
      object: pod('a', 'default', { team: 't' }),
      want: { allowed: true },
    },
    { name: 'Audit never blocks', path: '/validate/ignore', object: pod('a'), want: { allowed: true } },
    {
      name: 'the base path takes every bucket',
      path: '/validate',
      object: pod('a'),
      want: { allowed: false, message: BLOCKED },
    },
    {
      name: 'a ValidatingPolicy denies on its own path',
      path: '/vpol/no-latest',
      object: {
        ...pod('b', 'default', { team: 't' }),
        spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
      },
      want: { allowed: false, contains: 'images must not use the latest tag' },
    },
    {
      name: 'legacy paths never run ValidatingPolicies',
      path: '/validate/fail',
      object: {
        ...pod('b', 'default', { team: 't' }),
        spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
      },
      want: { allowed: true },
    },
    {
      name: 'a Pod in kube-system is filtered',
      path: '/validate/fail',
      object: pod('a', 'kube-system'),
      want: { allowed: true },
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const app = appOf(store);
      const reply = await app.call(c.path, review(c.object, { uid: 'uid-1' }));
      assert.equal(reply.status, 200);
      const r = responseOf(reply);
      assert.equal(r.uid, 'uid-1');
      assert.equal(r.allowed, c.want.allowed);
      if ('message' in c.want) assert.equal(r.status?.message, c.want.message);
      if ('contains' in c.want) assert.match(r.status?.message ?? '', new RegExp(c.want.contains));
      if (c.want.allowed) assert.equal(r.status, undefined);
      assert.equal(app.logs.length, 1, 'one log line per decision');
      assert.equal(app.logs[0]?.allowed, c.want.allowed);
    });
  }

  test('the log line names the failed policy and rule', async () => {
    const app = appOf(store);
    await app.call('/validate/fail', review(pod('a')));
    assert.deepEqual(app.logs[0]?.enforcedFailures, ['require-team/team']);
    assert.equal(app.logs[0]?.uid, 'b7d7c7e4-0000-4000-8000-000000000001');
  });

  test('the log line names rules that could not be evaluated, even when they change nothing', async () => {
    const broken = clusterPolicy('broken-audit', {
      validationFailureAction: 'Audit',
      rules: [
        {
          name: 'unknown-variable',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: {
            message: 'm',
            deny: { conditions: { any: [{ key: '{{ nosuchvar }}', operator: 'Equals', value: 'x' }] } },
          },
        },
      ],
    });
    const app = appOf(storeOf(broken));
    const r = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 'x' }))));
    assert.equal(r.allowed, true);
    const errors = app.logs[0]?.ruleErrors as string[] | undefined;
    assert.equal(errors?.length, 1);
    assert.match(errors?.[0] ?? '', /^broken-audit\/unknown-variable: .*nosuchvar/);
    const clean = appOf(store);
    await clean.call('/validate/fail', review(pod('a', 'default', { team: 'x' })));
    assert.equal(clean.logs[0]?.ruleErrors, undefined, 'no field when every rule was evaluated');
  });

  test('the log line names a generate rule that could not build its resource (its verdict is pass)', async () => {
    const gen = clusterPolicy('gen-cm', {
      rules: [
        {
          name: 'cm',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          generate: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'cm-{{ request.object.metadata.nosuch.x }}',
            namespace: 'default',
            data: { data: { a: 'b' } },
          },
        },
      ],
    });
    const app = appOf(storeOf(gen));
    const r = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 'x' }))));
    assert.equal(r.allowed, true);
    const errors = app.logs[0]?.ruleErrors as string[] | undefined;
    assert.equal(errors?.length, 1);
    assert.match(errors?.[0] ?? '', /^gen-cm\/cm: failed to generate resource: .*nosuch/);
  });

  test('requests by kubelets (group system:nodes) are not evaluated', async () => {
    const app = appOf(store);
    const r = responseOf(await app.call('/validate/fail', review(pod('a'), { groups: ['system:nodes'] })));
    assert.equal(r.allowed, true);
    assert.equal(app.logs[0]?.skipped, 'excluded-user');
  });

  test('the failure-policy buckets split the policies', async () => {
    const s = storeOf(
      requireTeam('fail-team', 'Enforce'),
      requireTeam('ignore-team', 'Enforce', { failurePolicy: 'Ignore' }),
    );
    const app = appOf(s);
    const fail = responseOf(await app.call('/validate/fail', review(pod('a'))));
    const ignore = responseOf(await app.call('/validate/ignore', review(pod('a'))));
    assert.match(fail.status?.message ?? '', /fail-team:/);
    assert.doesNotMatch(fail.status?.message ?? '', /ignore-team/);
    assert.match(ignore.status?.message ?? '', /ignore-team:/);
    assert.doesNotMatch(ignore.status?.message ?? '', /fail-team/);
  });

  test('a fine-grained path evaluates its one policy', async () => {
    const app = appOf(storeOf(requireTeam('one', 'Enforce'), requireTeam('two', 'Enforce')));
    const r = responseOf(await app.call('/validate/fail/finegrained/two', review(pod('a'))));
    assert.match(r.status?.message ?? '', /\ntwo:/);
    assert.doesNotMatch(r.status?.message ?? '', /\none:/);
  });

  test('the answer keeps the review version it was asked in', async () => {
    const app = appOf(store);
    const r = responseOf(
      await app.call('/validate/fail', review(pod('a'), { apiVersion: 'admission.k8s.io/v1beta1' })),
    );
    assert.equal(r.apiVersion, 'admission.k8s.io/v1beta1');
  });
});

describe('warnings, mutations, DELETE, dry runs', () => {
  test('emitWarning: an Audit failure is a warning, not a denial', async () => {
    const app = appOf(storeOf(warnTeam));
    const r = responseOf(await app.call('/validate/fail', review(pod('a'))));
    assert.equal(r.allowed, true);
    assert.deepEqual(r.warnings, [
      'policy warn-team.team: validation error: label team is required. rule team failed at path /metadata/labels/',
    ]);
  });

  test('the mutating endpoint answers a base64 JSONPatch', async () => {
    const app = appOf(storeOf(addOwner, requireTeam('require-team', 'Enforce')));
    const r = responseOf(await app.call('/mutate/fail', review(pod('a'))));
    assert.equal(r.allowed, true, 'the mutating endpoint does not validate');
    assert.equal(r.patchType, 'JSONPatch');
    assert.deepEqual(r.patch, [{ op: 'add', path: '/metadata/labels', value: { owner: 'platform' } }]);
  });

  test('a MutatingPolicy patches on its own path', async () => {
    const addTeam = mutatingPolicy('add-team', {
      matchConstraints: podRule(),
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"team": "web"}}}' },
        },
      ],
    });
    const app = appOf(storeOf(addTeam, addOwner));
    const r = responseOf(await app.call('/mpol/add-team', review(pod('a'))));
    assert.equal(r.allowed, true);
    assert.deepEqual(r.patch, [{ op: 'add', path: '/metadata/labels', value: { team: 'web' } }]);
  });

  test('the mutating endpoint leaves DELETE alone; the validating one judges the old object', async () => {
    const app = appOf(storeOf(addOwner, protectPods));
    const old = pod('a', 'default', { protected: 'true' });
    const mutate = responseOf(await app.call('/mutate/fail', review(old, { operation: 'DELETE' })));
    assert.equal(mutate.allowed, true);
    assert.equal(mutate.patch, undefined);
    const validate = responseOf(await app.call('/validate/fail', review(old, { operation: 'DELETE' })));
    assert.equal(validate.allowed, false);
    assert.match(validate.status?.message ?? '', /protected pods stay/);
    const free = responseOf(await app.call('/validate/fail', review(pod('b'), { operation: 'DELETE' })));
    assert.equal(free.allowed, true);
  });

  test('a dry run is judged the same but generates nothing', async () => {
    const generated: string[] = [];
    const app = appOf(storeOf(generateQuota, requireTeam('require-team', 'Enforce')), {
      onGenerated: (objects) => generated.push(...objects.map((o) => String(o.object.kind))),
    });
    const dry = responseOf(await app.call('/validate/fail', review(pod('a'), { dryRun: true })));
    assert.equal(dry.allowed, false);
    assert.deepEqual(generated, []);
    await app.call('/validate/fail', review(pod('a', 'default', { team: 't' }), { dryRun: true }));
    assert.deepEqual(generated, []);
    await app.call('/validate/fail', review(pod('a', 'default', { team: 't' })));
    assert.deepEqual(generated, ['ConfigMap']);
  });

  test('every request but dry runs reaches the background controllers, with its results and whether it was allowed', async () => {
    const admitted: string[] = [];
    const app = appOf(storeOf(requireTeam('require-team', 'Enforce')), {
      onAdmitted: ({ request, role, allowed, responses }) =>
        admitted.push(`${role} ${request.name} ${request.operation} ${allowed} ${responses.length}`),
    });
    await app.call('/validate/fail', review(pod('denied')));
    await app.call('/validate/fail', review(pod('dry', 'default', { team: 't' }), { dryRun: true }));
    await app.call('/validate/fail', review(pod('ok', 'default', { team: 't' })));
    await app.call('/mutate/fail', review(pod('ok', 'default', { team: 't' })));
    assert.deepEqual(admitted, [
      'validate denied CREATE false 1',
      'validate ok CREATE true 1',
      'mutate ok CREATE true 0',
    ]);
  });
});

describe('bad calls', () => {
  const store = storeOf(requireTeam('require-team', 'Enforce'));
  const cases = [
    { name: 'not JSON', body: '{"apiVersion":', status: 400 },
    { name: 'not UTF-8', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), status: 400 },
    { name: 'a JSON array', body: '[]', status: 400 },
    { name: 'another kind', body: { apiVersion: 'admission.k8s.io/v1', kind: 'Pod' }, status: 400 },
    { name: 'no request', body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, status: 400 },
    {
      name: 'no uid',
      body: { ...review(pod('a')), request: { ...(review(pod('a')).request as object), uid: '' } },
      status: 400,
    },
    {
      name: 'a bad operation',
      body: { ...review(pod('a')), request: { ...(review(pod('a')).request as object), operation: 'PATCH' } },
      status: 400,
    },
    {
      name: 'CREATE without an object',
      body: { ...review(pod('a')), request: { ...(review(pod('a')).request as object), object: null } },
      status: 400,
    },
  ];
  for (const c of cases)
    test(`${c.name} → ${c.status}`, async () => {
      const app = appOf(store);
      const reply = await app.call('/validate/fail', c.body);
      assert.equal(reply.status, c.status);
      assert.equal((JSON.parse(reply.body) as { kind: string }).kind, 'Status');
      assert.equal(app.logs[0]?.level, 'warn');
    });

  test('a body over the limit → 413', async () => {
    const app = appOf(store, { maxBodyBytes: 1024 });
    const big = review({ ...pod('a'), data: 'x'.repeat(2000) });
    assert.equal((await app.call('/validate/fail', big)).status, 413);
  });
  test('an unknown path → 404, a GET → 405', async () => {
    const app = appOf(store);
    assert.equal((await app.call('/nowhere', review(pod('a')))).status, 404);
    assert.equal((await app.call('/validate/fail', '', 'GET')).status, 405);
  });
  test('a review nesting too deeply is answered by the failure policy', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50; i++) deep = { d: deep };
    const body = review({ ...pod('a', 'default', { team: 't' }), deep } as never);
    const app = appOf(store, { maxDepth: 40 });
    const fail = responseOf(await app.call('/validate/fail', body));
    assert.equal(fail.allowed, false);
    assert.match(fail.status?.message ?? '', /nests deeper than 40 levels/);
    const ignore = responseOf(await app.call('/validate/ignore', body));
    assert.equal(ignore.allowed, true);
    assert.match(ignore.warnings?.[0] ?? '', /admitted unchecked \(failurePolicy Ignore\)/);
  });
});

describe('deadline', () => {
  // A clock that jumps 1 s per reading: the deadline (1.5 s) passes while the policies are timed.
  const jumping = () => {
    let t = 0;
    return () => (t += 1000);
  };
  const store = storeOf(
    requireTeam('team-a', 'Enforce'),
    requireTeam('team-b', 'Enforce'),
    requireTeam('team-c', 'Enforce', { failurePolicy: 'Ignore' }),
    requireTeam('team-d', 'Enforce', { failurePolicy: 'Ignore' }),
  );
  test('past the deadline, /fail denies with the reason', async () => {
    const app = appOf(store, { deadlineMs: 1500, now: jumping() });
    const r = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 't' }))));
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /evaluation deadline of 1500 ms exceeded \(failurePolicy Fail\)/);
    assert.equal(app.logs[0]?.skipped, 'deadline');
  });
  test('past the deadline, /ignore admits with a warning', async () => {
    const app = appOf(store, { deadlineMs: 1500, now: jumping() });
    const r = responseOf(await app.call('/validate/ignore', review(pod('a'))));
    assert.equal(r.allowed, true);
    assert.match(r.warnings?.[0] ?? '', /evaluation deadline of 1500 ms exceeded; admitted unchecked/);
  });
});

describe('request-wide limits', () => {
  // Policies each well within their own limits, whose work adds up past the request's budget.
  const countContainers = (name: string, failurePolicy: 'Fail' | 'Ignore') =>
    clusterPolicy(name, {
      validationFailureAction: 'Enforce',
      failurePolicy,
      background: false,
      rules: [
        {
          name: 'count',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          context: [
            { name: 'n', variable: { jmesPath: "length(request.object.spec.containers[?name != 'x'])" } },
          ],
          validate: { message: 'named', pattern: { metadata: { name: '?*' } } },
        },
      ],
    });
  const manyContainers = {
    ...pod('a', 'default', { team: 't' }),
    spec: { containers: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, image: 'nginx' })) },
  };
  const store = storeOf(
    ...['a', 'b', 'c', 'd'].map((n) => countContainers(`fail-${n}`, 'Fail')),
    ...['a', 'b', 'c', 'd'].map((n) => countContainers(`ignore-${n}`, 'Ignore')),
  );
  const heavyCel = (name: string) =>
    validatingPolicy(name, {
      validationActions: ['Deny'],
      failurePolicy: 'Fail',
      matchConstraints: podRule(),
      validations: [{ expression: 'object.spec.containers.all(c, lists.range(100).all(i, i >= 0))' }],
    });

  test('within the budget every policy is evaluated', async () => {
    const app = appOf(store);
    const r = responseOf(await app.call('/validate/fail', review(manyContainers)));
    assert.equal(r.allowed, true);
    assert.equal(app.logs[0]?.skipped, undefined);
  });
  test('past maxRequestJmespathCost, /fail denies naming the limit', async () => {
    const app = appOf(store, { limits: { maxRequestJmespathCost: 2000 } });
    const r = responseOf(await app.call('/validate/fail', review(manyContainers)));
    assert.equal(r.allowed, false);
    assert.match(
      r.status?.message ?? '',
      /could not evaluate the request: evaluation stopped: limit maxRequestJmespathCost \(2000 units\) exceeded: .* \(failurePolicy Fail\)/,
    );
    assert.equal(app.logs[0]?.skipped, 'limits');
  });
  test('past maxRequestJmespathCost, /ignore admits with a warning naming the limit', async () => {
    const app = appOf(store, { limits: { maxRequestJmespathCost: 2000 } });
    const r = responseOf(await app.call('/validate/ignore', review(manyContainers)));
    assert.equal(r.allowed, true);
    assert.match(
      r.warnings?.[0] ?? '',
      /limit maxRequestJmespathCost .*; admitted unchecked \(failurePolicy Ignore\)/,
    );
  });
  test('past maxRequestCelCost, a CEL path answers by its failure policy too', async () => {
    const app = appOf(storeOf(heavyCel('cel-a'), heavyCel('cel-b')), {
      limits: { maxRequestCelCost: 30_000 },
    });
    const r = responseOf(await app.call('/vpol/cel-a/cel-b', review(manyContainers)));
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /limit maxRequestCelCost \(30000 units\) exceeded/);
    assert.equal(app.logs[0]?.skipped, 'limits');
  });
});

describe('readiness', () => {
  test('before the set is loaded nothing is allowed: /fail denies, others answer 503', async () => {
    const store = new PolicyStore();
    const app = appOf(store);
    const fail = await app.call('/validate/fail', review(pod('a', 'default', { team: 't' })));
    assert.equal(fail.status, 200);
    assert.equal(responseOf(fail).allowed, false);
    assert.match(responseOf(fail).status?.message ?? '', /not loaded yet/);
    for (const path of ['/validate/ignore', '/validate', '/mutate/ignore', '/vpol/no-latest'])
      assert.equal((await app.call(path, review(pod('a')))).status, 503, path);
    store.swap(storeOf().current()!.set, 0);
    assert.equal(responseOf(await app.call('/validate/ignore', review(pod('a')))).allowed, true);
  });

  test('a request finishes on the set it started with', async () => {
    const store = storeOf(requireTeam('require-team', 'Enforce'));
    const first = store.current();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { createAdmissionHandler } = await import('./handlers/admission.js');
    const seen: number[] = [];
    const handler = createAdmissionHandler({
      store,
      maxDepth: 100,
      review: async (input) => {
        await gate;
        seen.push(input.loaded.generation);
        return { response: { uid: input.review.request.uid, allowed: true } };
      },
    });
    const pending = handler({
      method: 'POST',
      path: '/validate/fail',
      body: Buffer.from(JSON.stringify(review(pod('a')))),
    });
    store.swap(storeOf().current()!.set, 0);
    release();
    await pending;
    assert.deepEqual(seen, [first?.generation]);
    assert.equal(store.current()?.generation, 2);
  });
});

describe('metrics', () => {
  test("decisions and rule results are counted under Kyverno's names", async () => {
    const app = appOf(storeOf(requireTeam('require-team', 'Enforce'), noLatest));
    await app.call('/validate/fail', review(pod('a')));
    await app.call('/vpol/no-latest', review(pod('a')));
    const text = await app.metrics.registry.metrics();
    assert.match(
      text,
      /kyverno_admission_requests_total\{resource_kind="Pod",resource_namespace="default",resource_request_operation="create",request_allowed="false",request_webhook="ValidatingWebhookConfiguration"\} 1/,
    );
    assert.match(text, /kyverno_admission_review_duration_seconds_bucket\{le="0.005",/);
    assert.match(
      text,
      /kyverno_policy_results_total\{policy_validation_mode="enforce",policy_type="cluster",policy_background_mode="false",policy_namespace="-",policy_name="require-team",resource_kind="Pod",resource_namespace="default",resource_request_operation="create",rule_name="team",rule_result="fail",rule_type="validate",rule_execution_cause="admission_request",dry_run="false"\} 1/,
    );
    assert.match(
      text,
      /kyverno_policy_execution_duration_seconds_count\{[^}]*policy_name="require-team"[^}]*\} 1/,
    );
    assert.match(
      text,
      /kyverno_validating_policy_results_total\{[^}]*policy_name="no-latest"[^}]*result="pass"[^}]*\} 1/,
    );
  });
});

describe('ports that read the cluster (cluster mode)', () => {
  const settings = clusterPolicy('blocked-team', {
    validationFailureAction: 'Enforce',
    background: false,
    rules: [
      {
        name: 'blocked',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        context: [{ name: 'settings', configMap: { name: 'settings', namespace: 'config' } }],
        validate: {
          message: 'team {{ request.object.metadata.labels.team }} is blocked',
          deny: {
            conditions: {
              any: [
                {
                  key: '{{ request.object.metadata.labels.team }}',
                  operator: 'Equals',
                  value: '{{ settings.data.blocked }}',
                },
              ],
            },
          },
        },
      },
    ],
  });
  /** A cluster holding one ConfigMap, answering after a tick; `asked` counts its reads. */
  const fakeCluster = (data: Record<string, string> | undefined) => {
    const asked: string[] = [];
    const ports: AsyncPorts = {
      cluster: {
        async get(_apiVersion, kind, namespace, name) {
          asked.push(`${kind} ${namespace}/${name}`);
          await new Promise((r) => setTimeout(r, 1));
          if (data === undefined) return { ok: false, code: 'forbidden', message: 'configmaps is forbidden' };
          return {
            ok: true,
            value: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name, namespace: namespace ?? '' },
              data,
            },
          };
        },
        async list() {
          return { ok: true, value: [] };
        },
      },
    };
    return { ports, asked };
  };

  test('a configMap context entry is read through the ports and decides', async () => {
    const { ports, asked } = fakeCluster({ blocked: 'red' });
    const app = appOf(storeOf(settings), { ports });
    const red = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 'red' }))));
    assert.equal(red.allowed, false);
    assert.match(red.status?.message ?? '', /team red is blocked/);
    const blue = responseOf(await app.call('/validate/fail', review(pod('b', 'default', { team: 'blue' }))));
    assert.equal(blue.allowed, true);
    assert.deepEqual(asked, ['ConfigMap config/settings', 'ConfigMap config/settings'], 'once per request');
  });

  test('a failed read is a rule error: the policy failurePolicy decides', async () => {
    const { ports } = fakeCluster(undefined);
    const app = appOf(storeOf(settings), { ports });
    const r = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 'red' }))));
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /configmaps is forbidden/);
  });

  test('policies that read nothing never call the ports', async () => {
    const { ports, asked } = fakeCluster({ blocked: 'red' });
    const app = appOf(storeOf(requireTeam('team', 'Enforce')), { ports });
    const r = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 't' }))));
    assert.equal(r.allowed, true);
    assert.deepEqual(asked, []);
  });

  test('without ports (a folder) the configMap entry is skipped, as by the CLI', async () => {
    const app = appOf(storeOf(settings));
    const r = responseOf(await app.call('/validate/fail', review(pod('a', 'default', { team: 'red' }))));
    // The entry is not loaded, so the variable does not resolve: the rule errors.
    assert.equal(r.allowed, false);
    assert.doesNotMatch(r.status?.message ?? '', /team red is blocked/);
  });
});
