// Kyverno's admission paths (reference §9.1, pkg/webhooks/server.go) and what each evaluates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeAdmission } from './endpoints.js';
import { requireTeam, storeOf, validatingPolicy } from './testdata/reviews.js';

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
