// One budget per admission request (docs/limits.md): time and total JMESPath, substitution and CEL work
// are shared by every policy and rule `admit` evaluates for the request, so N policies that are each
// within their own limits cannot add up past the request's. The rules after the budget ran out are
// errors naming the limit, and the outcome says which limit stopped it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Limits, RequestBudget } from '../limits.js';
import type { Clock } from '../ports.js';
import { admit, scan } from './admit.js';
import { requestForObject } from './request.js';
import { clusterPolicy, pod, podRule, setOf, validatingPolicy } from './testdata/policies.js';
import type { AdmissionOutcome, PolicySet } from './types.js';

/** A Pod with `n` containers, the data the heavy queries walk. */
const bigPod = (n: number) => ({
  ...pod('big'),
  spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'nginx' })) },
});

/** A legacy policy whose one rule runs a JMESPath query over every container, then passes. */
const heavyQuery = (name: string) =>
  clusterPolicy(name, {
    validationFailureAction: 'Enforce',
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        context: [
          { name: 'n', variable: { jmesPath: "length(request.object.spec.containers[?name != 'x'])" } },
        ],
        validate: { message: 'named', pattern: { metadata: { name: '?*' } } },
      },
    ],
  });

/** A ValidatingPolicy whose one validation costs a fixed amount of CEL work, then passes. */
const heavyCel = (name: string) =>
  validatingPolicy(name, {
    validationActions: ['Deny'],
    matchConstraints: podRule(),
    validations: [{ expression: 'lists.range(2000).all(x, lists.range(20).all(y, x + y >= 0))' }],
  });

const named = (prefix: string, n: number, make: (name: string) => ReturnType<typeof heavyQuery>) =>
  setOf(...Array.from({ length: n }, (_, i) => make(`${prefix}-${String(i).padStart(3, '0')}`)));

function run(set: PolicySet, limits: Partial<Limits>, extra: { clock?: Clock; budget?: RequestBudget } = {}) {
  const ports = extra.clock !== undefined ? { clock: extra.clock } : {};
  return admit(set, requestForObject(bigPod(300)), {
    ports,
    limits,
    ...(extra.budget !== undefined ? { budget: extra.budget } : {}),
  });
}

/** [status, message] of every rule, in evaluation order. */
const rows = (o: AdmissionOutcome) =>
  o.responses.flatMap((r) => r.response.rules.map((rule) => [rule.status, rule.message] as const));

/** The work one policy of the set does, read from a budget handed to `admit`. */
async function costOfOne(
  make: (name: string) => ReturnType<typeof heavyQuery>,
  kind: 'jmespath' | 'cel',
): Promise<number> {
  const budget = new RequestBudget();
  const outcome = await run(named('one', 1, make), {}, { budget });
  assert.deepEqual(
    rows(outcome).map(([s]) => s),
    ['pass'],
  );
  const spent = budget.spent[kind];
  assert.ok(spent > 0, `one policy spends ${kind} work`);
  return spent;
}

