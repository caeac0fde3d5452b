// Kyverno's admission paths (reference §9.1, pkg/webhooks/server.go) and what each evaluates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeAdmission } from './endpoints.js';
import {
  appOf,
  type Doc,
  pod,
  podRule,
  requireTeam,
  responseOf,
  review,
  storeOf,
  validatingPolicy,
} from './testdata/reviews.js';

describe('routeAdmission', () => {
  const cases = [
    { path: '/validate', role: 'validate', webhook: 'ValidatingWebhookConfiguration', failsClosed: false },
    {
      path: '/validate/fail',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: true,
    },
    {
      path: '/validate/ignore',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: false,
    },
    {
      path: '/validate/fail/finegrained/p',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: true,
    },
    {
      path: '/validate/ignore/finegrained/ns/p',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: false,
    },
    { path: '/mutate', role: 'mutate', webhook: 'MutatingWebhookConfiguration', failsClosed: false },
    { path: '/mutate/fail', role: 'mutate', webhook: 'MutatingWebhookConfiguration', failsClosed: true },
    {
      path: '/mutate/ignore?timeout=10s',
      role: 'mutate',
      webhook: 'MutatingWebhookConfiguration',
      failsClosed: false,
    },
    { path: '/vpol/a/b', role: 'validate', webhook: 'ValidatingWebhookConfiguration', failsClosed: false },
    { path: '/nvpol/a', role: 'validate', webhook: 'ValidatingWebhookConfiguration', failsClosed: false },
    { path: '/mpol/a', role: 'mutate', webhook: 'MutatingWebhookConfiguration', failsClosed: false },
    { path: '/nmpol/a', role: 'mutate', webhook: 'MutatingWebhookConfiguration', failsClosed: false },
    {
      path: '/ivpol/validate/a',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: false,
    },
    { path: '/ivpol/mutate/a', role: 'mutate', webhook: 'MutatingWebhookConfiguration', failsClosed: false },
    {
      path: '/nivpol/validate/a',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: false,
    },
    {
      path: '/vpol/finegrained/a',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: false,
    },
    {
      path: '/nmpol/finegrained/ns/a',
      role: 'mutate',
      webhook: 'MutatingWebhookConfiguration',
      failsClosed: false,
    },
    {
      path: '/ivpol/validate/finegrained/a',
      role: 'validate',
      webhook: 'ValidatingWebhookConfiguration',
      failsClosed: false,
    },
    { path: '/gpol/a', role: 'generate', webhook: 'ValidatingWebhookConfiguration', failsClosed: false },
    { path: '/ngpol/a', role: 'generate', webhook: 'ValidatingWebhookConfiguration', failsClosed: false },
  ] as const;
  for (const c of cases)
    test(c.path, () => {
      const e = routeAdmission(c.path);
      assert.ok(e !== undefined);
      assert.deepEqual(
        { role: e.role, webhook: e.webhook, failsClosed: e.failsClosed },
        {
          role: c.role,
          webhook: c.webhook,
          failsClosed: c.failsClosed,
        },
      );
    });
  for (const path of [
    '/',
    '/validatex',
    '/validate/maybe',
    '/validate/fail/other/x',
    '/policyvalidate',
    '/vpolx',
  ])
    test(`${path} is not an admission endpoint`, () => assert.equal(routeAdmission(path), undefined));

  test('a path answers with one endpoint object, so admit can memoise its selection', () => {
    assert.equal(routeAdmission('/vpol/a'), routeAdmission('/vpol/a'));
  });
  test('mutating endpoints skip DELETE, validating ones do not', () => {
    assert.equal(routeAdmission('/mutate/fail')?.operations?.has('DELETE'), false);
    assert.equal(routeAdmission('/validate/fail')?.operations, undefined);
  });
});

