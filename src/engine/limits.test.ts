// The limit meter and the JSON size measure every limit is charged with (docs/limits.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_EVALUATION_LIMITS,
  jsonSize,
  LimitExceededError,
  LimitMeter,
  RequestBudget,
  resolveLimits,
} from './limits.js';

const isLimit = (limit: string) => (e: unknown) => e instanceof LimitExceededError && e.limit === limit;

describe('jsonSize', () => {
  test('matches the length of the JSON text for plain values', () => {
    for (const v of [
      'abc',
      42,
      -7,
      true,
      false,
      null,
      [],
      {},
      [1, 'a', null],
      { a: 1, bc: [true, { d: 'e' }] },
    ])
      assert.equal(jsonSize(v), JSON.stringify(v).length, JSON.stringify(v));
  });

  test('counts shared structure as often as it prints, and stops early', () => {
    let tree: unknown = 'x';
    for (let i = 0; i < 40; i++) tree = [tree, tree];
    const started = performance.now();
    assert.ok(jsonSize(tree, 10_000) > 10_000);
    assert.ok(performance.now() - started < 1000, 'measuring 2^40 shared leaves stops at the cap');
  });
});

describe('resolveLimits', () => {
  test('fills the defaults and ignores non-positive values', () => {
    const l = resolveLimits({ maxMessageSize: 10, maxValueSize: 0, ruleTimeoutMs: Number.NaN });
    assert.equal(l.maxMessageSize, 10);
    assert.equal(l.maxValueSize, DEFAULT_EVALUATION_LIMITS.maxValueSize);
    assert.equal(l.ruleTimeoutMs, DEFAULT_EVALUATION_LIMITS.ruleTimeoutMs);
  });
  test('the reference caps its JSON context at 2 MiB, and so does the default', () => {
    assert.equal(DEFAULT_EVALUATION_LIMITS.maxContextSize, 2 * 1024 * 1024);
  });
});

describe('LimitMeter', () => {
  test('a message names the limit, its value and its unit', () => {
    const m = new LimitMeter({ limits: { maxMessageSize: 100 } });
    assert.throws(
      () => m.checkSize('maxMessageSize', 101, 'the rule message'),
      /^LimitExceededError: limit maxMessageSize \(100 characters\) exceeded: the rule message is longer than the limit$/,
    );
  });

  test('stays tripped until the next rule starts', () => {
    const m = new LimitMeter({ limits: { maxJmespathCost: 10 } });
    m.startRule();
    assert.throws(() => m.chargeCost(11, 'x'), isLimit('maxJmespathCost'));
    assert.throws(() => m.checkSize('maxValueSize', 1, 'y'), isLimit('maxJmespathCost'));
    assert.equal(m.exceeded?.limit, 'maxJmespathCost');
    assert.equal(m.startRule(), undefined);
    assert.equal(m.exceeded, undefined);
    m.chargeCost(5, 'x');
  });

  test('rule and request time come from the clock', () => {
    let now = 0;
    const m = new LimitMeter({ limits: { ruleTimeoutMs: 100, requestTimeoutMs: 250 }, now: () => now });
    m.startRule();
    now = 90;
    m.checkTime();
    now = 101;
    assert.throws(() => m.checkTime(), isLimit('ruleTimeoutMs'));
    assert.equal(m.startRule(), undefined, 'a new rule gets its own time');
    now = 251;
    assert.throws(() => m.checkTime(), isLimit('requestTimeoutMs'));
    assert.equal(m.startRule()?.limit, 'requestTimeoutMs', 'a timed-out request stops every later rule');
  });

  test('an aborted signal stops the request, naming the reason', () => {
    const controller = new AbortController();
    const m = new LimitMeter({ signal: controller.signal });
    m.startRule();
    m.checkTime();
    controller.abort(new Error('webhook deadline'));
    assert.throws(() => m.checkTime(), /requestTimeoutMs.*cancelled \(webhook deadline\)/);
    assert.equal(m.startRule()?.limit, 'requestTimeoutMs');
  });

  test('output is charged per rule', () => {
    const m = new LimitMeter({ limits: { maxSubstitutionOutput: 100 } });
    m.chargeOutput(60, 'a');
    assert.throws(() => m.chargeOutput(60, 'b'), isLimit('maxSubstitutionOutput'));
    m.startRule();
    m.chargeOutput(60, 'c');
  });

  test('stopEvaluation makes an error found outside any rule stop every rule of the evaluation', () => {
    const m = new LimitMeter();
    m.stopEvaluation(new LimitExceededError('maxContextSize', 1, 'values'));
    assert.equal(m.startRule()?.limit, 'maxContextSize');
    assert.equal(m.startRule()?.limit, 'maxContextSize');
  });
});