describe('admit: one budget per request', () => {
  test('maxRequestJmespathCost: policies each within maxJmespathCost stop once their sum is over', async () => {
    const one = await costOfOne(heavyQuery, 'jmespath');
    const limits = { maxRequestJmespathCost: Math.floor(5.5 * one) };
    const outcome = await run(named('q', 10, heavyQuery), limits);
    const statuses = rows(outcome).map(([s]) => s);
    assert.deepEqual(statuses, [...Array(5).fill('pass'), ...Array(5).fill('error')]);
    for (const [, message] of rows(outcome).slice(5))
      assert.match(message, /^evaluation stopped: limit maxRequestJmespathCost \(\d+ units\) exceeded: /);
    assert.equal(outcome.stoppedBy?.limit, 'maxRequestJmespathCost');
    assert.equal(outcome.allowed, false, 'errors of Enforce policies under failurePolicy Fail deny');
  });

  test('the same policies within the default request budget all pass, and nothing stops the request', async () => {
    const outcome = await run(named('q', 10, heavyQuery), {});
    assert.deepEqual(new Set(rows(outcome).map(([s]) => s)), new Set(['pass']));
    assert.equal(outcome.stoppedBy, undefined);
  });

  test('requestTimeoutMs counts the whole request, not each policy', async () => {
    // Every read of the clock moves it 1 ms on: each policy alone takes a few ms, 100 of them more
    // than the request's 200 ms.
    let t = 0;
    const clock: Clock = { now: () => new Date(++t) };
    const outcome = await run(named('t', 100, heavyQuery), { requestTimeoutMs: 200 }, { clock });
    const statuses = rows(outcome).map(([s]) => s);
    const firstError = statuses.indexOf('error');
    assert.ok(firstError > 0, `some policies ran before the time was up: ${statuses.join(',')}`);
    assert.ok(
      statuses.slice(firstError).every((s) => s === 'error'),
      'every rule after the deadline is an error',
    );
    for (const [, message] of rows(outcome).slice(firstError))
      assert.match(message, /limit requestTimeoutMs \(200 ms\) exceeded: the request ran out of time/);
    assert.equal(outcome.stoppedBy?.limit, 'requestTimeoutMs');
    assert.equal(Object.keys(outcome).at(-1), 'stoppedBy', "the stop is the outcome's last key");
  });

  test('an aborted signal stops the rules still to run, naming the reason', async () => {
    const controller = new AbortController();
    let reads = 0;
    // The clock aborts the signal on its 20th read, as the webhook's deadline clock does.
    const clock: Clock = {
      now: () => {
        if (++reads === 20) controller.abort(new Error('evaluation deadline of 5 ms exceeded'));
        return new Date(0);
      },
    };
    const outcome = await admit(named('s', 30, heavyQuery), requestForObject(bigPod(10)), {
      ports: { clock },
      signal: controller.signal,
    });
    const last = rows(outcome).at(-1);
    assert.equal(last?.[0], 'error');
    assert.match(last?.[1] ?? '', /requestTimeoutMs .*cancelled \(evaluation deadline of 5 ms exceeded\)/);
    assert.equal(outcome.stoppedBy?.limit, 'requestTimeoutMs');
  });

  test('maxRequestCelCost: CEL policies each within maxCelCost stop once their sum is over', async () => {
    const one = await costOfOne(heavyCel, 'cel');
    const outcome = await run(named('c', 6, heavyCel), { maxRequestCelCost: Math.floor(3.5 * one) });
    const statuses = rows(outcome).map(([s]) => s);
    assert.deepEqual(statuses, [...Array(3).fill('pass'), ...Array(3).fill('error')]);
    for (const [, message] of rows(outcome).slice(3))
      assert.match(message, /limit maxRequestCelCost \(\d+ units\) exceeded: /);
    assert.equal(outcome.stoppedBy?.limit, 'maxRequestCelCost');
  });

  test('maxCelCost bounds one expression: an error naming the limit, the request goes on', async () => {
    const one = await costOfOne(heavyCel, 'cel');
    const set = setOf(
      heavyCel('first'),
      clusterPolicy('after', {
        validationFailureAction: 'Enforce',
        rules: [
          {
            name: 'r',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            validate: { message: 'named', pattern: { metadata: { name: '?*' } } },
          },
        ],
      }),
    );
    const outcome = await run(set, { maxCelCost: Math.floor(one / 2) });
    const byPolicy = Object.fromEntries(
      outcome.responses.map((r) => [
        r.policy.name,
        [r.response.rules[0]?.status, r.response.rules[0]?.message],
      ]),
    );
    assert.equal(byPolicy.first?.[0], 'error');
    assert.match(
      String(byPolicy.first?.[1]),
      /limit maxCelCost \(\d+ units\) exceeded: the CEL expression 'lists\.range/,
    );
    assert.equal(byPolicy.after?.[0], 'pass', 'a per-expression limit stops that expression only');
    assert.equal(outcome.stoppedBy, undefined);
  });

  test('scan shares one budget across the policies too', async () => {
    const one = await costOfOne(heavyQuery, 'jmespath');
    const { results, stoppedBy } = await scan(named('b', 6, heavyQuery), bigPod(300), {
      ports: {},
      limits: { maxRequestJmespathCost: Math.floor(2.5 * one) },
    });
    assert.deepEqual(
      results.map((r) => r.response.rules[0]?.status),
      ['pass', 'pass', 'error', 'error', 'error', 'error'],
    );
    assert.equal(stoppedBy?.limit, 'maxRequestJmespathCost');
  });
});