describe('what an endpoint evaluates', () => {
  const vp = (name: string, failurePolicy: 'Fail' | 'Ignore') =>
    validatingPolicy(name, {
      failurePolicy,
      validationActions: ['Deny'],
      validations: [{ expression: 'true' }],
    });
  const set = storeOf(
    requireTeam('fail-team', 'Enforce'),
    requireTeam('ignore-team', 'Enforce', { failurePolicy: 'Ignore' }),
    vp('a', 'Ignore'),
    vp('b', 'Ignore'),
    vp('c', 'Fail'),
  ).current()!.set;
  const names = (path: string) =>
    set.policies.filter((p) => routeAdmission(path)?.select(p) === true).map((p) => p.ref.name);

  test('legacy buckets by failure policy; CEL paths by name (none named: all of the kind)', () => {
    assert.deepEqual(names('/validate/fail'), ['fail-team']);
    assert.deepEqual(names('/validate/ignore'), ['ignore-team']);
    assert.deepEqual(names('/validate'), ['fail-team', 'ignore-team']);
    assert.deepEqual(names('/validate/ignore/finegrained/ignore-team'), ['ignore-team']);
    assert.deepEqual(names('/validate/fail/finegrained/ignore-team'), []);
    assert.deepEqual(names('/vpol/a/c'), ['a', 'c']);
    assert.deepEqual(names('/vpol'), ['a', 'b', 'c']);
    assert.deepEqual(names('/nvpol/a'), []);
  });
  test("a CEL path's failure policy is Ignore only when every policy it names is", () => {
    assert.equal(routeAdmission('/vpol/a/b')?.failurePolicyIn(set), 'Ignore');
    assert.equal(routeAdmission('/vpol/a/c')?.failurePolicyIn(set), 'Fail');
    assert.equal(routeAdmission('/vpol/missing')?.failurePolicyIn(set), 'Fail');
    assert.equal(routeAdmission('/vpol/a')?.failurePolicyIn(undefined), undefined);
    assert.equal(routeAdmission('/validate/ignore')?.failurePolicyIn(undefined), 'Ignore');
  });
});

describe("a CEL policy's own path (fine-grained webhook)", () => {
  const vp = (name: string, extra: Record<string, unknown> = {}) =>
    validatingPolicy(name, {
      validationActions: ['Deny'],
      matchConstraints: podRule(),
      validations: [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels" }],
      ...extra,
    });
  const inNamespace = (namespace: string, doc: Doc): Doc =>
    ({ ...doc, kind: 'NamespacedValidatingPolicy', metadata: { ...doc.metadata, namespace } }) as Doc;
  const store = storeOf(
    vp('a', { matchConditions: [{ name: 'named', expression: "object.metadata.name != 'skip'" }] }),
    vp('b', { failurePolicy: 'Ignore', webhookConfiguration: { timeoutSeconds: 5 } }),
    vp('finegrained'),
    inNamespace('one', vp('n')),
    inNamespace('two', vp('n')),
  );
  const set = store.current()!.set;
  const selected = (path: string) =>
    set.policies
      .filter((p) => routeAdmission(path)?.select(p) === true)
      .map((p) => (p.ref.namespace !== undefined ? `${p.ref.namespace}/${p.ref.name}` : p.ref.name));

  test('takes exactly that policy: its name, and its namespace for the namespaced kinds', () => {
    assert.deepEqual(selected('/vpol/finegrained/a'), ['a']);
    assert.deepEqual(selected('/nvpol/finegrained/two/n'), ['two/n']);
    assert.deepEqual(selected('/nvpol/finegrained/three/n'), []);
    assert.deepEqual(selected('/nvpol/n'), ['one/n', 'two/n'], 'a shared path names, in every namespace');
    assert.deepEqual(selected('/vpol/finegrained/missing'), []);
  });
  test('the marker alone, or with other names, is a shared path naming policies', () => {
    assert.deepEqual(selected('/vpol/finegrained'), ['finegrained']);
    assert.deepEqual(selected('/vpol/a/finegrained'), ['a', 'finegrained']);
    assert.deepEqual(selected('/vpol/finegrained/a/b'), ['a', 'b', 'finegrained']);
  });
  test("answers failures with the policy's own failure policy", () => {
    assert.equal(routeAdmission('/vpol/finegrained/b')?.failurePolicyIn(set), 'Ignore');
    assert.equal(routeAdmission('/vpol/finegrained/a')?.failurePolicyIn(set), 'Fail');
  });
  test('judges a request as the shared path naming the policy does', async () => {
    const app = appOf(store);
    const requests = [
      review(pod('bare')),
      review(pod('skip')),
      review(pod('labelled', 'default', { team: 'x' })),
      review(pod('bare', 'two')),
      review(pod('bare', 'three')),
    ];
    for (const [own, shared] of [
      ['/vpol/finegrained/a', '/vpol/a'],
      ['/vpol/finegrained/b', '/vpol/b'],
      ['/nvpol/finegrained/two/n', '/nvpol/n'],
    ] as const) {
      for (const body of requests) {
        const got = responseOf(await app.call(own, body));
        const want = responseOf(await app.call(shared, body));
        assert.deepEqual(got, want, `${own} vs ${shared}`);
      }
    }
    const denied = responseOf(await app.call('/vpol/finegrained/a', review(pod('bare'))));
    assert.equal(denied.allowed, false, 'the policy is evaluated, not skipped');
    const excluded = responseOf(await app.call('/vpol/finegrained/a', review(pod('skip'))));
    assert.equal(excluded.allowed, true, 'its matchConditions are evaluated again by Palisade');
  });
});