describe('RequestBudget: one budget for every policy of a request', () => {
  test('two evaluations of one request share its JMESPath and substitution totals', () => {
    const request = new RequestBudget({
      limits: { maxRequestJmespathCost: 100, maxRequestSubstitutionOutput: 100 },
    });
    const a = new LimitMeter({ request });
    const b = new LimitMeter({ request });
    a.startRule();
    a.chargeCost(60, 'q1');
    a.chargeOutput(60, 'm1');
    b.startRule();
    assert.equal(b.costLeft(), 40, "what is left is the request's, not a fresh rule's");
    assert.throws(() => b.chargeCost(60, 'q2'), isLimit('maxRequestJmespathCost'));
    assert.equal(request.stopped?.limit, 'maxRequestJmespathCost');
    assert.equal(a.startRule()?.limit, 'maxRequestJmespathCost', 'every later rule of the request stops');
    assert.deepEqual(request.spent, { jmespath: 120, output: 60, cel: 0 });
  });

  test('the request time counts from the request, across evaluations', () => {
    let now = 0;
    const request = new RequestBudget({ limits: { requestTimeoutMs: 100 }, now: () => now });
    const a = new LimitMeter({ request });
    a.startRule();
    now = 60;
    a.checkTime();
    const b = new LimitMeter({ request });
    assert.equal(b.startRule(), undefined);
    now = 101;
    assert.throws(() => b.checkTime(), isLimit('requestTimeoutMs'));
    assert.equal(new LimitMeter({ request }).startRule()?.limit, 'requestTimeoutMs');
  });

  test("stopEvaluation stops one policy's rules, not the request's other policies", () => {
    const request = new RequestBudget();
    const a = new LimitMeter({ request });
    a.stopEvaluation(new LimitExceededError('maxContextSize', 1, 'values'));
    assert.equal(a.startRule()?.limit, 'maxContextSize');
    assert.equal(new LimitMeter({ request }).startRule(), undefined);
    assert.equal(request.stopped, undefined);
  });

  test('CEL work is charged to the request; past its total the request stops', () => {
    const request = new RequestBudget({ limits: { maxRequestCelCost: 10 } });
    request.chargeCel(8, 'e1');
    assert.equal(request.celLeft(), 2);
    assert.throws(
      () => request.chargeCel(3, "'e2'"),
      /^LimitExceededError: limit maxRequestCelCost \(10 units\) exceeded: the request's CEL work, up to 'e2', is too much$/,
    );
    assert.throws(() => request.checkTime(), isLimit('maxRequestCelCost'));
  });
});

describe('the clock at a rule start', () => {
  test('is read once for the rule and the request, and a deadline passed is still found', () => {
    let reads = 0;
    let now = 0;
    const m = new LimitMeter({
      limits: { ruleTimeoutMs: 100, requestTimeoutMs: 250 },
      now: () => {
        reads++;
        return now;
      },
    });
    const before = reads;
    assert.equal(m.startRule(), undefined);
    assert.equal(reads - before, 1);
    now = 99;
    m.checkTime();
    now = 251;
    assert.equal(m.startRule()?.limit, 'requestTimeoutMs');
  });
});
